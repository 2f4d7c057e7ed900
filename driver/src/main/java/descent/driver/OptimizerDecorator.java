package descent.driver;

/**
 * An optimizer wrapped to add one behaviour around its step (the L1 prox, iterate averaging),
 * so that no optimizer carries a flag to imitate another. Everything but what a subclass
 * overrides goes to the wrapped optimizer, its state included.
 */
abstract class OptimizerDecorator implements Optimizer {
  private final Optimizer inner;

  OptimizerDecorator(Optimizer inner) {
    this.inner = inner;
  }

  final Optimizer inner() {
    return inner;
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    step(params, new Evaluation(Double.NaN, gradient, null, 0), null, lr);
  }

  @Override
  public abstract void step(double[] params, Evaluation at, ObjectiveFunction f, double lr);

  @Override
  public String finalise(double[] params) {
    return inner.finalise(params);
  }

  @Override
  public boolean isSecondOrder() {
    return inner.isSecondOrder();
  }

  @Override
  public boolean usesHessian() {
    return inner.usesHessian();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public OptimizerState state() {
    return inner.state();
  }

  @Override
  public void restore(OptimizerState state) {
    inner.restore(state);
  }

  @Override
  public String toString() {
    return inner.toString();
  }
}
