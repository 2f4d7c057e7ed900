package descent.driver.schedule;

import descent.driver.StateJson;
import java.util.Locale;

/**
 * Multiplies the learning rate by {@code factor} when the monitored metric has stopped improving
 * for more than {@code patience} observations (PyTorch's {@code ReduceLROnPlateau}, same rules
 * and defaults). After each observation m:
 * <pre>
 *   better(m) = m &lt; best·(1 − threshold)     (min, rel)
 *             = m &lt; best − threshold         (min, abs)
 *             = m &gt; best·(1 + threshold)     (max, rel)
 *             = m &gt; best + threshold         (max, abs)
 *   if better(m):  best = m, bad = 0           else bad = bad + 1
 *   if cooldownCounter &gt; 0:  cooldownCounter −= 1, bad = 0     (ignored in cooldown)
 *   if bad &gt; patience:
 *       lr' = max(lr · factor, minLr);  lr = lr'  only if lr − lr' &gt; eps
 *       cooldownCounter = cooldown, bad = 0
 * </pre>
 * best starts at +∞ (min) or −∞ (max). The new rate applies from the next step. The only
 * schedule that is not a pure function of the step: its rate depends on what it observed, so it
 * gives its counters in {@link #state()} ({@link State}) for a checkpoint.
 *
 * <p>An observation is what PyTorch calls an epoch ({@code scheduler.step(metric)}). The trainer
 * observes once per optimizer step; with {@code interval} n &gt; 1 the schedule takes the mean of
 * n consecutive metrics as one observation (n = ⌈N/B⌉ gives PyTorch's usual once-per-epoch
 * rhythm on the training loss), so patience and cooldown count groups of n steps.
 */
public final class ReduceLrOnPlateau implements LearningRateSchedule {

  /** Whether the monitored metric should go down (a loss) or up (an accuracy). */
  public enum Mode {
    MIN, MAX;

    /** The mode named {@code min} or {@code max}. */
    public static Mode parse(String id) {
      return switch (id) {
        case "min" -> MIN;
        case "max" -> MAX;
        default -> throw new IllegalArgumentException(
            "mode '" + id + "' is not available; use min or max");
      };
    }
  }

  /** Whether threshold is relative to best ({@code rel}) or in the metric's units ({@code abs}). */
  public enum ThresholdMode {
    REL, ABS;

    /** The threshold mode named {@code rel} or {@code abs}. */
    public static ThresholdMode parse(String id) {
      return switch (id) {
        case "rel" -> REL;
        case "abs" -> ABS;
        default -> throw new IllegalArgumentException(
            "thresholdMode '" + id + "' is not available; use rel or abs");
      };
    }
  }

  /** PyTorch's default mode. */
  public static final Mode MODE = Mode.MIN;
  /** PyTorch's default factor. */
  public static final double FACTOR = 0.1;
  /** PyTorch's default patience. */
  public static final long PATIENCE = 10;
  /** PyTorch's default threshold. */
  public static final double THRESHOLD = 1e-4;
  /** PyTorch's default threshold mode. */
  public static final ThresholdMode THRESHOLD_MODE = ThresholdMode.REL;
  /** PyTorch's default cooldown. */
  public static final long COOLDOWN = 0;
  /** PyTorch's default minLr. */
  public static final double MIN_LR = 0.0;
  /** PyTorch's default eps. */
  public static final double EPS = 1e-8;
  /** One observation per step. */
  public static final long INTERVAL = 1;

  private final double lr0;
  private final Mode mode;
  private final double factor;
  private final long patience;
  private final double threshold;
  private final ThresholdMode thresholdMode;
  private final long cooldown;
  private final double minLr;
  private final double eps;
  private final long interval;

  private double lr;
  private double best;
  private long numBadEpochs;
  private long cooldownCounter;
  private long lastEpoch;
  private double intervalSum;
  private long intervalCount;

