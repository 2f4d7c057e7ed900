package descent.driver;

/**
 * Stops a diverging run at once, with the step, the loss and a hint: a loss that is NaN or
 * infinite, or above {@value #FACTOR} times the first step's, or parameters that stopped being
 * finite. It remembers the first step's loss, which a checkpoint keeps.
 */
final class DivergenceGuard {
  /** A loss above this many times the first step's loss counts as divergence. */
  static final double FACTOR = 1e6;

  private double firstLoss = Double.NaN;

  /** Checks the loss of 1-based {@code step}, evaluated before its update. */
  void checkLoss(long step, double loss, double lr) {
    if (step == 1) {
      firstLoss = loss;
    }
    if (!Double.isFinite(loss)) {
      throw diverged(step, loss, "the loss is " + loss, lr);
    }
    if (firstLoss > 0 && loss > FACTOR * firstLoss) {
      throw diverged(step, loss, "the loss grew above " + FACTOR + " times the first step's "
          + firstLoss, lr);
    }
  }

  /**
   * Checks the parameters after the update of {@code step} and returns the step's length
   * {@code ||θ_t − θ_{t−1}||}.
   */
  double checkStep(long step, double loss, double[] before, double[] params, double lr) {
    double moved = 0.0;
    for (int j = 0; j < params.length; j++) {
      if (!Double.isFinite(params[j])) {
        throw diverged(step, loss, "the parameters became " + params[j], lr);
      }
      double delta = params[j] - before[j];
      moved += delta * delta;
    }
    return Math.sqrt(moved);
  }

  /**
   * Checks the coordinates a sparse step changed, {@code v[changed[i]]} for {@code i < count},
   * and the coefficient scale {@code w = scale·v}: the parameters it left alone were checked
   * when they last changed.
   */
  void checkChanged(long step, double loss, double[] v, int[] changed, int count, double scale,
      double lr) {
    if (!Double.isFinite(scale)) {
      throw diverged(step, loss, "the coefficients' scale became " + scale, lr);
    }
    for (int i = 0; i < count; i++) {
      double x = v[changed[i]];
      if (!Double.isFinite(x)) {
        throw diverged(step, loss, "the parameters became " + x, lr);
      }
    }
  }

  double firstLoss() {
    return firstLoss;
  }

  void restore(double firstLoss) {
    this.firstLoss = firstLoss;
  }

  private static DivergenceException diverged(long step, double loss, String what, double lr) {
    return new DivergenceException(step, loss, "training diverged at step " + step + ": " + what
        + " (loss " + loss + "). Hint: lower the learning rate (" + Param.LEARNING_RATE.ref() + " "
        + lr + ") or standardize the features; no model was written.");
  }
}
