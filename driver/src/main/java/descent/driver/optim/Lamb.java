package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * LAMB: Adam's direction plus decoupled weight decay, rescaled per layer so that each layer's
 * step is lr times the layer's norm (the trust ratio). It was made for very large batches, where
 * one global learning rate is too large for some layers and too small for others.
 *
 * <p>Parameters are laid out {@code [w_0..w_{d−1}, b...]} with d = {@code numCoefficients}; the
 * two layers are the coefficients [0, d) and the intercepts [d, n). With β1, β2, ε, weight decay
 * λ and step count t (You et al., Algorithm 2, with φ the identity):
 * <pre>
 *   m_t = β1·m_{t−1} + (1 − β1)·g_t,   v_t = β2·v_{t−1} + (1 − β2)·g_t²      (m_0 = v_0 = 0)
 *   m̂_t = m_t / (1 − β1^t),   v̂_t = v_t / (1 − β2^t)
 *   r_j = m̂_j / (√v̂_j + ε) + λ·θ_j        (λ only for coefficients, j &lt; d)
 *   for each layer L:  ratio_L = ‖θ_L‖ / ‖r_L‖ if both norms &gt; 0, else 1
 *                      θ_L ← θ_L − lr·ratio_L·r_L
 * </pre>
 * Where a layer's norm is 0 the paper's φ(‖θ‖)/‖r‖ would freeze it (a layer starting at 0 would
 * never move); like common implementations, the ratio is then 1.
 *
 * <p>You, Li, Reddi, Hseu, Kumar, Bhojanapalli, Song, Demmel, Keutzer and Hsieh, "Large Batch
 * Optimization for Deep Learning: Training BERT in 76 minutes", ICLR 2020 (arXiv:1904.00962),
 * Algorithm 2.
 *
 * <p>State: {@link State}, t, m and v.
 */
public final class Lamb implements Optimizer {

  /** β1 of the paper and of common implementations. */
  public static final double BETA1 = 0.9;
  /** β2 of the paper and of common implementations. */
  public static final double BETA2 = 0.999;
  /** ε of the paper's experiments. */
  public static final double EPS = 1e-6;
  /** No decoupled weight decay unless asked for. */
  public static final double WEIGHT_DECAY = 0.0;

  private static final String NAME = "lamb";

  private final int numCoefficients;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  private long step;
  private double[] expAvg;
  private double[] expAvgSq;
  /** Scratch for r, allocated with the moments; not state. */
  private double[] update;

  /** The defaults, for a model whose first {@code numCoefficients} parameters are coefficients. */
  public Lamb(int numCoefficients) {
    this(numCoefficients, BETA1, BETA2, EPS, WEIGHT_DECAY);
  }

  /**
   * @param numCoefficients d &gt;= 0: the parameters [0, d) are the coefficient layer, those
   *     after the intercept layer
   * @param beta1 β1 in [0, 1)
   * @param beta2 β2 in [0, 1)
   * @param eps ε &gt; 0
   * @param weightDecay λ &gt;= 0, applied to coefficients only
   */
  public Lamb(int numCoefficients, double beta1, double beta2, double eps, double weightDecay) {
    this.numCoefficients = Checks.nonNegative("numCoefficients", numCoefficients);
    this.beta1 = Checks.decayRate("beta1", beta1);
    this.beta2 = Checks.decayRate("beta2", beta2);
    this.eps = Checks.positive("eps", eps);
    this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    Checks.stepShapes(NAME, params, gradient, expAvg == null ? -1 : expAvg.length);
    Checks.coversCoefficients(NAME, params, numCoefficients);
    int n = params.length;
    if (expAvg == null) {
      expAvg = new double[n];
      expAvgSq = new double[n];
    }
    if (update == null) {
      update = new double[n];
    }
    step++;
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2 = 1 - Math.pow(beta2, step);
    int d = numCoefficients;
    double coefSq = 0;
    double coefUpdateSq = 0;
    double interceptSq = 0;
    double interceptUpdateSq = 0;
    for (int j = 0; j < n; j++) {
      double g = gradient[j];
      double m = beta1 * expAvg[j] + (1 - beta1) * g;
      double v = beta2 * expAvgSq[j] + (1 - beta2) * g * g;
      expAvg[j] = m;
      expAvgSq[j] = v;
      double r = (m / biasCorrection1) / (Math.sqrt(v / biasCorrection2) + eps);
      double p = params[j];
      if (j < d) {
        r += weightDecay * p;
        coefSq += p * p;
        coefUpdateSq += r * r;
      } else {
        interceptSq += p * p;
        interceptUpdateSq += r * r;
      }
      update[j] = r;
    }
    double coefStep = lr * trustRatio(coefSq, coefUpdateSq);
    double interceptStep = lr * trustRatio(interceptSq, interceptUpdateSq);
    for (int j = 0; j < d; j++) {
      params[j] -= coefStep * update[j];
    }
    for (int j = d; j < n; j++) {
      params[j] -= interceptStep * update[j];
    }
  }

  /** ‖θ_L‖ / ‖r_L‖ from the squared norms, or 1 where either norm is 0. */
  static double trustRatio(double paramSq, double updateSq) {
    double paramNorm = Math.sqrt(paramSq);
    double updateNorm = Math.sqrt(updateSq);
    return paramNorm > 0 && updateNorm > 0 ? paramNorm / updateNorm : 1;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link Lamb}, written as {@code "lamb"}.
   *
   * @param step t, the steps taken
   * @param expAvg m_t, the first moment (not bias-corrected); null at t = 0
   * @param expAvgSq v_t, the second moment (not bias-corrected); null at t = 0
   */
  public record State(long step, double[] expAvg, double[] expAvgSq) implements OptimizerState {}

  /** A deep copy of t and, after the first step, the moments. */
  @Override
  public State state() {
    return new State(step, Checks.copy(expAvg), Checks.copy(expAvgSq));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    double[][] a = Checks.restore(NAME, s.step(), new Checks.Part("expAvg", s.expAvg(), true),
        new Checks.Part("expAvgSq", s.expAvgSq(), true));
    Checks.stateCoversCoefficients(NAME, a[0], numCoefficients);
    step = s.step();
    expAvg = a[0];
    expAvgSq = a[1];
    update = null;
  }

  public int numCoefficients() {
    return numCoefficients;
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

  public double weightDecay() {
    return weightDecay;
  }

  @Override
  public String toString() {
    return "Lamb(numCoefficients=" + numCoefficients + ", beta1=" + beta1 + ", beta2=" + beta2
        + ", eps=" + eps + ", weightDecay=" + weightDecay + ")";
  }
}
