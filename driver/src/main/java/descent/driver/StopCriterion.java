package descent.driver;

/**
 * One reason to end a run, checked after every step. {@link StopCriteria} composes them from the
 * configuration; a new criterion is a new implementation, never a new branch in the loop.
 */
public interface StopCriterion {

  /**
   * What a criterion sees after a step: the 1-based step, the new parameters and two norms. The
   * parameters come through a supplier, since a sparse step holds them as a scale and a vector
   * and puts them together (O(d)) only for a criterion that reads them.
   */
  record Progress(long step, java.util.function.Supplier<double[]> params, double gradientNorm,
      double stepNorm) {}

  /** The reason to stop after the step {@code p} describes, or null to go on. */
  StopReason check(Progress p);

  /** The step or epoch budget: stops once {@code maxSteps} steps are done. */
  record Budget(long maxSteps, StopReason reason) implements StopCriterion {
    @Override
    public StopReason check(Progress p) {
      return exhausted(p.step());
    }

    /** {@link #reason} when {@code step} steps use up the budget, else null. */
    public StopReason exhausted(long step) {
      return step >= maxSteps ? reason : null;
    }
  }

  /** A step that moved the parameters less than {@code minStepSize}: {@code ||θ_t − θ_{t−1}||}. */
  record MinStepSize(double minStepSize) implements StopCriterion {
    @Override
    public StopReason check(Progress p) {
      return p.stepNorm() < minStepSize ? StopReason.MIN_STEP_SIZE : null;
    }
  }

  /** A gradient whose L2 norm is at most {@code gradTol}. */
  record GradientNorm(double gradTol) implements StopCriterion {
    @Override
    public StopReason check(Progress p) {
      return p.gradientNorm() <= gradTol ? StopReason.GRADIENT_NORM : null;
    }
  }

  /**
   * A second-order method that did not move: its line search found no lower point along its
   * direction, so the objective is at its minimum to machine precision.
   */
  record NoProgress() implements StopCriterion {
    @Override
    public StopReason check(Progress p) {
      return p.stepNorm() == 0.0 ? StopReason.NO_PROGRESS : null;
    }
  }

  /** {@code patience} validation evaluations in a row without a new best. */
  record EarlyStopping(ValidationMonitor validation, int patience) implements StopCriterion {
    @Override
    public StopReason check(Progress p) {
      return validation.evaluationsSinceBest() >= patience ? StopReason.EARLY_STOPPING : null;
    }
  }

  /**
   * The full objective, evaluated every {@code every} steps, changed by at most {@code tol} of
   * its value since the previous evaluation. It remembers that previous value (NaN before the
   * first), which a checkpoint keeps.
   */
  final class Tolerance implements StopCriterion {
    private final double tol;
    private final int every;
    private final FullObjective objective;
    private double previous = Double.NaN;

    /** The full objective at the parameters after 1-based {@code step}. */
    @FunctionalInterface
    interface FullObjective {
      double value(long step, double[] params);
    }

    Tolerance(double tol, int every, FullObjective objective) {
      this.tol = tol;
      this.every = every;
      this.objective = objective;
    }

    @Override
    public StopReason check(Progress p) {
      if (p.step() % every != 0) {
        return null;
      }
      double value = objective.value(p.step(), p.params().get());
      if (Math.abs(previous - value) <= tol * Math.abs(value)) {
        return StopReason.TOLERANCE;
      }
      previous = value;
      return null;
    }

    /** The objective at the previous evaluation; NaN before the first. */
    double previous() {
      return previous;
    }

    void restore(double previousObjective) {
      previous = previousObjective;
    }
  }
}
