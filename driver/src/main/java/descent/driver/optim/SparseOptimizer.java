package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerConfig;
import descent.driver.OptimizerState;
import descent.driver.Regularizer;
import java.util.Arrays;

/**
 * A first-order optimizer's step on a gradient that touches few coordinates, in time and memory
 * proportional to the touched coordinates: for sparse wide data (hashed or one-hot features)
 * whose mini-batch holds a few thousand of millions of features. It gives the dense
 * {@link Optimizer}'s model where the update has an exact sparse form ({@link SparseUpdate#EXACT})
 * and moves only the touched coordinates where it has none ({@link SparseUpdate#LAZY}).
 * {@link #of} picks one for a configuration, or says in one line why the run stays dense.
 *
 * <p><b>Parameters as a scale and a vector.</b> The parameters are {@code w_j = s·v_j} for the
 * coefficients ({@code j < numCoefficients}) and {@code w_j = v_j} for the intercepts after them.
 * The caller holds {@code v} (the array it ships to the executors) and passes it to each step;
 * this optimizer holds the scale {@code s}. A decay of every coefficient by a factor,
 * {@code w ← (1 − lr·λ)·w}, costs O(1): {@code s ← s·(1 − lr·λ)}, and a touched coordinate moves
 * by {@code v_j ← v_j − Δ_j/s}, where {@code Δ_j} is the dense optimizer's step on it. After each
 * step {@code (v, s)} equals the model on every coordinate, so an executor can compute with
 * {@code w_j = s·v_j} for whatever features its next batch holds.
 *
 * <p><b>Renormalization.</b> When the new scale falls below {@link #MIN_SCALE} (or to 0 or
 * below, when {@code lr·λ >= 1}), it is folded into {@code v}: {@code v_j ← s·v_j} for every
 * coefficient and {@code s ← 1}. That step changes every coefficient of {@code v} and costs
 * O(d); {@link #renormalized()} says so and {@link #changed()} lists them all.
 *
 * <p><b>Per optimizer</b> (g: the mini-batch gradient of the loss, λ₂ = {@code regL2}):
 * <ul>
 * <li>{@code sgd} without momentum, exact: the L2 penalty through the scale,
 *     {@code s ← s·(1 − lr·λ₂)}, {@code v_j ← v_j − lr·g_j/s} on touched j.
 * <li>{@code adagrad} without L2, exact: an untouched coordinate has g = 0, so neither its sum
 *     of squares nor its parameter changes.
 * <li>{@code rmsprop} without momentum and without L2, exact: an untouched coordinate's
 *     parameter stays put while its averages decay by α a step; they are caught up by
 *     {@code α^k} at its next touch ({@code k} steps later) and at {@link #catchUp}.
 * <li>{@code delta-bar-delta} without L2, exact: an untouched coordinate keeps its gain and
 *     parameter while its averaged gradient decays by θ̄ a step, caught up by {@code θ̄^k}.
 * <li>{@code sgd} with momentum (or Nesterov, with dampening and L2), exact
 *     ({@link SparseMomentum}): an untouched coordinate keeps moving with its buffer, which no
 *     single scale can follow, but every untouched pair {@code (w_j, b_j)} moves by the same
 *     2×2 map, so the model is two vectors and a global 2×2 map,
 *     {@code w_j = s·v_j + r·y_j} ({@link #secondVector()}, {@link #secondScale()}), and the
 *     executors read both vectors.
 * <li>{@code sgd} with momentum and an L1 penalty, lazy, as TensorFlow's sparse momentum: on
 *     touched j only, {@code b_j ← μ·b_j + (1 − τ)·g_j} ({@code b_j = g_j} at the first step),
 *     {@code w_j −= lr·(nesterov ? g_j + μ·b_j : b_j)}; other buffers neither decay nor move
 *     their parameter.
 * <li>{@code rmsprop} with momentum, lazy: as above for the momentum buffer; its averages are
 *     still caught up by {@code α^k} (TensorFlow's sparse kernel does not decay them).
 * <li>{@code adam}, lazy (TensorFlow's {@code LazyAdamOptimizer}): on touched j only, m, v (and
 *     vmax) and the parameter take Adam's update with the global step count t in the bias
 *     corrections; untouched moments do not decay. Adam has no exact sparse form: with ε, an
 *     untouched coordinate keeps moving by {@code lr·m̂/(√v̂ + ε)} with {@code m ≠ 0}.
 * <li>{@code adamw}, lazy: the decoupled decay {@code w ← (1 − lr·λ)·w} through the scale
 *     (exact on every coefficient), then lazy Adam.
 * <li>An L2 penalty with {@code adagrad}, {@code rmsprop}, {@code delta-bar-delta} or Adam
 *     reaches every coefficient through the optimizer's own scaling and has no exact sparse form; lazy adds
 *     its gradient {@code λ₂·w_j} on the touched coordinates only, so a coefficient is
 *     penalized in the steps whose batch holds its feature.
 * <li>An L1 penalty ({@code regL1} = λ₁, the elastic net's L1 part) soft-thresholds every
 *     nonzero coefficient each step in the dense path ({@code ProximalOptimizer}) and has no
 *     exact sparse form. Lazy: the cumulative penalty of Tsuruoka, Tsujii and Ananiadou,
 *     "Stochastic Gradient Descent Training for L1-regularized Log-linear Models with Cumulative
 *     Penalty", ACL 2009, kept in v's units so the scale carries it: {@code u ← u + lr·λ₁/s}
 *     each step, and after a touched coefficient's update
 *     <pre>
 *   v_j &gt; 0:  v_j ← max(0, v_j − (u + q_j))
 *   v_j &lt; 0:  v_j ← min(0, v_j + (u − q_j))
 *   q_j ← q_j + (v_j,new − v_j,old)
 *     </pre>
 *     (in w's units the threshold is {@code s·(u + q_j)}). Untouched coefficients take their
 *     pending penalty at their next touch or at {@link #catchUp}.
 * </ul>
 *
 * <p><b>Life cycle.</b> {@link #step} once a step, then {@link #changed()}, {@link #scale()},
 * {@link #gradientNorm()} and {@link #stepNorm()} describe it. {@link #catchUp} brings every
 * coordinate up to date in O(d): it folds the scale into {@code v}, catches up RMSprop's
 * averages and applies pending L1 penalties; call it for a checkpoint and at the end. It is part
 * of the run (it rounds differently from a run without it, and the lazy L1 penalty drops the
 * cumulative credit of coefficients held at zero), so a resumed run continues bit for bit when
 * the uninterrupted run also called it at the checkpoint's step. {@link #state()}, after
 * {@link #catchUp}, gives the dense optimizer's own {@link OptimizerState} record, and
 * {@link #restore} takes such a record, so checkpoints pass between the sparse and the dense
 * path.
 */
