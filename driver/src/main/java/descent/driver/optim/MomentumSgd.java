package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * Stochastic gradient descent with heavy-ball or Nesterov momentum, as PyTorch's
 * {@code torch.optim.SGD} (without its weight decay: the gradient given already holds the L2
 * penalty). Momentum carries speed along directions the gradient keeps, which helps on
 * ill-conditioned objectives; with {@code momentum = 0} it is plain SGD.
 *
 * <p>With momentum μ, dampening τ and step count t:
 * <pre>
 *   b_1 = g_1,   b_t = μ·b_{t−1} + (1 − τ)·g_t                 (t &gt; 1)
 *   d_t = g_t + μ·b_t   if nesterov,   else  d_t = b_t
 *   θ_t = θ_{t−1} − lr·d_t
 * </pre>
 *
 * <p>Polyak, "Some methods of speeding up the convergence of iteration methods", USSR
 * Computational Mathematics and Mathematical Physics 4(5), 1964 (heavy ball); Sutskever,
 * Martens, Dahl and Hinton, "On the importance of initialization and momentum in deep learning",
 * ICML 2013 (the Nesterov form). Nesterov needs {@code momentum > 0} and {@code dampening = 0}, as
 * in PyTorch.
 *
 * <p>State: {@link State}, t and, when {@code momentum > 0}, b.
 */
public final class MomentumSgd implements Optimizer {

  /** PyTorch's default momentum μ. */
  public static final double MOMENTUM = 0.0;
  /** PyTorch's default dampening τ. */
  public static final double DAMPENING = 0.0;
  /** PyTorch's default: heavy-ball, not Nesterov. */
  public static final boolean NESTEROV = false;

  private static final String NAME = "sgd";

  private final double momentum;
  private final double dampening;
  private final boolean nesterov;

  private long step;
  private double[] buffer;

  /** PyTorch's defaults: no momentum, i.e. plain SGD. */
  public MomentumSgd() {
    this(MOMENTUM, DAMPENING, NESTEROV);
  }

  /**
   * @param momentum μ in [0, 1)
   * @param dampening τ in [0, 1]
   * @param nesterov Nesterov's form; needs {@code momentum > 0} and {@code dampening = 0}
   */
  public MomentumSgd(double momentum, double dampening, boolean nesterov) {
    this.momentum = Checks.decayRate("momentum", momentum);
    this.dampening = Checks.unitInterval("dampening", dampening);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("nesterov requires momentum > 0 and dampening = 0, got"
          + " momentum=" + momentum + ", dampening=" + dampening);
    }
    this.nesterov = nesterov;
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    Checks.stepShapes(NAME, params, gradient, buffer == null ? -1 : buffer.length);
    step++;
    if (momentum == 0) {
      for (int j = 0; j < params.length; j++) {
        params[j] -= lr * gradient[j];
      }
      return;
    }
    if (buffer == null) {
      buffer = gradient.clone();
    } else {
      for (int j = 0; j < params.length; j++) {
        buffer[j] = momentum * buffer[j] + (1 - dampening) * gradient[j];
      }
    }
    for (int j = 0; j < params.length; j++) {
      double d = nesterov ? gradient[j] + momentum * buffer[j] : buffer[j];
      params[j] -= lr * d;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link MomentumSgd}, written as {@code "sgd"}.
   *
   * @param step t, the steps taken
   * @param momentumBuffer b_t, the momentum buffer; null at t = 0 and without momentum
   */
  public record State(long step, double[] momentumBuffer) implements OptimizerState {}

  /** A deep copy of t and, after the first step with momentum, b. */
  @Override
  public State state() {
    return new State(step, Checks.copy(buffer));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    double[][] a = Checks.restore(NAME, s.step(),
        new Checks.Part("momentumBuffer", s.momentumBuffer(), momentum > 0));
    step = s.step();
    buffer = a[0];
  }

  public double momentum() {
    return momentum;
  }

  public double dampening() {
    return dampening;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public String toString() {
    return "MomentumSgd(momentum=" + momentum + ", dampening=" + dampening + ", nesterov="
        + nesterov + ")";
  }
}
