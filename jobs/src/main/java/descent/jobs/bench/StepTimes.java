package descent.jobs.bench;

/**
 * Every {@link StepKind}'s seconds per step in each timed round, with MLlib's steps already net
 * of the count its call runs first ({@link MllibSteps#perStep}). Keyed by kind, so the report
 * reads {@code median(DESCENT_FULL)} rather than an index.
 */
final class StepTimes {
  /** {@code [kind.ordinal()][round]}. */
  private final double[][] rounds;
  private final double[] medians;

  private StepTimes(double[][] rounds) {
    this.rounds = rounds;
    this.medians = Rounds.medians(rounds);
  }

  /**
   * Times every kind's body over {@code rounds}, each round's time divided by {@code steps}, and
   * takes MLlib's count out of its steps: {@code runMiniBatchSGD} counts its data once a call (a
   * pass over every point) before its first step and runs {@code --steps + 1} gradient jobs; the
   * count, timed alone in the same rounds, is taken out and the rest shared by the jobs.
   * Otherwise each step would carry 1/{@code --steps} of the count (over 1M points a count took
   * 14-26 ms: 3-5 ms of a 1 % step at {@code --steps 5}) and of the extra job, and flatter every
   * ratio against MLlib.
   */
  static StepTimes time(Rounds rounds, int steps, StepBodies bodies) throws Exception {
    double[][] t = rounds.times(steps, StepKind.bodies(bodies));
    double[] count = t[StepKind.MLLIB_COUNT.ordinal()];
    for (StepKind k : new StepKind[] {StepKind.MLLIB_FULL, StepKind.MLLIB_1PCT}) {
      t[k.ordinal()] = MllibSteps.perStep(t[k.ordinal()], count, steps);
    }
    return new StepTimes(t);
  }

  /** The kind's seconds per step, round by round (not a copy). */
  double[] rounds(StepKind k) {
    return rounds[k.ordinal()];
  }

  /** The median over the rounds of the kind's seconds per step. */
  double median(StepKind k) {
    return medians[k.ordinal()];
  }
}
