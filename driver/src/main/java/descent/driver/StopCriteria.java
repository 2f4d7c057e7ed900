package descent.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * The stop criteria of one run, composed from its configuration and checked in a fixed order
 * after every step: early stopping, no progress (second-order methods), the gradient norm, the
 * step size, the objective's tolerance, and last the step or epoch budget. The first that fires
 * ends the run with its {@link StopReason}.
 */
final class StopCriteria {
  private final List<StopCriterion> criteria;
  private final StopCriterion.Budget budget;
  private final StopCriterion.Tolerance tolerance;

  private StopCriteria(List<StopCriterion> criteria, StopCriterion.Budget budget,
      StopCriterion.Tolerance tolerance) {
    this.criteria = List.copyOf(criteria);
    this.budget = budget;
    this.tolerance = tolerance;
  }

  /**
   * The criteria of {@code config} for a run of at most {@code maxSteps} steps.
   *
   * @param budgetReason what the budget's end is called: the epochs when they bound the run
   * @param objective the full objective, for {@code tol}
   */
  static StopCriteria of(TrainingConfig config, long maxSteps, StopReason budgetReason,
      boolean secondOrder, ValidationMonitor validation, StopCriterion.Tolerance.FullObjective objective) {
    List<StopCriterion> criteria = new ArrayList<>();
    if (config.patience() != null) {
      criteria.add(new StopCriterion.EarlyStopping(validation, config.patience()));
    }
    if (secondOrder) {
      criteria.add(new StopCriterion.NoProgress());
    }
    criteria.add(new StopCriterion.GradientNorm(config.gradTol()));
    if (config.minStepSize() > 0) {
      criteria.add(new StopCriterion.MinStepSize(config.minStepSize()));
    }
    StopCriterion.Tolerance tolerance = null;
    if (config.tol() > 0) {
      tolerance = new StopCriterion.Tolerance(config.tol(), config.evalEvery(), objective);
      criteria.add(tolerance);
    }
    StopCriterion.Budget budget = new StopCriterion.Budget(maxSteps, budgetReason);
    criteria.add(budget);
    return new StopCriteria(criteria, budget, tolerance);
  }

  /** The reason to stop after the step {@code p} describes, or null to go on. */
  StopReason check(StopCriterion.Progress p) {
    for (StopCriterion c : criteria) {
      StopReason reason = c.check(p);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  /** The budget's reason when {@code step} steps already use it up (a resumed run), else null. */
  StopReason exhausted(long step) {
    return budget.exhausted(step);
  }

  /** The tolerance criterion's previous objective (NaN when none). */
  double previousObjective() {
    return tolerance == null ? Double.NaN : tolerance.previous();
  }

  void restorePreviousObjective(double value) {
    if (tolerance != null) {
      tolerance.restore(value);
    }
  }
}
