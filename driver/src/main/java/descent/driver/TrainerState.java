package descent.driver;

/**
 * The training loop's own memory, as a checkpoint keeps it beside the optimizer's, schedule's and
 * average's states: the first step's loss (the divergence test's reference), the full objective
 * at the tolerance criterion's previous evaluation (NaN when none), the steps where clipping
 * fired, and the validation monitor's best so far.
 */
public record TrainerState(double firstLoss, double previousObjective, long clippedSteps,
    ValidationMonitor.State validation) {

  public TrainerState {
    if (clippedSteps < 0) {
      throw new IllegalArgumentException("clippedSteps must be >= 0, got " + clippedSteps);
    }
    if (validation == null) {
      throw new IllegalArgumentException("the validation state is missing");
    }
  }
}
