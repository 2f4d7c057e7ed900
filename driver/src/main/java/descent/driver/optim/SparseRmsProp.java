package descent.driver.optim;

import descent.driver.OptimizerState;

/**
 * {@link RmsProp} on a sparse gradient. An untouched coordinate's averages decay by α a step
 * while (without momentum) its parameter stays put, so each coordinate remembers the step
 * {@code t_j} it was last brought up to, and its averages are caught up by α^k,
 * {@code k = t − 1 − t_j}, when next touched at step t (and at {@link #catchUp}):
 * <pre>
 *   v_j ← α^k·v_j,   ḡ_j ← α^k·ḡ_j                          (catch-up)
 *   v_j ← α·v_j + (1 − α)·g_j²,   ḡ_j ← α·ḡ_j + (1 − α)·g_j   (RMSprop's step)
 *   w_j ← w_j − lr·g_j / (√(v_j − ḡ_j²) + ε)                    (ḡ = 0 unless centered)
 * </pre>
 * Exact without momentum and without an L2 penalty. With momentum μ it is lazy: the buffer
 * {@code b_j ← μ·b_j + g_j/(√ṽ_j + ε)} and {@code w_j ← w_j − lr·b_j} move on touched j only
 * (the averages are still caught up, unlike TensorFlow's sparse kernel); an L2 penalty's
 * gradient is added on the touched coefficients only.
 *
 * <p>State: {@link RmsProp.State}; the steps {@code t_j} are not part of it, since
 * {@link #catchUp} brings every coordinate to t first.
 */
final class SparseRmsProp extends SparseOptimizer {
  private static final String NAME = "rmsprop";

  private final double alpha;
  private final double eps;
  private final double momentum;
  private final boolean centered;

  private double[] squareAvg;
  private double[] gradAvg;
  private double[] buffer;
  /** t_j: the step coordinate j's averages are up to. */
  private int[] upTo;

  SparseRmsProp(SparseUpdate mode, int numParams, int numCoefficients, double regL1,
      double regL2, double alpha, double eps, double momentum, boolean centered) {
    super(NAME, mode, numParams, numCoefficients, regL1, regL2, 0, true);
    this.alpha = alpha;
    this.eps = eps;
    this.momentum = momentum;
    this.centered = centered;
  }

  @Override
  void beginStep(long t, double lr) {
    if (t > Integer.MAX_VALUE) {
      throw new IllegalStateException(NAME + ": more than " + Integer.MAX_VALUE + " steps");
    }
    if (squareAvg == null) {
      int n = numParams();
      squareAvg = new double[n];
      gradAvg = centered ? new double[n] : null;
      buffer = momentum > 0 ? new double[n] : null;
      upTo = new int[n];
    }
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    double sq = squareAvg[j];
    double mean = centered ? gradAvg[j] : 0.0;
    long k = t - 1 - upTo[j];
    if (k > 0) {
      double decay = Math.pow(alpha, k);
      sq *= decay;
      mean *= decay;
    }
    upTo[j] = (int) t;
    double v = alpha * sq + (1 - alpha) * g * g;
    squareAvg[j] = v;
    if (centered) {
      mean = alpha * mean + (1 - alpha) * g;
      gradAvg[j] = mean;
      v = Math.max(v - mean * mean, 0);
    }
    double scaled = g / (Math.sqrt(v) + eps);
    if (momentum > 0) {
      double b = momentum * buffer[j] + scaled;
      buffer[j] = b;
      return lr * b;
    }
    return lr * scaled;
  }

  @Override
  void catchUpState(long t, double[] v) {
    if (squareAvg == null) {
      return;
    }
    long lastK = -1;
    double decay = 1.0;
    for (int j = 0; j < upTo.length; j++) {
      long k = t - upTo[j];
      if (k > 0) {
        if (k != lastK) {
          decay = Math.pow(alpha, k);
          lastK = k;
        }
        squareAvg[j] *= decay;
        if (centered) {
          gradAvg[j] *= decay;
        }
      }
      upTo[j] = (int) t;
    }
  }

  @Override
  OptimizerState denseState() {
    return new RmsProp.State(steps(), Checks.copy(squareAvg), Checks.copy(gradAvg),
        Checks.copy(buffer));
  }

  @Override
  long restoreState(OptimizerState state) {
    RmsProp.State s = Checks.stateOf(NAME, state, RmsProp.State.class);
    double[][] a = Checks.restore(NAME, s.step(),
        new Checks.Part("squareAvg", s.squareAvg(), true),
        new Checks.Part("gradAvg", s.gradAvg(), centered),
        new Checks.Part("momentumBuffer", s.momentumBuffer(), momentum > 0));
    checkLength(a[0]);
    upTo = caughtUpAt(NAME, s.step(), a[0]);
    squareAvg = a[0];
    gradAvg = a[1];
    buffer = a[2];
    return s.step();
  }

  @Override
  String hyperparameters() {
    return "alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", centered="
        + centered;
  }
}
