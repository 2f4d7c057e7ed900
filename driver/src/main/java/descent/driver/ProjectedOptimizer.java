package descent.driver;

import descent.driver.optim.Box;

/**
 * Keeps any optimizer's iterates in a {@link Box}: after the wrapped step (and the L1 prox,
 * which it wraps) the parameters are clamped into the box, so this is projected gradient
 * descent for plain SGD and the projected form of every adaptive method. Since the prox of
 * {@code λ|θ_j|} restricted to {@code [l_j, u_j]} is the clamp of the soft threshold, prox then
 * projection is the exact proximal step of L1 plus the box. Iterate averages of the projected
 * iterates stay in the box, which is convex.
 */
final class ProjectedOptimizer extends OptimizerDecorator {
  private final Box box;

  ProjectedOptimizer(Optimizer inner, Box box) {
    super(inner);
    this.box = box;
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    inner().step(params, at, f, lr);
    box.project(params);
  }
}
