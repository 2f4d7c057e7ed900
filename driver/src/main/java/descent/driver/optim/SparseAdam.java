package descent.driver.optim;

import descent.driver.OptimizerState;

/**
 * {@link Adam} and {@link AdamW} on a sparse gradient, lazy as TensorFlow's
 * {@code LazyAdamOptimizer}: on touched j only, with the global step count t,
 * <pre>
 *   m_j ← β1·m_j + (1 − β1)·g_j,   v_j ← β2·v_j + (1 − β2)·g_j²   (vmax_j ← max(vmax_j, v_j))
 *   w_j ← w_j − lr·(m_j/(1 − β1^t)) / (√(v_j/(1 − β2^t)) + ε)
 * </pre>
 * Untouched moments do not decay and their parameters do not move, where dense Adam would keep
 * moving them by {@code lr·m̂/(√v̂ + ε)}. AdamW's decoupled decay {@code w ← (1 − lr·λ)·w}
 * acts on every coefficient through the scale, before the Adam step, as in {@link AdamW}. An L2
 * penalty's gradient is added on the touched coefficients only.
 *
 * <p>State: {@link Adam.State} or {@link AdamW.State}.
 */
final class SparseAdam extends SparseOptimizer {

  private final boolean decoupled;
  private final double weightDecay;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean amsgrad;

  private double[] expAvg;
  private double[] expAvgSq;
  private double[] maxExpAvgSq;
  private double biasCorrection1;
  private double biasCorrection2;

  /** {@code name} "adam" or "adamw"; {@code weightDecay} λ of AdamW (0 for Adam). */
  SparseAdam(String name, int numParams, int numCoefficients, double regL1, double regL2,
      double weightDecay, double beta1, double beta2, double eps, boolean amsgrad) {
    super(name, SparseUpdate.LAZY, numParams, numCoefficients, regL1, regL2, weightDecay, true);
    this.decoupled = name.equals("adamw");
    this.weightDecay = weightDecay;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.amsgrad = amsgrad;
  }

  @Override
  void beginStep(long t, double lr) {
    if (expAvg == null) {
      int n = numParams();
      expAvg = new double[n];
      expAvgSq = new double[n];
      maxExpAvgSq = amsgrad ? new double[n] : null;
    }
    biasCorrection1 = 1 - Math.pow(beta1, t);
    biasCorrection2 = 1 - Math.pow(beta2, t);
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    double m = beta1 * expAvg[j] + (1 - beta1) * g;
    double v = beta2 * expAvgSq[j] + (1 - beta2) * g * g;
    expAvg[j] = m;
    expAvgSq[j] = v;
    if (amsgrad) {
      v = Math.max(maxExpAvgSq[j], v);
      maxExpAvgSq[j] = v;
    }
    return lr * (m / biasCorrection1) / (Math.sqrt(v / biasCorrection2) + eps);
  }

  @Override
  OptimizerState denseState() {
    if (decoupled) {
      return new AdamW.State(steps(), Checks.copy(expAvg), Checks.copy(expAvgSq),
          Checks.copy(maxExpAvgSq));
    }
    return new Adam.State(steps(), Checks.copy(expAvg), Checks.copy(expAvgSq),
        Checks.copy(maxExpAvgSq));
  }

  @Override
  long restoreState(OptimizerState state) {
    long t;
    double[] m;
    double[] v;
    double[] vmax;
    if (decoupled) {
      AdamW.State s = Checks.stateOf(name(), state, AdamW.State.class);
      t = s.step();
      m = s.expAvg();
      v = s.expAvgSq();
      vmax = s.maxExpAvgSq();
    } else {
      Adam.State s = Checks.stateOf(name(), state, Adam.State.class);
      t = s.step();
      m = s.expAvg();
      v = s.expAvgSq();
      vmax = s.maxExpAvgSq();
    }
    double[][] a = Checks.restore(name(), t, new Checks.Part("expAvg", m, true),
        new Checks.Part("expAvgSq", v, true), new Checks.Part("maxExpAvgSq", vmax, amsgrad));
    checkLength(a[0]);
    expAvg = a[0];
    expAvgSq = a[1];
    maxExpAvgSq = a[2];
    return t;
  }

  @Override
  String hyperparameters() {
    return "beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
        + (decoupled ? ", weightDecay=" + weightDecay : "") + ", amsgrad=" + amsgrad;
  }
}
