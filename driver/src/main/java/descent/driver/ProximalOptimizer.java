package descent.driver;

/**
 * Makes any first-order optimizer a proximal one: after the wrapped step, the regularizer's
 * proximal operator (the L1 soft threshold by {@code lr·regL1}) acts on the coefficients, so
 * they become exactly zero (proximal gradient descent, ISTA: Beck and Teboulle, SIAM J. Imaging
 * Sci. 2, 2009).
 */
final class ProximalOptimizer extends OptimizerDecorator {
  private final Regularizer regularizer;
  private final int numCoefficients;

  ProximalOptimizer(Optimizer inner, Regularizer regularizer, int numCoefficients) {
    super(inner);
    this.regularizer = regularizer;
    this.numCoefficients = numCoefficients;
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    inner().step(params, at, f, lr);
    regularizer.prox(params, numCoefficients, lr);
  }
}
