package descent.driver.schedule;

/**
 * Decays the learning rate polynomially from lr0 to endLr over T = {@code totalSteps} steps,
 * then holds endLr (PyTorch's {@code PolynomialLR}, with an end rate as in Keras'
 * {@code PolynomialDecay}):
 * <pre>
 *   lr(t) = (lr0 − endLr) · (1 − min(t, T) / T)^power + endLr
 * </pre>
 * power = 1 is a linear decay; power = 0.5 or 2 bends it up or down.
 */
public final class PolynomialDecay implements LearningRateSchedule {

  /** PyTorch's default power (a linear decay). */
  public static final double POWER = 1.0;
  /** The default end rate, as PyTorch's {@code PolynomialLR} (which decays to zero). */
  public static final double END_LR = 0.0;

  private final double lr0;
  private final long totalSteps;
  private final double power;
  private final double endLr;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param totalSteps T, the step at which endLr is reached, >= 1
   * @param power the exponent, finite and > 0
   * @param endLr the rate from step T on, in [0, lr0]
   */
  public PolynomialDecay(double lr0, long totalSteps, double power, double endLr) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.totalSteps = Checks.atLeast("totalSteps", totalSteps, 1);
    this.power = Checks.positive("power", power);
    this.endLr = Checks.floor("endLr", endLr, lr0);
  }

  /** With power = {@link #POWER} and endLr = {@link #END_LR}. */
  public PolynomialDecay(double lr0, long totalSteps) {
    this(lr0, totalSteps, POWER, END_LR);
  }

  @Override
  public double rate(long step) {
    long t = Math.min(Checks.step(step), totalSteps);
    return (lr0 - endLr) * Math.pow(1 - (double) t / totalSteps, power) + endLr;
  }

  @Override
  public String toString() {
    return "PolynomialDecay(lr0=" + lr0 + ", totalSteps=" + totalSteps + ", power=" + power
        + ", endLr=" + endLr + ")";
  }
}
