package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;

/**
 * The Armijo search along the projection arc {@code θ(α) = P(θ + α·p)} of a {@link Box}, for
 * the projected Newton and quasi-Newton methods of Bertsekas ("Projected Newton methods for
 * optimization problems with simple constraints", SIAM J. Control Optim. 20, 1982). With the
 * ε-binding set {@code B} ({@link Box#bindingSet}) and a direction {@code p} that is
 * {@code −D·g} on the free variables ({@code D} positive definite) and {@code −g} on {@code B},
 * it takes the first of {@code α = α0, α0/2, …} with
 * <pre>
 *   F(θ) − F(θ(α)) ≥ c1·( −α·Σ_{j∉B} g_j p_j + Σ_{j∈B} g_j (θ_j − θ_j(α)) )
 * </pre>
 * Bertsekas's Proposition 2: when the {@code D} of every step have eigenvalues in one positive
 * interval, every limit point of the iterates is a stationary point of {@code F} on the box;
 * under strict complementarity the binding set is found in finitely many steps, after which the
 * method is the unconstrained one on the free variables.
 */
final class ProjectedSearch {
  private ProjectedSearch() {}

  /**
   * The accepted point, its evaluation ({@code withGradient}: value and gradient, else the
   * value alone), or null when no halving in {@link LineSearch#MAX_EVALUATIONS} lowers the
   * objective enough, or the predicted decrease is within rounding of {@code F} (the point is
   * stationary to machine precision).
   */
  static LineSearch.Point search(ObjectiveFunction f, Box box, double[] x, double[] p,
      boolean[] binding, Evaluation at, double alpha0, boolean withGradient) {
    double[] g = at.gradient();
    double freeSlope = 0.0;
    for (int j = 0; j < x.length; j++) {
      if (!binding[j]) {
        freeSlope += g[j] * p[j];
      }
    }
    double floor = 4 * Math.ulp(Math.max(Math.abs(at.value()), Double.MIN_NORMAL));
    double alpha = alpha0;
    for (int k = 0; k < LineSearch.MAX_EVALUATIONS; k++) {
      double[] trial = new double[x.length];
      LineSearch.axpy(x, alpha, p, trial);
      box.project(trial);
      double predicted = -alpha * freeSlope;
      for (int j = 0; j < x.length; j++) {
        if (binding[j]) {
          predicted += g[j] * (x[j] - trial[j]);
        }
      }
      if (!(predicted > floor)) {
        return null;
      }
      Evaluation e = withGradient ? f.evaluate(trial)
          : new Evaluation(f.value(trial), null, null, 0);
      if (at.value() - e.value() >= LineSearch.C1 * predicted) {
        return new LineSearch.Point(alpha, trial, e);
      }
      alpha *= 0.5;
    }
    return null;
  }

  /** {@code p} with {@code −g_j} on the binding variables, in place. */
  static void steepestOnBinding(double[] p, double[] g, boolean[] binding) {
    for (int j = 0; j < p.length; j++) {
      if (binding[j]) {
        p[j] = -g[j];
      }
    }
  }
}
