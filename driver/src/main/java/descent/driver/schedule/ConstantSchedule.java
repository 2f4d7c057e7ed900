package descent.driver.schedule;

/**
 * A fixed learning rate: {@code lr(t) = lr0}. The baseline, and the inner schedule of a warmup
 * that should hold constant afterwards.
 */
public final class ConstantSchedule implements LearningRateSchedule {

  private final double lr0;

  /** @param lr0 the learning rate, finite and > 0 */
  public ConstantSchedule(double lr0) {
    this.lr0 = Checks.positive("lr0", lr0);
  }

  @Override
  public double rate(long step) {
    Checks.step(step);
    return lr0;
  }

  @Override
  public String toString() {
    return "ConstantSchedule(lr0=" + lr0 + ")";
  }
}