  /**
   * @param lr0 the rate until the first reduction, finite and > 0
   * @param mode min or max, not null
   * @param factor the multiplier of a reduction, in (0, 1)
   * @param patience bad observations tolerated before a reduction, >= 0
   * @param threshold the least change that counts as an improvement, finite and >= 0
   * @param thresholdMode rel or abs, not null
   * @param cooldown observations after a reduction during which bad ones are not counted, >= 0
   * @param minLr the floor of the rate, in [0, lr0]
   * @param eps a reduction smaller than this is skipped, finite and >= 0
   * @param interval metrics averaged into one observation, >= 1
   */
  public ReduceLrOnPlateau(double lr0, Mode mode, double factor, long patience, double threshold,
      ThresholdMode thresholdMode, long cooldown, double minLr, double eps, long interval) {
    this.lr0 = Checks.positive("lr0", lr0);
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null; use MIN or MAX");
    }
    this.mode = mode;
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
    }
    this.factor = factor;
    this.patience = Checks.atLeast("patience", patience, 0);
    this.threshold = Checks.nonNegative("threshold", threshold);
    if (thresholdMode == null) {
      throw new IllegalArgumentException("thresholdMode must not be null; use REL or ABS");
    }
    this.thresholdMode = thresholdMode;
    this.cooldown = Checks.atLeast("cooldown", cooldown, 0);
    this.minLr = Checks.floor("minLr", minLr, lr0);
    this.eps = Checks.nonNegative("eps", eps);
    this.interval = Checks.atLeast("interval", interval, 1);
    lr = lr0;
    best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /** With PyTorch's defaults (min, 0.1, 10, 1e-4, rel, 0, 0, 1e-8), one observation a step. */
  public ReduceLrOnPlateau(double lr0) {
    this(lr0, MODE, FACTOR, PATIENCE, THRESHOLD, THRESHOLD_MODE, COOLDOWN, MIN_LR, EPS, INTERVAL);
  }

  /** The current rate, whatever the step: it changes only through {@link #observe}. */
  @Override
  public double rate(long step) {
    Checks.step(step);
    return lr;
  }

  @Override
  public void observe(long step, double metric) {
    Checks.step(step);
    if (interval > 1) {
      intervalSum += metric;
      if (++intervalCount < interval) {
        return;
      }
      metric = intervalSum / interval;
      intervalSum = 0;
      intervalCount = 0;
    }
    lastEpoch++;
    if (isBetter(metric)) {
      best = metric;
      numBadEpochs = 0;
    } else {
      numBadEpochs++;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      numBadEpochs = 0;
    }
    if (numBadEpochs > patience) {
      double newLr = Math.max(lr * factor, minLr);
      if (lr - newLr > eps) {
        lr = newLr;
      }
      cooldownCounter = cooldown;
      numBadEpochs = 0;
    }
  }

  private boolean isBetter(double a) {
    if (mode == Mode.MIN) {
      return thresholdMode == ThresholdMode.REL
          ? a < best * (1.0 - threshold) : a < best - threshold;
    }
    return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.0) : a > best + threshold;
  }

  /** A fresh copy with the same configuration: rate lr0, nothing observed. */
  @Override
  public LearningRateSchedule resolve(long stepsPerEpoch) {
    Checks.atLeast("stepsPerEpoch", stepsPerEpoch, 1);
    return new ReduceLrOnPlateau(lr0, mode, factor, patience, threshold, thresholdMode, cooldown,
        minLr, eps, interval);
  }

  /**
   * The state of a {@link ReduceLrOnPlateau}, written as {@code "plateau"}, in PyTorch's names.
   *
   * @param lr the current rate, in [minLr, lr0]
   * @param best the best metric so far: +∞ (min) or −∞ (max) before the first observation
   * @param numBadEpochs bad observations since the last improvement, cooldown or reduction
   * @param cooldownCounter observations of the cooldown still to come
   * @param lastEpoch observations so far
   * @param intervalSum the sum of the metrics of the interval begun, not yet one observation
   * @param intervalCount how many metrics {@code intervalSum} holds, below {@code interval}
   */
  public record State(double lr, double best, long numBadEpochs, long cooldownCounter,
      long lastEpoch, double intervalSum, long intervalCount) implements ScheduleState {}

  /** lr, best and the counters; the partial mean of the current interval. */
  @Override
  public State state() {
    return new State(lr, best, numBadEpochs, cooldownCounter, lastEpoch, intervalSum,
        intervalCount);
  }

  @Override
  public void restore(ScheduleState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException(this + ": expected a plateau state, got "
          + (state == null ? "null" : "a state of " + StateJson.typeName(state)));
    }
    if (!(s.lr() >= minLr && s.lr() <= lr0)) {
      throw new IllegalArgumentException(this + ": state 'lr' must be in [minLr, lr0] = ["
          + minLr + ", " + lr0 + "], got " + s.lr());
    }
    if (Double.isNaN(s.best())) {
      throw new IllegalArgumentException(this + ": state 'best' must not be NaN; it is "
          + (mode == Mode.MIN ? "+" : "-") + "Infinity before the first observation");
    }
    count("numBadEpochs", s.numBadEpochs());
    count("cooldownCounter", s.cooldownCounter());
    count("lastEpoch", s.lastEpoch());
    count("intervalCount", s.intervalCount());
    if (s.intervalCount() >= interval) {
      throw new IllegalArgumentException(this + ": state 'intervalCount' must be < interval "
          + interval + ", got " + s.intervalCount());
    }
    lr = s.lr();
    best = s.best();
    numBadEpochs = s.numBadEpochs();
    cooldownCounter = s.cooldownCounter();
    lastEpoch = s.lastEpoch();
    intervalSum = s.intervalSum();
    intervalCount = s.intervalCount();
  }

  private void count(String key, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(this + ": state '" + key + "' must be >= 0, got " + v);
    }
  }

  @Override
  public String toString() {
    return "ReduceLrOnPlateau(lr0=" + lr0 + ", mode=" + mode.name().toLowerCase(Locale.ROOT)
        + ", factor=" + factor + ", patience=" + patience + ", threshold=" + threshold
        + ", thresholdMode=" + thresholdMode.name().toLowerCase(Locale.ROOT)
        + ", cooldown=" + cooldown + ", minLr=" + minLr + ", eps=" + eps
        + (interval != 1 ? ", interval=" + interval : "") + ")";
  }
}
