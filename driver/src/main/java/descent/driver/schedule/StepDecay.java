package descent.driver.schedule;

/**
 * Multiplies the learning rate by γ every {@code stepSize} steps, as PyTorch's
 * {@code StepLR}:
 * <pre>
 *   lr(t) = lr0 · γ^⌊t / stepSize⌋
 * </pre>
 * The classic "divide by ten every few epochs" schedule.
 */
public final class StepDecay implements LearningRateSchedule {

  /** PyTorch's default γ. */
  public static final double GAMMA = 0.1;

  private final double lr0;
  private final long stepSize;
  private final double gamma;

  /**
   * @param lr0 the rate for steps 0 .. stepSize−1, finite and > 0
   * @param stepSize steps between decays, >= 1
   * @param gamma the factor applied at each decay, finite and > 0
   */
  public StepDecay(double lr0, long stepSize, double gamma) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.stepSize = Checks.atLeast("stepSize", stepSize, 1);
    this.gamma = Checks.positive("gamma", gamma);
  }

  /** With γ = {@link #GAMMA}. */
  public StepDecay(double lr0, long stepSize) {
    this(lr0, stepSize, GAMMA);
  }

  @Override
  public double rate(long step) {
    return lr0 * Math.pow(gamma, Checks.step(step) / stepSize);
  }

  @Override
  public String toString() {
    return "StepDecay(lr0=" + lr0 + ", stepSize=" + stepSize + ", gamma=" + gamma + ")";
  }
}
