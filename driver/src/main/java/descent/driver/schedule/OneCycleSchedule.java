package descent.driver.schedule;

/**
 * The 1cycle policy: one rise from initialLr to maxLr and one fall to a much smaller minLr over
 * totalSteps steps (PyTorch's {@code OneCycleLR}, without its momentum cycling), with
 * <pre>
 *   initialLr = maxLr / divFactor,   minLr = initialLr / finalDivFactor
 * </pre>
 * The steps are split into phases that end at these (fractional) steps, each annealing from its
 * start rate to its end rate; phase k covers the steps t with e_{k−1} &lt; t ≤ e_k (e_0 = 0, and
 * the first phase also takes step 0):
 * <pre>
 *   two phases (default):  e_1 = pctStart·T − 1      initialLr → maxLr
 *                          e_2 = T − 1               maxLr     → minLr
 *   threePhase:            e_1 = pctStart·T − 1      initialLr → maxLr
 *                          e_2 = 2·pctStart·T − 2    maxLr     → initialLr
 *                          e_3 = T − 1               initialLr → minLr
 *   p      = (t − e_{k−1}) / (e_k − e_{k−1})
 *   cos    : lr(t) = end + (start − end) / 2 · (cos(π·p) + 1)
 *   linear : lr(t) = (end − start) · p + start
 * </pre>
 * These are PyTorch's formulas, step for step. After the cycle, from step T on, the rate holds
 * minLr, where PyTorch raises an error. A pure function of the step.
 *
 * <p>Smith and Topin, "Super-Convergence: Very Fast Training of Neural Networks Using Large
 * Learning Rates", 2017; the two-phase default follows fastai.
 */
public final class OneCycleSchedule implements LearningRateSchedule {

  /** How each phase moves from its start rate to its end rate. */
  public enum AnnealStrategy {
    COS, LINEAR;

    /** The strategy named {@code cos} or {@code linear}, as PyTorch's {@code anneal_strategy}. */
    public static AnnealStrategy parse(String id) {
      return switch (id) {
        case "cos" -> COS;
        case "linear" -> LINEAR;
        default -> throw new IllegalArgumentException(
            "annealStrategy '" + id + "' is not available; use cos or linear");
      };
    }

    String id() {
      return this == COS ? "cos" : "linear";
    }
  }

  /** PyTorch's default pctStart. */
  public static final double PCT_START = 0.3;
  /** PyTorch's default anneal strategy. */
  public static final AnnealStrategy ANNEAL_STRATEGY = AnnealStrategy.COS;
  /** PyTorch's default divFactor. */
  public static final double DIV_FACTOR = 25.0;
  /** PyTorch's default finalDivFactor. */
  public static final double FINAL_DIV_FACTOR = 1e4;
  /** PyTorch's default: two phases. */
  public static final boolean THREE_PHASE = false;

  private final double maxLr;
  private final long totalSteps;
  private final double pctStart;
  private final AnnealStrategy annealStrategy;
  private final double divFactor;
  private final double finalDivFactor;
  private final boolean threePhase;
  private final double initialLr;
  private final double minLr;
  private final double[] endSteps;
  private final double[] startLrs;
  private final double[] endLrs;

  /**
   * @param maxLr the peak rate, finite and > 0
   * @param totalSteps T, the steps in the cycle, >= 1
   * @param pctStart the fraction of the cycle spent rising, in [0, 1], with pctStart·T ≠ 1 (a
   *     rise of length zero, where PyTorch divides by zero)
   * @param annealStrategy cos or linear, not null
   * @param divFactor initialLr = maxLr / divFactor, finite and > 0
   * @param finalDivFactor minLr = initialLr / finalDivFactor, finite and > 0
   * @param threePhase whether to fall back to initialLr before annihilating to minLr (the
   *     paper's form) instead of falling straight to minLr
   */
  public OneCycleSchedule(double maxLr, long totalSteps, double pctStart,
      AnnealStrategy annealStrategy, double divFactor, double finalDivFactor,
      boolean threePhase) {
    this.maxLr = Checks.positive("maxLr", maxLr);
    this.totalSteps = Checks.atLeast("totalSteps", totalSteps, 1);
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new IllegalArgumentException("pctStart must be in [0, 1], got " + pctStart);
    }
    if (pctStart * totalSteps - 1 == 0) {
      throw new IllegalArgumentException("pctStart · totalSteps must not be 1 (got pctStart "
          + pctStart + ", totalSteps " + totalSteps + "): the rise would last zero steps");
    }
    this.pctStart = pctStart;
    if (annealStrategy == null) {
      throw new IllegalArgumentException("annealStrategy must not be null; use COS or LINEAR");
    }
    this.annealStrategy = annealStrategy;
    this.divFactor = Checks.positive("divFactor", divFactor);
    this.finalDivFactor = Checks.positive("finalDivFactor", finalDivFactor);
    this.threePhase = threePhase;
    this.initialLr = maxLr / divFactor;
    this.minLr = initialLr / finalDivFactor;
    if (threePhase) {
      endSteps = new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2,
          totalSteps - 1};
      startLrs = new double[] {initialLr, maxLr, initialLr};
      endLrs = new double[] {maxLr, initialLr, minLr};
    } else {
      endSteps = new double[] {pctStart * totalSteps - 1, totalSteps - 1};
      startLrs = new double[] {initialLr, maxLr};
      endLrs = new double[] {maxLr, minLr};
    }
  }

  /** With PyTorch's defaults: pctStart 0.3, cos, divFactor 25, finalDivFactor 1e4, two phases. */
  public OneCycleSchedule(double maxLr, long totalSteps) {
    this(maxLr, totalSteps, PCT_START, ANNEAL_STRATEGY, DIV_FACTOR, FINAL_DIV_FACTOR,
        THREE_PHASE);
  }

  /** maxLr / divFactor, the rate at step 0. */
  public double initialLr() {
    return initialLr;
  }

  /** initialLr / finalDivFactor, the rate at the end of the cycle. */
  public double minLr() {
    return minLr;
  }

  @Override
  public double rate(long step) {
    if (Checks.step(step) >= totalSteps) {
      return minLr;
    }
    double startStep = 0.0;
    int last = endSteps.length - 1;
    for (int i = 0; ; i++) {
      double endStep = endSteps[i];
      if (step <= endStep || i == last) {
        double pct = (step - startStep) / (endStep - startStep);
        return annealStrategy == AnnealStrategy.COS
            ? endLrs[i] + (startLrs[i] - endLrs[i]) / 2.0 * (Math.cos(Math.PI * pct) + 1)
            : (endLrs[i] - startLrs[i]) * pct + startLrs[i];
      }
      startStep = endStep;
    }
  }

  @Override
  public String toString() {
    return "OneCycleSchedule(maxLr=" + maxLr + ", totalSteps=" + totalSteps + ", pctStart="
        + pctStart + ", annealStrategy=" + annealStrategy.id() + ", divFactor=" + divFactor
        + ", finalDivFactor=" + finalDivFactor + ", threePhase=" + threePhase + ")";
  }
}