public abstract class SparseOptimizer {

  /**
   * The smallest scale kept: below it (or at 0 or below) the scale is folded into {@code v}.
   * Any value far from underflow works; 1e-9 renormalizes once in about
   * {@code 20.7/(lr·λ)} steps.
   */
  public static final double MIN_SCALE = 1e-9;

  private final String name;
  private final SparseUpdate mode;
  private final int numParams;
  private final int numCoefficients;
  private final double regL1;
  private final double regL2;
  /** λ of the scale's decay {@code s ← s·(1 − lr·λ)}: λ₂ (exact SGD), AdamW's weight decay, 0. */
  private final double decay;
  /** Whether the touched coefficients' gradient given to the update holds {@code λ₂·w_j}. */
  private final boolean l2InGradient;

  private long step;
  private double scale = 1.0;
  /** Σ v_j² over the coefficients, kept as v changes; NaN until first computed. */
  private double coefficientSquares = Double.NaN;
  /** u of the cumulative L1 penalty, in v's units. */
  private double penaltyTotal;
  /** q_j of the cumulative L1 penalty, in v's units; null without an L1 penalty. */
  private final double[] penaltyApplied;
  private boolean caughtUp = true;

  private int[] changed = new int[0];
  private int changedCount;
  private boolean renormalized;
  private double gradientNorm = Double.NaN;
  private double stepNorm = Double.NaN;

