package descent.driver.schedule;

/**
 * Cosine annealing from lr0 to η_min that restarts at lr0 at the end of each cycle; cycle i
 * lasts T_i = T_0 · T_mult^i steps (PyTorch's {@code CosineAnnealingWarmRestarts}, integer
 * T_mult):
 * <pre>
 *   T_cur = steps since the last restart,  T_i = length of the current cycle
 *   lr(t) = η_min + (lr0 − η_min) · (1 + cos(π · T_cur / T_i)) / 2
 * </pre>
 * With T_mult = 1 the restarts come every T_0 steps; with T_mult = 2 at T_0, 3·T_0, 7·T_0, ...
 *
 * <p>Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
 */
public final class CosineWarmRestarts implements LearningRateSchedule {

  /** PyTorch's default T_mult. */
  public static final long T_MULT = 1;
  /** PyTorch's default η_min. */
  public static final double ETA_MIN = 0.0;

  private final double lr0;
  private final long t0;
  private final long tMult;
  private final double etaMin;

  /**
   * @param lr0 the rate at step 0 and at each restart, finite and > 0
   * @param t0 T_0, the length of the first cycle, >= 1
   * @param tMult T_mult, the factor by which each cycle is longer than the last, >= 1
   * @param etaMin η_min, in [0, lr0]
   */
  public CosineWarmRestarts(double lr0, long t0, long tMult, double etaMin) {
    this.lr0 = Checks.positive("lr0", lr0);
    this.t0 = Checks.atLeast("t0", t0, 1);
    this.tMult = Checks.atLeast("tMult", tMult, 1);
    this.etaMin = Checks.floor("etaMin", etaMin, lr0);
  }

  /** With T_mult = {@link #T_MULT} and η_min = {@link #ETA_MIN}. */
  public CosineWarmRestarts(double lr0, long t0) {
    this(lr0, t0, T_MULT, ETA_MIN);
  }

  @Override
  public double rate(long step) {
    Checks.step(step);
    long tCur;
    long tI;
    if (tMult == 1) {
      tCur = step % t0;
      tI = t0;
    } else {
      // At most log_tMult(step / t0) cycles; exact in integers, unlike PyTorch's log formula.
      long start = 0;
      tI = t0;
      while (step - start >= tI) {
        start += tI;
        tI = tI > Long.MAX_VALUE / tMult ? Long.MAX_VALUE : tI * tMult;
      }
      tCur = step - start;
    }
    return etaMin + (lr0 - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
  }

  @Override
  public String toString() {
    return "CosineWarmRestarts(lr0=" + lr0 + ", t0=" + t0 + ", tMult=" + tMult
        + ", etaMin=" + etaMin + ")";
  }
}
