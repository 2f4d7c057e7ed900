package descent.driver.optim;

import descent.driver.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * <p>State: {@code "step"} (t), {@code "squareAvg"} (v), {@code "gradAvg"} (ḡ) if centered,
 * {@code "momentumBuffer"} (b) if μ &gt; 0.
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
  private static final String SQUARE_AVG = "squareAvg";
  private static final String GRAD_AVG = "gradAvg";
  private static final String BUFFER = "momentumBuffer";

  private final double alpha;
  private final double eps;
  private final double momentum;
  private final boolean centered;
  private final List<String> keys;

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
    List<String> k = new ArrayList<>(List.of(SQUARE_AVG));
    if (centered) {
      k.add(GRAD_AVG);
    }
    if (momentum > 0) {
      k.add(BUFFER);
    }
    this.keys = List.copyOf(k);
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

  /** Deep copies of {@code "step"} and, after the first step, the running averages. */
  @Override
  public Map<String, double[]> state() {
    double[][] arrays = new double[keys.size()][];
    for (int i = 0; i < arrays.length; i++) {
      arrays[i] = array(keys.get(i));
    }
    return Checks.snapshot(step, keys, arrays);
  }

  @Override
  public void restore(Map<String, double[]> state) {
    Checks.Restored r = Checks.restore(NAME, state, keys);
    step = r.step();
    squareAvg = r.arrays()[0];
    gradAvg = centered ? r.arrays()[keys.indexOf(GRAD_AVG)] : null;
    buffer = momentum > 0 ? r.arrays()[keys.indexOf(BUFFER)] : null;
  }

  private double[] array(String key) {
    return switch (key) {
      case SQUARE_AVG -> squareAvg;
      case GRAD_AVG -> gradAvg;
      default -> buffer;
    };
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
