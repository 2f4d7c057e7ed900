package descent.driver.schedule;

/**
 * Decays the learning rate as 1/t:
 * <pre>
 *   lr(t) = lr0 / (1 + decay · t)
 * </pre>
 * The Robbins–Monro rate (Σ lr = ∞, Σ lr² &lt; ∞) under which SGD converges on convex
 * problems; the same form as PyTorch Adagrad's {@code lr_decay} and Keras'
 * {@code InverseTimeDecay} without staircase.
 */
public final class InverseTimeDecay implements LearningRateSchedule {

  private final double lr0;
  private final double decay;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param decay the decay rate, finite and >= 0 (0 gives a constant rate)
   */
  public InverseTimeDecay(double lr0, double decay) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.decay = Checks.nonNegative("decay", decay);
  }

  @Override
  public double rate(long step) {
    return lr0 / (1 + decay * Checks.step(step));
  }

  @Override
  public String toString() {
    return "InverseTimeDecay(lr0=" + lr0 + ", decay=" + decay + ")";
  }
}
