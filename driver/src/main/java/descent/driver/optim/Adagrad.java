package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;
import java.util.Arrays;

/**
 * Adagrad: each parameter's step is divided by the root of the sum of its squared gradients, so
 * rarely active (sparse) features keep large steps while frequent ones slow down. As PyTorch's
 * {@code torch.optim.Adagrad} (without its weight decay: the gradient given already holds the L2
 * penalty).
 *
 * <p>With learning-rate decay η, initial accumulator value s_0, ε and step count t:
 * <pre>
 *   clr = lr / (1 + (t − 1)·η)
 *   s_t = s_{t−1} + g_t²
 *   θ_t = θ_{t−1} − clr·g_t / (√s_t + ε)
 * </pre>
 *
 * <p>Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011.
 *
 * <p>State: {@link State}, t and s.
 */
public final class Adagrad implements Optimizer {

  /** PyTorch's default learning-rate decay η. */
  public static final double LR_DECAY = 0.0;
  /** PyTorch's default initial accumulator value s_0. */
  public static final double INITIAL_ACCUMULATOR_VALUE = 0.0;
  /** PyTorch's default ε. */
  public static final double EPS = 1e-10;

  private static final String NAME = "adagrad";

  private final double lrDecay;
  private final double initialAccumulatorValue;
  private final double eps;

  private long step;
  private double[] sum;

  /** PyTorch's defaults. */
  public Adagrad() {
    this(LR_DECAY, INITIAL_ACCUMULATOR_VALUE, EPS);
  }

  /**
   * @param lrDecay η &gt;= 0
   * @param initialAccumulatorValue s_0 &gt;= 0
   * @param eps ε &gt; 0 (PyTorch allows 0, which gives 0/0 for a gradient that stays 0)
   */
  public Adagrad(double lrDecay, double initialAccumulatorValue, double eps) {
    this.lrDecay = Checks.nonNegative("lrDecay", lrDecay);
    this.initialAccumulatorValue =
        Checks.nonNegative("initialAccumulatorValue", initialAccumulatorValue);
    this.eps = Checks.positive("eps", eps);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    Checks.stepShapes(NAME, params, gradient, sum == null ? -1 : sum.length);
    if (sum == null) {
      sum = new double[params.length];
      Arrays.fill(sum, initialAccumulatorValue);
    }
    step++;
    double clr = lr / (1 + (step - 1) * lrDecay);
    for (int j = 0; j < params.length; j++) {
      double g = gradient[j];
      double s = sum[j] + g * g;
      sum[j] = s;
      params[j] -= clr * g / (Math.sqrt(s) + eps);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link Adagrad}, written as {@code "adagrad"}.
   *
   * @param step t, the steps taken
   * @param sum s_t, the sum of squared gradients (from s_0); null at t = 0
   */
  public record State(long step, double[] sum) implements OptimizerState {}

  /** A deep copy of t and, after the first step, s. */
  @Override
  public State state() {
    return new State(step, Checks.copy(sum));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    double[][] a = Checks.restore(NAME, s.step(), new Checks.Part("sum", s.sum(), true));
    step = s.step();
    sum = a[0];
  }

  public double lrDecay() {
    return lrDecay;
  }

  public double initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  public double eps() {
    return eps;
  }

  @Override
  public String toString() {
    return "Adagrad(lrDecay=" + lrDecay + ", initialAccumulatorValue=" + initialAccumulatorValue
        + ", eps=" + eps + ")";
  }
}
