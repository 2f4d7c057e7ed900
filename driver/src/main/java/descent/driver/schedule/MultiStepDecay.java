package descent.driver.schedule;

import java.util.Arrays;

/**
 * Multiplies the learning rate by γ at each milestone, as PyTorch's {@code MultiStepLR}:
 * <pre>
 *   lr(t) = lr0 · γ^|{ m ∈ milestones : m ≤ t }|
 * </pre>
 * Use when the decay points are chosen by hand (for example at 50% and 75% of training).
 */
public final class MultiStepDecay implements LearningRateSchedule {

  /** PyTorch's default γ. */
  public static final double GAMMA = 0.1;

  private final double lr0;
  private final long[] milestones;
  private final double gamma;

  /**
   * @param lr0 the rate before the first milestone, finite and > 0
   * @param milestones the steps at which the rate is multiplied by γ, >= 0 and strictly
   *     increasing (copied)
   * @param gamma the factor applied at each milestone, finite and > 0
   */
  public MultiStepDecay(double lr0, long[] milestones, double gamma) {
    this.lr0 = Checks.positive("lr0", lr0);
    if (milestones == null) {
      throw new IllegalArgumentException("milestones must not be null");
    }
    this.milestones = milestones.clone();
    for (int i = 0; i < this.milestones.length; i++) {
      if (this.milestones[i] < 0) {
        throw new IllegalArgumentException(
            "milestones[" + i + "] must be >= 0, got " + this.milestones[i]);
      }
      if (i > 0 && this.milestones[i] <= this.milestones[i - 1]) {
        throw new IllegalArgumentException(
            "milestones must be strictly increasing, got " + Arrays.toString(this.milestones)
                + " at index " + i);
      }
    }
    this.gamma = Checks.positive("gamma", gamma);
  }

  /** With γ = {@link #GAMMA}. */
  public MultiStepDecay(double lr0, long[] milestones) {
    this(lr0, milestones, GAMMA);
  }

  @Override
  public double rate(long step) {
    Checks.step(step);
    int passed = 0;
    while (passed < milestones.length && milestones[passed] <= step) {
      passed++;
    }
    return lr0 * Math.pow(gamma, passed);
  }

  @Override
  public String toString() {
    return "MultiStepDecay(lr0=" + lr0 + ", milestones=" + Arrays.toString(milestones)
        + ", gamma=" + gamma + ")";
  }
}
