package descent.jobs.bench;

/**
 * Thrown by a bench listener to end a Trainer run at the step it chose: once the race's target
 * is met, or after the Trainer step's count (no final objective pass to time with it). Without a
 * stack trace, as it is control flow, not an error.
 */
final class StopRun extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StopRun() {
    super(null, null, false, false);
  }
}
