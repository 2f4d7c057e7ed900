package descent.driver;

import descent.core.Loss;

/**
 * The mean loss on validation data (no penalty), evaluated every {@code evalEvery} steps, and the
 * best one so far with its parameters: what early stopping watches and returns. Without
 * validation data it evaluates nothing.
 */
public final class ValidationMonitor {

  /**
   * What the monitor needs to continue: the best loss (+∞ before the first evaluation), its step
   * and parameters (null before), and the evaluations since it.
   */
  public record State(double best, long bestStep, int evaluationsSinceBest, double[] bestParams) {
    public State {
      bestParams = bestParams == null ? null : bestParams.clone();
    }
  }

  private final TrainingData data;
  private final Loss loss;
  private final boolean fitIntercept;
  private final int depth;
  private final int every;
  private final BatchObjective objective;
  private double best = Double.POSITIVE_INFINITY;
  private long bestStep;
  private int evaluationsSinceBest;
  private double[] bestParams;
  private long passes;

  /**
   * @param data the validation data, or null for none
   * @param objective the training objective, which maps parameters to the original scale
   */
  ValidationMonitor(TrainingData data, Loss loss, boolean fitIntercept, int depth, int every,
      BatchObjective objective) {
    this.data = data;
    this.loss = loss;
    this.fitIntercept = fitIntercept;
    this.depth = depth;
    this.every = every;
    this.objective = objective;
  }

  /** Whether there is validation data. */
  boolean active() {
    return data != null;
  }

  /** Whether {@link #evaluate} evaluates after 1-based {@code step}. */
  boolean due(long step) {
    return data != null && step % every == 0;
  }

  /** The validation loss at {@code params} after 1-based {@code step}; NaN when not evaluated. */
  double evaluate(long step, double[] params) {
    if (data == null || step % every != 0) {
      return Double.NaN;
    }
    data.blocks().context().setJobDescription("descent validation loss at step " + step);
    double value = Objective.full(data.blocks(), objective.inferenceLoss(params),
        objective.toOriginal(params), fitIntercept, 0.0, depth);
    passes++;
    if (value < best) {
      best = value;
      bestParams = params.clone();
      bestStep = step;
      evaluationsSinceBest = 0;
    } else {
      evaluationsSinceBest++;
    }
    return value;
  }

  int evaluationsSinceBest() {
    return evaluationsSinceBest;
  }

  /** The best validation loss; NaN without validation data. */
  double best() {
    return data == null ? Double.NaN : best;
  }

  /**
   * Puts the best parameters into {@code params} and says so, or returns null when there are
   * none.
   */
  String restoreBest(double[] params) {
    if (bestParams == null) {
      return null;
    }
    System.arraycopy(bestParams, 0, params, 0, params.length);
    return "best validation loss, step " + bestStep;
  }

  /** Validation passes run. */
  long passes() {
    return passes;
  }

  State state() {
    return new State(best, bestStep, evaluationsSinceBest, bestParams);
  }

  void restore(State s) {
    best = s.best();
    bestStep = s.bestStep();
    evaluationsSinceBest = s.evaluationsSinceBest();
    bestParams = s.bestParams() == null ? null : s.bestParams().clone();
  }
}
