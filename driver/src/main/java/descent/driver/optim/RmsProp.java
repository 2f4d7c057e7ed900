package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * RMSprop: each parameter's step is divided by a running root mean square of its gradients, an
 * Adagrad whose memory fades, so step sizes recover after a stretch of large gradients. As
 * PyTorch's {@code torch.optim.RMSprop} (without its weight decay: the gradient given already
 * holds the L2 penalty).
 *
 * <p>With smoothing α, ε, momentum μ:
 * <pre>
 *   v_t = α·v_{t−1} + (1 − α)·g_t²                         (v_0 = 0)
 *   ṽ_t = v_t − ḡ_t²,  ḡ_t = α·ḡ_{t−1} + (1 − α)·g_t        if centered (ḡ_0 = 0), else ṽ_t = v_t
 *   b_t = μ·b_{t−1} + g_t / (√ṽ_t + ε),  θ_t = θ_{t−1} − lr·b_t    if μ &gt; 0 (b_0 = 0)
 *   θ_t = θ_{t−1} − lr·g_t / (√ṽ_t + ε)                           if μ = 0
 * </pre>
 * ṽ is never negative in exact arithmetic (Cauchy–Schwarz); a negative value left by rounding is
 * taken as 0, where PyTorch would give NaN.
 *
 * <p>Hinton, Srivastava and Swersky, "Neural Networks for Machine Learning", lecture 6e, 2012
 * (RMSprop); Graves, "Generating Sequences With Recurrent Neural Networks", arXiv:1308.0850,
 * 2013 (the centered form).
 *
 * <p>State: {@link State}, t, v, ḡ if centered, b if μ &gt; 0.
 */
public final class RmsProp implements Optimizer {

  /** PyTorch's default smoothing constant α. */
  public static final double ALPHA = 0.99;
  /** PyTorch's default ε. */
  public static final double EPS = 1e-8;
  /** PyTorch's default momentum μ. */
  public static final double MOMENTUM = 0.0;
  /** PyTorch's default: not centered. */
  public static final boolean CENTERED = false;

  private static final String NAME = "rmsprop";

  private final double alpha;
  private final double eps;
  private final double momentum;
  private final boolean centered;

  private long step;
  private double[] squareAvg;
  private double[] gradAvg;
  private double[] buffer;

  /** PyTorch's defaults. */
  public RmsProp() {
    this(ALPHA, EPS, MOMENTUM, CENTERED);
  }

  /**
   * @param alpha α in [0, 1)
   * @param eps ε &gt; 0
   * @param momentum μ in [0, 1)
   * @param centered divide by an estimate of the variance instead of the second moment
   */
  public RmsProp(double alpha, double eps, double momentum, boolean centered) {
    this.alpha = Checks.decayRate("alpha", alpha);
    this.eps = Checks.positive("eps", eps);
    this.momentum = Checks.decayRate("momentum", momentum);
    this.centered = centered;
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    Checks.stepShapes(NAME, params, gradient, squareAvg == null ? -1 : squareAvg.length);
    int n = params.length;
    if (squareAvg == null) {
      squareAvg = new double[n];
      gradAvg = centered ? new double[n] : null;
      buffer = momentum > 0 ? new double[n] : null;
    }
    step++;
    for (int j = 0; j < n; j++) {
      double g = gradient[j];
      double v = alpha * squareAvg[j] + (1 - alpha) * g * g;
      squareAvg[j] = v;
      if (centered) {
        double mean = alpha * gradAvg[j] + (1 - alpha) * g;
        gradAvg[j] = mean;
        v = Math.max(v - mean * mean, 0);
      }
      double scaled = g / (Math.sqrt(v) + eps);
      if (momentum > 0) {
        double b = momentum * buffer[j] + scaled;
        buffer[j] = b;
        params[j] -= lr * b;
      } else {
        params[j] -= lr * scaled;
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link RmsProp}, written as {@code "rmsprop"}.
   *
   * @param step t, the steps taken
   * @param squareAvg v_t, the running mean of g²; null at t = 0
   * @param gradAvg ḡ_t, the running mean of g; null at t = 0 and unless centered
   * @param momentumBuffer b_t; null at t = 0 and unless μ &gt; 0
   */
  public record State(long step, double[] squareAvg, double[] gradAvg, double[] momentumBuffer)
      implements OptimizerState {}

  /** A deep copy of t and, after the first step, the running averages. */
  @Override
  public State state() {
    return new State(step, Checks.copy(squareAvg), Checks.copy(gradAvg), Checks.copy(buffer));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    double[][] a = Checks.restore(NAME, s.step(),
        new Checks.Part("squareAvg", s.squareAvg(), true),
        new Checks.Part("gradAvg", s.gradAvg(), centered),
        new Checks.Part("momentumBuffer", s.momentumBuffer(), momentum > 0));
    step = s.step();
    squareAvg = a[0];
    gradAvg = a[1];
    buffer = a[2];
  }

  public double alpha() {
    return alpha;
  }

  public double eps() {
    return eps;
  }

  public double momentum() {
    return momentum;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  public String toString() {
    return "RmsProp(alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", centered="
        + centered + ")";
  }
}
