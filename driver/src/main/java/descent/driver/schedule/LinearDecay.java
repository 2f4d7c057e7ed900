package descent.driver.schedule;

/**
 * Decays the learning rate linearly from lr0 at step 0 to lr0/100 at step τ, then holds it:
 * <pre>
 *   α = min(t, τ) / τ
 *   lr(t) = (1 − α) · lr0 + α · lr0/100
 * </pre>
 * The schedule recommended for SGD in Goodfellow, Bengio and Courville, <i>Deep Learning</i>,
 * MIT Press 2016, §8.3.1 ("linear decay until iteration τ", with ε_τ about 1% of ε_0).
 */
public final class LinearDecay implements LearningRateSchedule {

  /** ε_τ / ε_0: the final rate as a fraction of lr0 (Goodfellow et al.: "roughly 1%"). */
  public static final double FINAL_FRACTION = 0.01;

  private final double lr0;
  private final long tau;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param tau τ, the step from which lr0/100 is held, >= 1
   */
  public LinearDecay(double lr0, long tau) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.tau = Checks.atLeast("tau", tau, 1);
  }

  @Override
  public double rate(long step) {
    double alpha = (double) Math.min(Checks.step(step), tau) / tau;
    return (1 - alpha) * lr0 + alpha * (lr0 * FINAL_FRACTION);
  }

  @Override
  public String toString() {
    return "LinearDecay(lr0=" + lr0 + ", tau=" + tau + ")";
  }
}
