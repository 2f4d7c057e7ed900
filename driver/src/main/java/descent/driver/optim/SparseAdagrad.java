package descent.driver.optim;

import descent.driver.OptimizerState;
import java.util.Arrays;

/**
 * {@link Adagrad} on a sparse gradient, on the touched coordinates only:
 * <pre>
 *   clr = lr / (1 + (t − 1)·η),   s_j ← s_j + g_j²,   w_j ← w_j − clr·g_j / (√s_j + ε)
 * </pre>
 * with the global step count t. Exact without an L2 penalty: an untouched coordinate has
 * g_j = 0, and neither s_j nor w_j changes. Lazy with one: its gradient is added on the touched
 * coefficients only.
 *
 * <p>State: {@link Adagrad.State}.
 */
final class SparseAdagrad extends SparseOptimizer {
  private static final String NAME = "adagrad";

  private final double lrDecay;
  private final double initialAccumulatorValue;
  private final double eps;

  private double[] sum;
  private double clr;

  SparseAdagrad(SparseUpdate mode, int numParams, int numCoefficients, double regL1,
      double regL2, double lrDecay, double initialAccumulatorValue, double eps) {
    super(NAME, mode, numParams, numCoefficients, regL1, regL2, 0, true);
    this.lrDecay = lrDecay;
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.eps = eps;
  }

  @Override
  void beginStep(long t, double lr) {
    if (sum == null) {
      sum = new double[numParams()];
      Arrays.fill(sum, initialAccumulatorValue);
    }
    clr = lr / (1 + (t - 1) * lrDecay);
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    double s = sum[j] + g * g;
    sum[j] = s;
    return clr * g / (Math.sqrt(s) + eps);
  }

  @Override
  OptimizerState denseState() {
    return new Adagrad.State(steps(), Checks.copy(sum));
  }

  @Override
  long restoreState(OptimizerState state) {
    Adagrad.State s = Checks.stateOf(NAME, state, Adagrad.State.class);
    double[][] a = Checks.restore(NAME, s.step(), new Checks.Part("sum", s.sum(), true));
    checkLength(a[0]);
    sum = a[0];
    return s.step();
  }

  @Override
  String hyperparameters() {
    return "lrDecay=" + lrDecay + ", initialAccumulatorValue=" + initialAccumulatorValue
        + ", eps=" + eps;
  }
}
