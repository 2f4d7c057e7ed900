package descent.driver.schedule;

/**
 * Anneals the learning rate from lr0 to η_min along half a cosine over T_max steps, then holds
 * η_min (PyTorch's {@code CosineAnnealingLR} closed form, without restarts):
 * <pre>
 *   lr(t) = η_min + (lr0 − η_min) · (1 + cos(π · t / T_max)) / 2     for t ≤ T_max
 *   lr(t) = η_min                                                     for t &gt; T_max
 * </pre>
 * Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017;
 * see {@link CosineWarmRestarts} for the restarting form.
 */
public final class CosineAnnealing implements LearningRateSchedule {

  /** PyTorch's default η_min. */
  public static final double ETA_MIN = 0.0;

  private final double lr0;
  private final long tMax;
  private final double etaMin;

  /**
   * @param lr0 the rate at step 0, finite and > 0
   * @param tMax T_max, the step at which η_min is reached, >= 1
   * @param etaMin η_min, in [0, lr0]
   */
  public CosineAnnealing(double lr0, long tMax, double etaMin) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.tMax = Checks.atLeast("tMax", tMax, 1);
    this.etaMin = Checks.floor("etaMin", etaMin, lr0);
  }

  /** With η_min = {@link #ETA_MIN}. */
  public CosineAnnealing(double lr0, long tMax) {
    this(lr0, tMax, ETA_MIN);
  }

  @Override
  public double rate(long step) {
    if (Checks.step(step) >= tMax) {
      return etaMin;
    }
    return etaMin + (lr0 - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
  }

  @Override
  public String toString() {
    return "CosineAnnealing(lr0=" + lr0 + ", tMax=" + tMax + ", etaMin=" + etaMin + ")";
  }
}
