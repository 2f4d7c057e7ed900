package descent.driver.schedule;

/**
 * Multiplies the learning rate by γ every step, as PyTorch's {@code ExponentialLR}:
 * <pre>
 *   lr(t) = lr0 · γ^t
 * </pre>
 * A smooth version of {@link StepDecay}; γ is usually just below 1.
 */
public final class ExponentialDecay implements LearningRateSchedule {

  private final double lr0;
  private final double gamma;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param gamma the per-step factor, finite and > 0
   */
  public ExponentialDecay(double lr0, double gamma) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.gamma = Checks.positive("gamma", gamma);
  }

  @Override
  public double rate(long step) {
    return lr0 * Math.pow(gamma, Checks.step(step));
  }

  @Override
  public String toString() {
    return "ExponentialDecay(lr0=" + lr0 + ", gamma=" + gamma + ")";
  }
}
