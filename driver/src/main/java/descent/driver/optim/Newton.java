package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;
import descent.driver.Optimizer;
import descent.driver.OptimizerState;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Damped Newton's method: the executors sum the Hessian with the gradient in one pass, the driver
 * solves {@code (H + λI)·p = −g} by Cholesky (LAPACK {@code dpotrf}/{@code dpotrs}), and a
 * backtracking line search takes the first of {@code α = lr, lr/2, …} with sufficient decrease
 * {@code F(θ + α·p) ≤ F(θ) + c1·α·gᵀp}. When the predicted decrease {@code −gᵀp} is within
 * rounding of {@code F}, the step leaves θ unchanged: the optimum is reached. λ is 0 unless H is not positive definite (an
 * unregularized intercept-only direction, separable data), then the smallest of
 * {@code 10⁻¹²·max(1, max H_jj)·10^k} that makes it so.
 *
 * <p>Quadratic convergence near the optimum at the price of a {@code p×p} Hessian per step, so
 * for models of up to a few thousand parameters ({@link #MAX_PARAMETERS}). Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., Sections 3.3 and 3.4.
 *
 * <p>Under box constraints ({@link #bounded}) it is Bertsekas's projected Newton method
 * ("Projected Newton methods for optimization problems with simple constraints", SIAM J.
 * Control Optim. 20, 1982): the ε-binding variables ({@link Box#bindingSet}) take the projected
 * gradient step, the free ones the Newton step of the free block {@code H_FF·p_F = −g_F}, and an
 * Armijo search along the projection arc ({@link ProjectedSearch}) takes the step. Every limit
 * point is stationary on the box, and near a nondegenerate solution the convergence is
 * quadratic, as without bounds.
 *
 * <p>State: none ({@link State}); each step starts from the Hessian at the current point.
 */
public final class Newton implements Optimizer {
  /** The largest model Newton's method accepts: its Hessian is 8·p² bytes per task. */
  public static final int MAX_PARAMETERS = 5000;

  private static final String NAME = "newton";

  /** The box the iterates stay in, or null. */
  private final Box box;

  public Newton() {
    this(null);
  }

  private Newton(Box box) {
    this.box = box;
  }

  /** Projected Newton's method on {@code box}. */
  @Override
  public Optimizer bounded(Box box) {
    return new Newton(box);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    throw new UnsupportedOperationException(
        "newton needs the objective: call step(params, evaluation, objective, lr)");
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    Checks.positive("lr", lr);
    int p = params.length;
    if (at.hessian() == null || at.hessian().length != p * p) {
      throw new IllegalArgumentException("newton needs the " + p + "x" + p
          + " Hessian with the gradient");
    }
    double[] g = at.gradient();
    if (box != null) {
      boundedStep(params, at, f, lr);
      return;
    }
    if (LineSearch.dot(g, g) == 0.0) {
      return;
    }
    double[] direction = solve(at.hessian(), g, p);
    if (!(LineSearch.dot(g, direction) < 0) || !LineSearch.canDecrease(at, direction)) {
      return;
    }
    double[] next = LineSearch.armijo(f, params, direction, at, lr);
    if (next != null) {
      System.arraycopy(next, 0, params, 0, p);
    }
  }

  /** A projected Newton step: the free block's Newton direction, the projected gradient on the rest. */
  private void boundedStep(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    int p = params.length;
    double[] g = at.gradient();
    if (box.projectedGradientNorm(params, g) == 0.0) {
      return;
    }
    boolean[] binding = box.bindingSet(params, g);
    int[] free = new int[p];
    int n = 0;
    for (int j = 0; j < p; j++) {
      if (!binding[j]) {
        free[n++] = j;
      }
    }
    double[] direction = new double[p];
    if (n > 0) {
      double[] h = at.hessian();
      double[] reduced = new double[n * n];
      double[] gFree = new double[n];
      for (int b = 0; b < n; b++) {
        gFree[b] = g[free[b]];
        for (int a = 0; a < n; a++) {
          reduced[a + b * n] = h[free[a] + free[b] * p];
        }
      }
      double[] pFree = solve(reduced, gFree, n);
      for (int a = 0; a < n; a++) {
        direction[free[a]] = pFree[a];
      }
    }
    ProjectedSearch.steepestOnBinding(direction, g, binding);
    LineSearch.Point next = ProjectedSearch.search(f, box, params, direction, binding, at, lr,
        false);
    if (next != null) {
      System.arraycopy(next.x(), 0, params, 0, p);
    }
  }

  /** {@code −(H + λI)⁻¹·g} with the smallest damping λ of the ladder that Cholesky accepts. */
  static double[] solve(double[] hessian, double[] g, int p) {
    double maxDiagonal = 1.0;
    for (int j = 0; j < p; j++) {
      maxDiagonal = Math.max(maxDiagonal, Math.abs(hessian[j + j * p]));
    }
    LAPACK lapack = LAPACK.getInstance();
    double lambda = 0.0;
    for (int attempt = 0; attempt < 20; attempt++) {
      double[] a = hessian.clone();
      for (int j = 0; j < p; j++) {
        a[j + j * p] += lambda;
      }
      intW info = new intW(0);
      lapack.dpotrf("U", p, a, p, info);
      if (info.val == 0) {
        double[] x = new double[p];
        for (int j = 0; j < p; j++) {
          x[j] = -g[j];
        }
        lapack.dpotrs("U", p, 1, a, p, x, p, info);
        if (info.val != 0) {
          throw new IllegalStateException("dpotrs failed with info " + info.val);
        }
        return x;
      }
      if (info.val < 0) {
        throw new IllegalStateException("dpotrf rejected argument " + (-info.val));
      }
      lambda = lambda == 0.0 ? 1e-12 * maxDiagonal : lambda * 10.0;
    }
    throw new IllegalStateException("the Hessian stays indefinite after damping; is the loss"
        + " convex and the data finite?");
  }

  @Override
  public boolean isSecondOrder() {
    return true;
  }

  @Override
  public boolean usesHessian() {
    return true;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link Newton}, written as {@code "newton"}: empty, since each step starts from
   * the Hessian at the current point.
   */
  public record State() implements OptimizerState {}

  /** The empty state. */
  @Override
  public State state() {
    return new State();
  }

  /** Takes back the empty state; refuses another optimizer's. */
  @Override
  public void restore(OptimizerState state) {
    Checks.stateOf(NAME, state, State.class);
  }

  @Override
  public String toString() {
    return "newton(c1=" + LineSearch.C1 + ")";
  }
}