  /** Δ_j of the current step's touched coordinates, by position. */
  private double[] deltas = new double[0];
  /** w_j before the current step, by position. */
  private double[] before = new double[0];

  SparseOptimizer(String name, SparseUpdate mode, int numParams, int numCoefficients,
      double regL1, double regL2, double decay, boolean l2InGradient) {
    if (numCoefficients < 0 || numCoefficients > numParams) {
      throw new IllegalArgumentException(name + ": numCoefficients=" + numCoefficients
          + " must be in [0, numParams=" + numParams + "]");
    }
    this.name = name;
    this.mode = mode;
    this.numParams = numParams;
    this.numCoefficients = numCoefficients;
    this.regL1 = Checks.nonNegative("regL1", regL1);
    this.regL2 = Checks.nonNegative("regL2", regL2);
    this.decay = Checks.nonNegative("decay", decay);
    this.l2InGradient = l2InGradient;
    this.penaltyApplied = regL1 > 0 ? new double[numCoefficients] : null;
  }

  /**
   * A sparse optimizer for a configuration, or the one-line reason the run stays dense.
   *
   * @param optimizer the sparse optimizer; null when {@code reason} is set
   * @param reason why there is no sparse update in the requested mode, for the run's report;
   *     null when {@code optimizer} is set
   */
  public record Choice(SparseOptimizer optimizer, String reason) {

    /** Whether a sparse optimizer was found. */
    public boolean isSparse() {
      return optimizer != null;
    }
  }

  /**
   * The sparse optimizer for {@code config} with {@code regularizer} in {@code mode}, for a
   * model of {@code numParams} parameters whose first {@code numCoefficients} are coefficients
   * (see {@code Loss.numParams} and {@code Loss.numCoefficients}). {@link SparseUpdate#LAZY}
   * gives an exact optimizer wherever one exists; its {@link #mode()} then says {@code EXACT}.
   * Full-batch runs stay dense whatever this returns: the loop decides that.
   *
   * @throws IllegalArgumentException if {@code config} is invalid (as {@link
   *     OptimizerConfig#create})
   */
  public static Choice of(OptimizerConfig config, Regularizer regularizer, int numParams,
      int numCoefficients, SparseUpdate mode) {
    Optimizer dense = config.create(numCoefficients);
    String name = dense.name();
    if (!(regularizer instanceof Regularizer.ElasticNet net)) {
      return new Choice(null, "the penalty " + regularizer + " has no sparse update");
    }
    double l1 = net.regL1();
    double l2 = net.regL2();
    boolean exact = mode == SparseUpdate.EXACT;
    String lazyTouched = "; --sparse-update lazy updates only the touched coordinates";
    String l1Reason = "an L1 penalty has no exact sparse update (its soft threshold moves every"
        + " nonzero coefficient each step); --sparse-update lazy applies the cumulative penalty"
        + " (Tsuruoka et al. 2009) to the touched coordinates";
    String l2Reason = name + " with an L2 penalty has no exact sparse update (the penalty's"
        + " gradient reaches every coefficient through " + name + "'s per-coordinate scaling);"
        + " --sparse-update lazy adds it on the touched coordinates only";
    if (dense instanceof MomentumSgd sgd) {
      if (sgd.momentum() == 0) {
        if (exact && l1 > 0) {
          return new Choice(null, l1Reason);
        }
        return new Choice(new SparseSgd(l1 > 0 ? SparseUpdate.LAZY : SparseUpdate.EXACT,
            numParams, numCoefficients, l1, l2, 0, 0, false), null);
      }
      if (l1 == 0) {
        return new Choice(new SparseMomentum(numParams, numCoefficients, l2, sgd.momentum(),
            sgd.dampening(), sgd.nesterov()), null);
      }
      if (exact) {
        return new Choice(null, l1Reason);
      }
      return new Choice(new SparseSgd(SparseUpdate.LAZY, numParams, numCoefficients, l1, l2,
          sgd.momentum(), sgd.dampening(), sgd.nesterov()), null);
    }
    if (dense instanceof Adagrad a) {
      String why = l1 > 0 ? l1Reason : l2 > 0 ? l2Reason : null;
      if (exact && why != null) {
        return new Choice(null, why);
      }
      return new Choice(new SparseAdagrad(why == null ? SparseUpdate.EXACT : SparseUpdate.LAZY,
          numParams, numCoefficients, l1, l2, a.lrDecay(), a.initialAccumulatorValue(),
          a.eps()), null);
    }
    if (dense instanceof RmsProp r) {
      String why = r.momentum() > 0
          ? "rmsprop with momentum has no exact sparse update (an untouched coordinate keeps"
              + " moving with its momentum buffer)" + lazyTouched
          : l1 > 0 ? l1Reason : l2 > 0 ? l2Reason : null;
      if (exact && why != null) {
        return new Choice(null, why);
      }
      return new Choice(new SparseRmsProp(why == null ? SparseUpdate.EXACT : SparseUpdate.LAZY,
          numParams, numCoefficients, l1, l2, r.alpha(), r.eps(), r.momentum(), r.centered()),
          null);
    }
    if (dense instanceof Adam a) {
      if (exact) {
        return new Choice(null, "adam has no exact sparse update (an untouched coordinate keeps"
            + " moving with its first moment)" + lazyTouched + " (LazyAdam)");
      }
      return new Choice(new SparseAdam("adam", numParams, numCoefficients, l1, l2, 0, a.beta1(),
          a.beta2(), a.eps(), a.amsgrad()), null);
    }
    if (dense instanceof AdamW a) {
      if (exact) {
        return new Choice(null, "adamw has no exact sparse update (an untouched coordinate keeps"
            + " moving with its first moment)" + lazyTouched + " (LazyAdam) and decays every"
            + " coefficient through a scale factor");
      }
      return new Choice(new SparseAdam("adamw", numParams, numCoefficients, l1, l2,
          a.weightDecay(), a.beta1(), a.beta2(), a.eps(), a.amsgrad()), null);
    }
    if (dense instanceof DeltaBarDelta d) {
      String why = l1 > 0 ? l1Reason : l2 > 0 ? l2Reason : null;
      if (exact && why != null) {
        return new Choice(null, why);
      }
      return new Choice(new SparseDeltaBarDelta(why == null ? SparseUpdate.EXACT
          : SparseUpdate.LAZY, numParams, numCoefficients, l1, l2, d.kappa(), d.phi(),
          d.theta()), null);
    }
    if (dense.isSecondOrder()) {
      return new Choice(null, name + " is a second-order method and stays dense");
    }
    return new Choice(null, name + " has no sparse update (its trust ratio needs the norm of"
        + " the whole update)");
  }

