package descent.driver.optim;

import descent.driver.Optimizer;
import java.util.List;
import java.util.Map;

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
 * <p>State: {@code "step"} (t) and, when {@code momentum > 0}, {@code "momentumBuffer"} (b).
 */
public final class MomentumSgd implements Optimizer {

  /** PyTorch's default momentum μ. */
  public static final double MOMENTUM = 0.0;
  /** PyTorch's default dampening τ. */
  public static final double DAMPENING = 0.0;
  /** PyTorch's default: heavy-ball, not Nesterov. */
  public static final boolean NESTEROV = false;

  private static final String NAME = "sgd";
  private static final String BUFFER = "momentumBuffer";

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

  /** Deep copies: {@code "step"} and, after the first step with momentum, the buffer. */
  @Override
  public Map<String, double[]> state() {
    return momentum == 0
        ? Checks.snapshot(step, List.of())
        : Checks.snapshot(step, List.of(BUFFER), buffer);
  }

  @Override
  public void restore(Map<String, double[]> state) {
    Checks.Restored r = Checks.restore(NAME, state, momentum == 0 ? List.of() : List.of(BUFFER));
    step = r.step();
    buffer = r.arrays().length == 0 ? null : r.arrays()[0];
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
