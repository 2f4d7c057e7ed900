package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * Adam: steps along a running mean of the gradient divided by the root of a running mean of its
 * square, both corrected for their start at zero, so each parameter gets a step of about lr
 * whatever the scale of its gradient. As PyTorch's {@code torch.optim.Adam} (without its weight
 * decay: the gradient given already holds the L2 penalty; see {@link AdamW} for decoupled decay).
 *
 * <p>With β1, β2, ε and step count t:
 * <pre>
 *   m_t = β1·m_{t−1} + (1 − β1)·g_t                          (m_0 = 0)
 *   v_t = β2·v_{t−1} + (1 − β2)·g_t²                         (v_0 = 0)
 *   m̂_t = m_t / (1 − β1^t)
 *   v̂_t = v_t / (1 − β2^t),   or with amsgrad:  vmax_t = max(vmax_{t−1}, v_t),  v̂_t = vmax_t / (1 − β2^t)
 *   θ_t = θ_{t−1} − lr·m̂_t / (√v̂_t + ε)
 * </pre>
 *
 * <p>Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; Reddi, Kale and
 * Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (amsgrad).
 *
 * <p>State: {@link State}, t, m, v and, with amsgrad, vmax.
 */
public final class Adam implements Optimizer {

  /** PyTorch's default β1. */
  public static final double BETA1 = 0.9;
  /** PyTorch's default β2. */
  public static final double BETA2 = 0.999;
  /** PyTorch's default ε. */
  public static final double EPS = 1e-8;
  /** PyTorch's default: no amsgrad. */
  public static final boolean AMSGRAD = false;

  private static final String NAME = "adam";

  /** The name in error messages: "adam", or "adamw" when {@link AdamW} holds this one. */
  private final String owner;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean amsgrad;

  private long step;
  private double[] expAvg;
  private double[] expAvgSq;
  private double[] maxExpAvgSq;

  /** PyTorch's defaults. */
  public Adam() {
    this(BETA1, BETA2, EPS, AMSGRAD);
  }

  /**
   * @param beta1 β1 in [0, 1)
   * @param beta2 β2 in [0, 1)
   * @param eps ε &gt; 0 (PyTorch allows 0, which gives 0/0 for a gradient that stays 0)
   * @param amsgrad divide by the largest second moment so far (Reddi et al.)
   */
  public Adam(double beta1, double beta2, double eps, boolean amsgrad) {
    this(NAME, beta1, beta2, eps, amsgrad);
  }

  Adam(String owner, double beta1, double beta2, double eps, boolean amsgrad) {
    this.owner = owner;
    this.beta1 = Checks.decayRate("beta1", beta1);
    this.beta2 = Checks.decayRate("beta2", beta2);
    this.eps = Checks.positive("eps", eps);
    this.amsgrad = amsgrad;
  }

  /** Throws unless a step with these arrays is possible; changes nothing. */
  void checkStep(double[] params, double[] gradient) {
    Checks.stepShapes(owner, params, gradient, expAvg == null ? -1 : expAvg.length);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    checkStep(params, gradient);
    int n = params.length;
    if (expAvg == null) {
      expAvg = new double[n];
      expAvgSq = new double[n];
      maxExpAvgSq = amsgrad ? new double[n] : null;
    }
    step++;
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2 = 1 - Math.pow(beta2, step);
    for (int j = 0; j < n; j++) {
      double g = gradient[j];
      double m = beta1 * expAvg[j] + (1 - beta1) * g;
      double v = beta2 * expAvgSq[j] + (1 - beta2) * g * g;
      expAvg[j] = m;
      expAvgSq[j] = v;
      if (amsgrad) {
        v = Math.max(maxExpAvgSq[j], v);
        maxExpAvgSq[j] = v;
      }
      params[j] -= lr * (m / biasCorrection1) / (Math.sqrt(v / biasCorrection2) + eps);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link Adam}, written as {@code "adam"}.
   *
   * @param step t, the steps taken
   * @param expAvg m_t, the first moment (not bias-corrected); null at t = 0
   * @param expAvgSq v_t, the second moment (not bias-corrected); null at t = 0
   * @param maxExpAvgSq vmax_t, the largest v so far; null at t = 0 and unless amsgrad
   */
  public record State(long step, double[] expAvg, double[] expAvgSq, double[] maxExpAvgSq)
      implements OptimizerState {}

  /** A deep copy of t and, after the first step, the moments. */
  @Override
  public State state() {
    return new State(step, Checks.copy(expAvg), Checks.copy(expAvgSq), Checks.copy(maxExpAvgSq));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(owner, state, State.class);
    restore(s.step(), s.expAvg(), s.expAvgSq(), s.maxExpAvgSq(), 0);
  }

  /**
   * Validates t and the moments, refusing moments shorter than {@code numCoefficients} (for
   * {@link AdamW}), and takes copies of them.
   */
  void restore(long t, double[] m, double[] v, double[] vmax, int numCoefficients) {
    double[][] a = Checks.restore(owner, t, new Checks.Part("expAvg", m, true),
        new Checks.Part("expAvgSq", v, true), new Checks.Part("maxExpAvgSq", vmax, amsgrad));
    Checks.stateCoversCoefficients(owner, a[0], numCoefficients);
    step = t;
    expAvg = a[0];
    expAvgSq = a[1];
    maxExpAvgSq = a[2];
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double eps() {
    return eps;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public String toString() {
    return "Adam(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ", amsgrad=" + amsgrad
        + ")";
  }
}
