package descent.driver.optim;

import descent.driver.OptimizerState;

/**
 * {@link MomentumSgd} on a sparse gradient. Without momentum it is exact: the L2 penalty decays
 * every coefficient through the scale, {@code s ← s·(1 − lr·λ₂)}, and a touched coordinate
 * moves by {@code v_j ← v_j − lr·g_j/s}. With momentum μ (dampening τ, Nesterov) it is lazy, as
 * TensorFlow's sparse momentum, for a run with an L1 penalty ({@link SparseMomentum} is the
 * exact step without one): on touched j only,
 * <pre>
 *   b_j ← g_j  at t = 1,   b_j ← μ·b_j + (1 − τ)·g_j  after
 *   w_j ← w_j − lr·(nesterov ? g_j + μ·b_j : b_j)
 * </pre>
 * with the L2 penalty's gradient added to g_j on the touched coefficients.
 *
 * <p>State: {@link MomentumSgd.State}.
 */
final class SparseSgd extends SparseOptimizer {
  private static final String NAME = "sgd";

  private final double momentum;
  private final double dampening;
  private final boolean nesterov;

  private double[] buffer;
  private boolean firstStep;

  SparseSgd(SparseUpdate mode, int numParams, int numCoefficients, double regL1, double regL2,
      double momentum, double dampening, boolean nesterov) {
    super(NAME, mode, numParams, numCoefficients, regL1, regL2, momentum == 0 ? regL2 : 0,
        momentum > 0);
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
  }

  @Override
  void beginStep(long t, double lr) {
    firstStep = buffer == null;
    if (momentum > 0 && buffer == null) {
      buffer = new double[numParams()];
    }
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    if (momentum == 0) {
      return lr * g;
    }
    double b = firstStep ? g : momentum * buffer[j] + (1 - dampening) * g;
    buffer[j] = b;
    return lr * (nesterov ? g + momentum * b : b);
  }

  @Override
  OptimizerState denseState() {
    return new MomentumSgd.State(steps(), Checks.copy(buffer));
  }

  @Override
  long restoreState(OptimizerState state) {
    MomentumSgd.State s = Checks.stateOf(NAME, state, MomentumSgd.State.class);
    double[][] a = Checks.restore(NAME, s.step(),
        new Checks.Part("momentumBuffer", s.momentumBuffer(), momentum > 0));
    checkLength(a[0]);
    buffer = a[0];
    return s.step();
  }

  @Override
  String hyperparameters() {
    return "momentum=" + momentum + ", dampening=" + dampening + ", nesterov=" + nesterov;
  }
}
