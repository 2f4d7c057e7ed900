package descent.driver.schedule;

import java.util.Arrays;
import java.util.Locale;

/**
 * Cycles the learning rate between baseLr and maxLr in triangles of stepSizeUp steps up and
 * stepSizeDown steps down (PyTorch's {@code CyclicLR}, without its momentum cycling):
 * <pre>
 *   L      = stepSizeUp + stepSizeDown,   r = stepSizeUp / L
 *   cycle  = ⌊1 + t / L⌋,                 x = 1 + t / L − cycle        (x ∈ [0, 1))
 *   s      = x / r                 if x ≤ r      (rising)
 *          = (x − 1) / (r − 1)     otherwise     (falling)
 *   lr(t)  = baseLr + (maxLr − baseLr) · s · f
 *   f      = 1                                   triangular
 *          = 1 / 2^(cycle − 1)                   triangular2 (the amplitude halves each cycle)
 *          = γ^t                                 exp_range   (the amplitude decays every step)
 * </pre>
 * A pure function of the step. Letting the rate rise now and then helps escape saddle points and
 * saves tuning a decay (Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017).
 */
public final class CyclicSchedule implements LearningRateSchedule {

  /** How the amplitude of the cycles scales, as PyTorch's {@code mode}. */
  public enum Mode {
    TRIANGULAR("triangular"), TRIANGULAR2("triangular2"), EXP_RANGE("exp_range");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    /** The name as PyTorch and the command line write it. */
    public String id() {
      return id;
    }

    /** The mode named {@code id} ({@code exp-range} is taken for {@code exp_range}). */
    public static Mode parse(String id) {
      for (Mode m : values()) {
        if (m.id.equals(id) || m.id.replace('_', '-').equals(id)) {
          return m;
        }
      }
      throw new IllegalArgumentException("mode '" + id + "' is not a cyclic mode; use one of "
          + String.join(", ", Arrays.stream(values()).map(Mode::id).toList()));
    }
  }

  /** PyTorch's default stepSizeUp. */
  public static final long STEP_SIZE_UP = 2000;
  /** PyTorch's default mode. */
  public static final Mode MODE = Mode.TRIANGULAR;
  /** PyTorch's default γ (exp_range only). */
  public static final double GAMMA = 1.0;

  private final double baseLr;
  private final double maxLr;
  private final long stepSizeUp;
  private final long stepSizeDown;
  private final Mode mode;
  private final double gamma;
  private final double totalSize;
  private final double stepRatio;

  /**
   * @param baseLr the lower bound, the rate at step 0, finite and > 0
   * @param maxLr the upper bound (reached in triangular mode), finite and > 0
   * @param stepSizeUp steps of the rising half of a cycle, >= 1
   * @param stepSizeDown steps of the falling half, >= 0 (0: a sawtooth)
   * @param mode how the amplitude scales, not null
   * @param gamma exp_range's per-step factor of the amplitude, in (0, 1]; must be
   *     {@link #GAMMA} in the other modes, which ignore it
   */
  public CyclicSchedule(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown,
      Mode mode, double gamma) {
    this.baseLr = Checks.positive("baseLr", baseLr);
    this.maxLr = Checks.positive("maxLr", maxLr);
    this.stepSizeUp = Checks.atLeast("stepSizeUp", stepSizeUp, 1);
    this.stepSizeDown = Checks.atLeast("stepSizeDown", stepSizeDown, 0);
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null; use one of "
          + Arrays.toString(Mode.values()));
    }
    this.mode = mode;
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
    }
    if (mode != Mode.EXP_RANGE && gamma != GAMMA) {
      throw new IllegalArgumentException("gamma applies to mode exp_range only, got gamma "
          + gamma + " with mode " + mode.id());
    }
    this.gamma = gamma;
    this.totalSize = (double) stepSizeUp + (double) stepSizeDown;
    this.stepRatio = stepSizeUp / totalSize;
  }

  /** Triangular, with stepSizeDown = stepSizeUp. */
  public CyclicSchedule(double baseLr, double maxLr, long stepSizeUp) {
    this(baseLr, maxLr, stepSizeUp, stepSizeUp, MODE, GAMMA);
  }

  @Override
  public double rate(long step) {
    Checks.step(step);
    double cycle = Math.floor(1 + step / totalSize);
    double x = 1.0 + step / totalSize - cycle;
    double scale = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    double baseHeight = (maxLr - baseLr) * scale;
    double f = switch (mode) {
      case TRIANGULAR -> 1.0;
      case TRIANGULAR2 -> 1 / Math.pow(2.0, cycle - 1);
      case EXP_RANGE -> Math.pow(gamma, step);
    };
    return baseLr + baseHeight * f;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "CyclicSchedule(baseLr=%s, maxLr=%s, stepSizeUp=%d, "
        + "stepSizeDown=%d, mode=%s%s)", baseLr, maxLr, stepSizeUp, stepSizeDown, mode.id(),
        mode == Mode.EXP_RANGE ? ", gamma=" + gamma : "");
  }
}
