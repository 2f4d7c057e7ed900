package descent.driver.schedule;

/**
 * Decays the learning rate linearly from lr0 at step 0 to lr0/100 at step τ, then holds it:
 * <pre>
 *   α = min(t, τ) / τ
 *   lr(t) = (1 − α) · lr0 + α · lr0/100
 * </pre>
 * The schedule recommended for SGD in Goodfellow, Bengio and Courville, <i>Deep Learning</i>,
 * MIT Press 2016, §8.3.1 ("linear decay until iteration τ", with ε_τ about 1% of ε_0; τ "a few
 * hundred passes through the training set"). Without τ it is {@value #DEFAULT_TAU_EPOCHS}
 * epochs, τ = {@value #DEFAULT_TAU_EPOCHS}·⌈N/B⌉ steps, fixed by {@link #resolve} once the data
 * is known.
 */
public final class LinearDecay implements LearningRateSchedule {

  /** ε_τ / ε_0: the final rate as a fraction of lr0 (Goodfellow et al.: "roughly 1%"). */
  public static final double FINAL_FRACTION = 0.01;
  /** τ in epochs when it is not given. */
  public static final long DEFAULT_TAU_EPOCHS = 100;

  private final double lr0;
  /** τ in steps, or 0 while it is still {@value #DEFAULT_TAU_EPOCHS} epochs to resolve. */
  private final long tau;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param tau τ, the step from which lr0/100 is held, >= 1
   */
  public LinearDecay(double lr0, long tau) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.tau = Checks.atLeast("tau", tau, 1);
  }

  /** With τ = {@value #DEFAULT_TAU_EPOCHS} epochs, fixed in steps by {@link #resolve}. */
  public LinearDecay(double lr0) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.tau = 0;
  }

  @Override
  public double rate(long step) {
    Checks.step(step);
    if (tau == 0) {
      throw new IllegalStateException(this + ": τ is " + DEFAULT_TAU_EPOCHS + " epochs; call "
          + "resolve(stepsPerEpoch) before asking for a rate (the trainer does)");
    }
    double alpha = (double) Math.min(step, tau) / tau;
    return (1 - alpha) * lr0 + alpha * (lr0 * FINAL_FRACTION);
  }

  @Override
  public LearningRateSchedule resolve(long stepsPerEpoch) {
    Checks.atLeast("stepsPerEpoch", stepsPerEpoch, 1);
    if (tau != 0) {
      return this;
    }
    return new LinearDecay(lr0, Math.multiplyExact(DEFAULT_TAU_EPOCHS, stepsPerEpoch));
  }

  @Override
  public String toString() {
    return "LinearDecay(lr0=" + lr0 + ", tau=" + (tau == 0 ? DEFAULT_TAU_EPOCHS + " epochs" : tau)
        + ")";
  }
}