  /** Called once a step before the touched coordinates: allocates state, per-step constants. */
  abstract void beginStep(long t, double lr);

  /**
   * The dense optimizer's step on coordinate {@code j} for gradient {@code g} at step {@code t}:
   * it updates j's state and returns Δ_j with {@code w_j ← w_j − Δ_j} (after the scale's decay).
   */
  abstract double delta(int j, double g, long t, double lr);

  /**
   * Brings every coordinate's state up to step {@code t}, and {@code v} where the optimizer
   * keeps part of the model itself (after the scale is folded in); O(d).
   */
  void catchUpState(long t, double[] v) {}

  /** The dense optimizer's state record (every coordinate up to date). */
  abstract OptimizerState denseState();

  /**
   * Validates a dense optimizer's state record for {@link #numParams()} parameters and takes a
   * copy of its arrays; returns its step count. Leaves this optimizer unchanged when it throws.
   */
  abstract long restoreState(OptimizerState state);

  /**
   * For an optimizer that catches each coordinate up to the step it last saw: every coordinate
   * of a state restored at {@code step} caught up there, or null when the state holds no vector
   * yet; refused past the int steps the record keeps.
   */
  static int[] caughtUpAt(String name, long step, double[] state) {
    if (step > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " state step " + step + " exceeds "
          + Integer.MAX_VALUE);
    }
    if (state == null) {
      return null;
    }
    int[] upTo = new int[state.length];
    Arrays.fill(upTo, (int) step);
    return upTo;
  }

  /**
   * One step: moves the model {@code (v, scale)} against the loss gradient whose nonzero
   * entries are {@code values[i]} at coordinates {@code indices[i]}, {@code i < count}
   * (ascending, each at most once), with learning rate {@code lr}. The gradient is the loss's
   * only: this optimizer adds the L2 penalty's gradient and applies the L1 penalty itself, as
   * the dense path adds {@code Regularizer.addGradient} and {@code ProximalOptimizer} does.
   * O(count), and O(numParams) on a step that renormalizes.
   */
  public final void step(double[] v, int[] indices, double[] values, int count, double lr) {
    checkStep(v, indices, values, count);
    long t = step + 1;
    takeStep(v, indices, values, count, lr, t);
    step = t;
    caughtUp = false;
  }

  /**
   * Step {@code t} on checked arguments: moves {@code (v, scale)} and records the step's
   * changed coordinates and norms. This is the scaled model's step; {@link SparseMomentum}
   * keeps a model of its own and takes its own step.
   */
  void takeStep(double[] v, int[] indices, double[] values, int count, double lr, long t) {
    if (Double.isNaN(coefficientSquares)) {
      coefficientSquares = coefficientSquares(v);
    }
    beginStep(t, lr);
    if (deltas.length < count) {
      deltas = new double[Math.max(count, 2 * deltas.length)];
      before = new double[deltas.length];
    }
    int nc = numCoefficients;
    double oldScale = scale;
    double newScale = decay == 0 ? oldScale : oldScale * (1 - lr * decay);
    double gradSq = 0.0;
    double touchedSq = 0.0;
    for (int i = 0; i < count; i++) {
      int j = indices[i];
      double g = values[i];
      if (j < nc) {
        double w = oldScale * v[j];
        before[i] = w;
        touchedSq += v[j] * v[j];
        double full = g + regL2 * w;
        gradSq += full * full;
        deltas[i] = delta(j, l2InGradient ? full : g, t, lr);
      } else {
        before[i] = v[j];
        gradSq += g * g;
        deltas[i] = delta(j, g, t, lr);
      }
    }
    double untouchedSq = Math.max(0.0, coefficientSquares - touchedSq);
    if (regL2 > 0) {
      gradSq += regL2 * regL2 * oldScale * oldScale * untouchedSq;
    }

    renormalized = !(newScale >= MIN_SCALE);
    if (renormalized) {
      fold(v, newScale);
      scale = 1.0;
    } else {
      scale = newScale;
    }
    double s = scale;
    if (penaltyApplied != null) {
      penaltyTotal += lr * regL1 / s;
    }
    double stepSq = 0.0;
    for (int i = 0; i < count; i++) {
      int j = indices[i];
      if (j < nc) {
        double x = v[j] - deltas[i] / s;
        if (penaltyApplied != null) {
          x = clip(j, x);
        }
        coefficientSquares += x * x - v[j] * v[j];
        v[j] = x;
        double dw = s * x - before[i];
        stepSq += dw * dw;
      } else {
        double x = v[j] - deltas[i];
        v[j] = x;
        double dw = x - before[i];
        stepSq += dw * dw;
      }
    }
    if (newScale != oldScale) {
      stepSq += (newScale - oldScale) * (newScale - oldScale) * untouchedSq;
    }

    if (renormalized) {
      coefficientSquares = coefficientSquares(v);
      int tail = 0;
      for (int i = 0; i < count; i++) {
        tail += indices[i] >= nc ? 1 : 0;
      }
      ensureChanged(nc + tail);
      for (int j = 0; j < nc; j++) {
        changed[j] = j;
      }
      int k = nc;
      for (int i = 0; i < count; i++) {
        if (indices[i] >= nc) {
          changed[k++] = indices[i];
        }
      }
      changedCount = k;
    } else {
      ensureChanged(count);
      System.arraycopy(indices, 0, changed, 0, count);
      changedCount = count;
    }
    gradientNorm = Math.sqrt(gradSq);
    stepNorm = Math.sqrt(stepSq);
  }

  /**
   * Records what a step of a subclass's own {@link #takeStep} did: the first {@code count}
   * entries of {@code changedCoordinates} (ascending; taken, not copied), whether every
   * coefficient changed, and the step's norms.
   */
  final void recordStep(int[] changedCoordinates, int count, boolean everyCoefficient,
      double gradientNorm, double stepNorm) {
    this.changed = changedCoordinates;
    this.changedCount = count;
    this.renormalized = everyCoefficient;
    this.gradientNorm = gradientNorm;
    this.stepNorm = stepNorm;
  }

  /** {@code v_j ← f·v_j} on the coefficients, with the L1 penalty's u and q in v's units. */
  private void fold(double[] v, double f) {
    for (int j = 0; j < numCoefficients; j++) {
      v[j] *= f;
    }
    if (penaltyApplied != null) {
      penaltyTotal *= f;
      for (int j = 0; j < numCoefficients; j++) {
        penaltyApplied[j] *= f;
      }
    }
  }

  /** Tsuruoka et al.'s cumulative-penalty clip of coefficient j, whose value is now {@code x}. */
  private double clip(int j, double x) {
    double z;
    if (x > 0) {
      z = Math.max(0.0, x - (penaltyTotal + penaltyApplied[j]));
    } else if (x < 0) {
      z = Math.min(0.0, x + (penaltyTotal - penaltyApplied[j]));
    } else {
      return x;
    }
    penaltyApplied[j] += z - x;
    return z;
  }

  private double coefficientSquares(double[] v) {
    double sum = 0.0;
    for (int j = 0; j < numCoefficients; j++) {
      sum += v[j] * v[j];
    }
    return sum;
  }

  private void ensureChanged(int n) {
    if (changed.length < n) {
      changed = new int[Math.min(numParams, Math.max(n, 2 * changed.length))];
    }
  }

  private void checkStep(double[] v, int[] indices, double[] values, int count) {
    checkParams(v);
    if (count < 0 || count > indices.length || count > values.length) {
      throw new IllegalArgumentException(name + ": count=" + count + " must be in [0, "
          + Math.min(indices.length, values.length) + "], the length of the indices ("
          + indices.length + ") and values (" + values.length + ")");
    }
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int j = indices[i];
      if (j <= previous || j >= numParams) {
        throw new IllegalArgumentException(name + ": gradient index " + j + " at position " + i
            + (j >= numParams ? " is not below numParams=" + numParams
                : " does not follow " + previous + "; indices must be ascending and distinct"));
      }
      previous = j;
    }
  }

  private void checkParams(double[] v) {
    if (v.length != numParams) {
      throw new IllegalArgumentException(name + ": built for " + numParams
          + " parameters but got " + v.length);
    }
  }

  /**
   * Brings every coordinate up to date in O(numParams): applies each coefficient's pending L1
   * penalty (and drops the cumulative penalty's history), catches up the optimizer's state,
   * and folds the scale into {@code v}, so that afterwards {@code v} is the model and
   * {@link #scale()} is 1. It may change every coefficient of {@code v}.
   */
  public final void catchUp(double[] v) {
    checkParams(v);
    if (penaltyApplied != null) {
      for (int j = 0; j < numCoefficients; j++) {
        v[j] = clip(j, v[j]);
      }
      penaltyTotal = 0.0;
      Arrays.fill(penaltyApplied, 0.0);
    }
    if (scale != 1.0) {
      for (int j = 0; j < numCoefficients; j++) {
        v[j] *= scale;
      }
      scale = 1.0;
    }
    catchUpState(step, v);
    coefficientSquares = coefficientSquares(v);
    caughtUp = true;
  }

  /** Whether nothing is pending: no step since the last {@link #catchUp} or {@link #restore}. */
  public final boolean isCaughtUp() {
    return caughtUp;
  }

  /**
   * The dense optimizer's state record ({@code MomentumSgd.State}, {@code Adagrad.State},
   * {@code RmsProp.State}, {@code Adam.State}, {@code AdamW.State}), a deep copy.
   *
   * @throws IllegalStateException unless {@link #isCaughtUp()}: call {@link #catchUp} first
   */
  public final OptimizerState state() {
    if (!caughtUp) {
      throw new IllegalStateException(name + ": call catchUp(v) before state(); steps since the"
          + " last catch-up leave state and scale pending");
    }
    return denseState();
  }

  /**
   * Continues from a state given by {@link #state()} or by the dense optimizer of the same
   * configuration, with {@code params} (the model, which becomes {@code v} with scale 1).
   *
   * @throws IllegalArgumentException if the state is another optimizer's or does not fit (as
   *     the dense optimizer's {@code restore}), or its arrays or {@code params} do not hold
   *     {@link #numParams()} entries; the optimizer is then unchanged
   */
  public final void restore(OptimizerState state, double[] params) {
    checkParams(params);
    step = restoreState(state);
    scale = 1.0;
    penaltyTotal = 0.0;
    if (penaltyApplied != null) {
      Arrays.fill(penaltyApplied, 0.0);
    }
    coefficientSquares = coefficientSquares(params);
    caughtUp = true;
  }

  /** Refuses restored arrays that do not hold one entry per parameter. */
  final void checkLength(double[] restored) {
    if (restored != null && restored.length != numParams) {
      throw new IllegalArgumentException(name + " state has length " + restored.length
          + " but the model has " + numParams + " parameters");
    }
  }

  /**
   * The coordinates of {@code v} the last step changed, ascending, in the first
   * {@link #changedCount()} entries of this reused buffer: the touched coordinates, or every
   * coefficient and the touched intercepts after a renormalization.
   */
  public final int[] changed() {
    return changed;
  }

  /** How many entries of {@link #changed()} the last step filled. */
  public final int changedCount() {
    return changedCount;
  }

  /** Whether the last step folded the scale into {@code v}, changing every coefficient. */
  public final boolean renormalized() {
    return renormalized;
  }

  /**
   * s: the model's coefficients are {@code s·v_j} (plus {@link #secondScale()}{@code ·y_j}
   * where the optimizer keeps a {@link #secondVector()}); its intercepts are {@code v_j}.
   */
  public double scale() {
    return scale;
  }

  /**
   * y, the second vector of a model {@code w_j = s·v_j + r·y_j} (its first
   * {@link #numCoefficients()} entries), which the executors need beside v; null for a model
   * {@code s·v} alone. The optimizer changes it in place, at the coefficients
   * {@link #changed()} lists. Read only.
   */
  public double[] secondVector() {
    return null;
  }

  /** r, the second vector's scale; 0 without a second vector. */
  public double secondScale() {
    return 0.0;
  }

  /**
   * {@code Σ w_j²} over the coefficients, given {@code vSquares = Σ v_j²}: {@code s²·vSquares}
   * for the scaled model; a model with a second vector keeps its own.
   */
  public double squaredNorm(double vSquares) {
    return scale * scale * vSquares;
  }

  /**
   * {@code ||g + λ₂·w||} of the last step, over every coordinate: the norm of the objective's
   * gradient the dense path reports, at the parameters before the step.
   */
  public final double gradientNorm() {
    return gradientNorm;
  }

  /**
   * {@code ||w_new − w_old||} of the last step over every coordinate, the untouched
   * coefficients' share {@code |s_new − s_old|·(Σ_untouched v_j²)^½} in closed form.
   */
  public final double stepNorm() {
    return stepNorm;
  }

  /** t, the steps taken. */
  public final long steps() {
    return step;
  }

  /** The dense optimizer's name, as on the command line. */
  public final String name() {
    return name;
  }

  /** Whether this optimizer gives the dense model ({@code EXACT}) or a lazy one. */
  public final SparseUpdate mode() {
    return mode;
  }

  public final int numParams() {
    return numParams;
  }

  public final int numCoefficients() {
    return numCoefficients;
  }

  public final double regL1() {
    return regL1;
  }

  public final double regL2() {
    return regL2;
  }

  /** The hyperparameters of the update, for {@link #toString}. */
  abstract String hyperparameters();

  @Override
  public String toString() {
    return "Sparse(" + name + ", " + mode.flag() + ", " + hyperparameters() + ", numParams="
        + numParams + ", numCoefficients=" + numCoefficients + ", regL1=" + regL1 + ", regL2="
        + regL2 + ")";
  }
}
