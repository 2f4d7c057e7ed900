package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;
import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * L-BFGS under box constraints, as a projected quasi-Newton method: at θ with gradient g, the
 * ε-binding variables {@code B} ({@link Box#bindingSet}: at or near a bound their gradient
 * pushes against) take the projected steepest-descent direction {@code −g_j}, the free ones the
 * L-BFGS direction of the gradient restricted to them, {@code p_F = −(H·g_F)_F} (the two-loop
 * recursion of {@link Lbfgs} on g with {@code B}'s entries zeroed, so the scaling matrix is
 * the free block of the L-BFGS inverse Hessian, positive definite), and an Armijo search along
 * the projection arc {@code P(θ + α·p)} ({@link ProjectedSearch}) takes the step. The pair
 * {@code s = θ₊ − θ}, {@code y = g₊ − g} enters the history when {@code sᵀy > ε_mach·yᵀy}
 * (the rule of L-BFGS-B), so every inverse-Hessian approximation stays positive definite.
 * When the search fails the history is dropped and the projected gradient step tried once; if
 * that fails too the parameters stay put.
 *
 * <p>Convergence: this is Bertsekas's projected quasi-Newton scheme ("Projected Newton methods
 * for optimization problems with simple constraints", SIAM J. Control Optim. 20, 1982,
 * Proposition 2): when the L-BFGS matrices have eigenvalues in one positive interval (as for a
 * strongly convex objective, such as any loss here with an L2 penalty, or least squares of full
 * column rank), every limit point is a stationary point of the box-constrained problem, and the
 * binding set at a nondegenerate solution is identified after finitely many steps, from which
 * on the iteration is L-BFGS on the free variables. It is not the Cauchy-point and subspace
 * minimization of L-BFGS-B (Byrd, Lu, Nocedal and Zhu, SIAM J. Sci. Comput. 16, 1995), which
 * reaches the same stationary points by another path.
 *
 * <p>State: {@link Lbfgs.State}, written as {@code "lbfgs"}, so a checkpoint of a bounded run
 * continues with the same pairs.
 */
final class LbfgsB implements Optimizer {
  private final Lbfgs lbfgs;
  private final Box box;

  LbfgsB(Lbfgs lbfgs, Box box) {
    this.lbfgs = lbfgs;
    this.box = box;
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    lbfgs.step(params, gradient, lr);
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    Checks.positive("lr", lr);
    double[] g = at.gradient();
    Checks.stepShapes(name(), params, g, box.dimension());
    if (box.projectedGradientNorm(params, g) == 0.0) {
      return;
    }
    boolean[] binding = box.bindingSet(params, g);
    double[] freeGradient = g.clone();
    double freeNorm2 = 0.0;
    for (int j = 0; j < g.length; j++) {
      if (binding[j]) {
        freeGradient[j] = 0.0;
      } else {
        freeNorm2 += g[j] * g[j];
      }
    }
    LineSearch.Point point = null;
    if (lbfgs.pairs() > 0 && freeNorm2 > 0) {
      double[] p = lbfgs.direction(freeGradient);
      double slope = 0.0;
      for (int j = 0; j < p.length; j++) {
        if (binding[j]) {
          p[j] = 0.0;
        } else {
          slope += g[j] * p[j];
        }
      }
      if (slope < 0) {
        ProjectedSearch.steepestOnBinding(p, g, binding);
        point = ProjectedSearch.search(f, box, params, p, binding, at, lr, true);
      }
      if (point == null) {
        lbfgs.clearHistory();
      }
    }
    if (point == null) {
      double[] p = new double[g.length];
      for (int j = 0; j < g.length; j++) {
        p[j] = -g[j];
      }
      double norm = Math.sqrt(freeNorm2 > 0 ? freeNorm2 : LineSearch.dot(g, g));
      point = ProjectedSearch.search(f, box, params, p, binding, at,
          lr * Math.min(1.0, 1.0 / norm), true);
    }
    if (point == null) {
      return;
    }
    double[][] pair = Lbfgs.pair(params, g, point);
    double yy = LineSearch.dot(pair[1], pair[1]);
    if (LineSearch.dot(pair[0], pair[1]) > Math.ulp(1.0) * yy) {
      lbfgs.push(pair[0], pair[1]);
    }
    System.arraycopy(point.x(), 0, params, 0, params.length);
    lbfgs.countStep();
  }

  @Override
  public boolean isSecondOrder() {
    return true;
  }

  @Override
  public String name() {
    return lbfgs.name();
  }

  @Override
  public OptimizerState state() {
    return lbfgs.state();
  }

  @Override
  public void restore(OptimizerState state) {
    lbfgs.restore(state);
  }

  @Override
  public String toString() {
    return lbfgs.toString();
  }
}
