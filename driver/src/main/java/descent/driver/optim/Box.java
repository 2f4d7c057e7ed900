package descent.driver.optim;

import java.util.Arrays;

/**
 * Box constraints {@code l_j ≤ θ_j ≤ u_j} on every parameter (coefficients, then intercepts),
 * with {@code ±∞} for a side that is not bounded. The projection onto the box is the
 * coordinate-wise clamp {@code P(θ)_j = min(u_j, max(l_j, θ_j))}; first-order optimizers take it
 * after each step, and L-BFGS-B and Newton's method use {@link #bindingSet} to work on the free
 * variables. Built once a run knows its parameter count
 * ({@link descent.driver.BoxConstraints#resolve}).
 */
public final class Box {
  /**
   * Bertsekas's ε (1982): a variable within {@code min(ε, ||θ − P(θ − g)||)} of a bound that
   * its gradient pushes against counts as binding.
   */
  static final double EPSILON = 1e-3;

  private final double[] lower;
  private final double[] upper;

  /**
   * @param lower {@code l_j} per parameter ({@code −∞}: none)
   * @param upper {@code u_j} per parameter ({@code +∞}: none), with {@code l_j ≤ u_j}
   */
  public Box(double[] lower, double[] upper) {
    if (lower.length != upper.length) {
      throw new IllegalArgumentException("a box has as many lower as upper bounds, got "
          + lower.length + " and " + upper.length);
    }
    for (int j = 0; j < lower.length; j++) {
      if (!(lower[j] <= upper[j]) || lower[j] == Double.POSITIVE_INFINITY
          || upper[j] == Double.NEGATIVE_INFINITY) {
        throw new IllegalArgumentException("parameter " + j + " has lower bound " + lower[j]
            + " and upper bound " + upper[j] + ": no value lies between them");
      }
    }
    this.lower = lower.clone();
    this.upper = upper.clone();
  }

  /** The number of parameters the box bounds. */
  public int dimension() {
    return lower.length;
  }

  public double lower(int j) {
    return lower[j];
  }

  public double upper(int j) {
    return upper[j];
  }

  /** Clamps {@code params} into the box, in place. */
  public void project(double[] params) {
    for (int j = 0; j < params.length; j++) {
      double v = params[j];
      if (v < lower[j]) {
        params[j] = lower[j];
      } else if (v > upper[j]) {
        params[j] = upper[j];
      }
    }
  }

  /** Whether every parameter lies in the box. */
  public boolean contains(double[] params) {
    for (int j = 0; j < params.length; j++) {
      if (!(params[j] >= lower[j] && params[j] <= upper[j])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The box of the standardized parameters {@code θ'_j = θ_j / scale_j} for the first
   * {@code scale.length} (the coefficients, {@code scale_j = 1/σ_j}): {@code l_j/scale_j ≤ θ'_j ≤
   * u_j/scale_j}. A coefficient of scale 0 (a constant feature) is unbounded there, since the
   * model's coefficient for it is 0 whatever θ'_j.
   */
  public Box scaled(double[] scale) {
    double[] l = lower.clone();
    double[] u = upper.clone();
    for (int j = 0; j < scale.length; j++) {
      if (scale[j] == 0) {
        l[j] = Double.NEGATIVE_INFINITY;
        u[j] = Double.POSITIVE_INFINITY;
      } else {
        l[j] = lower[j] / scale[j];
        u[j] = upper[j] / scale[j];
      }
    }
    return new Box(l, u);
  }

  /**
   * The norm of the projected-gradient step {@code ||θ − P(θ − g)||}: 0 exactly at a
   * stationary point of the constrained problem (the first-order optimality measure).
   */
  public double projectedGradientNorm(double[] params, double[] gradient) {
    double s = 0.0;
    for (int j = 0; j < params.length; j++) {
      double t = Math.min(upper[j], Math.max(lower[j], params[j] - gradient[j]));
      double r = params[j] - t;
      s += r * r;
    }
    return Math.sqrt(s);
  }

  /**
   * Bertsekas's ε-binding set: {@code true} for a variable within
   * {@code ε = min(EPSILON, ||θ − P(θ − g)||)} of a bound that the gradient pushes it against
   * ({@code θ_j ≤ l_j + ε, g_j > 0} or {@code θ_j ≥ u_j − ε, g_j < 0}). The free variables are
   * the others.
   */
  public boolean[] bindingSet(double[] params, double[] gradient) {
    double eps = Math.min(EPSILON, projectedGradientNorm(params, gradient));
    boolean[] binding = new boolean[params.length];
    for (int j = 0; j < params.length; j++) {
      binding[j] = (params[j] <= lower[j] + eps && gradient[j] > 0)
          || (params[j] >= upper[j] - eps && gradient[j] < 0);
    }
    return binding;
  }

  @Override
  public String toString() {
    return lower.length <= 8 ? "box(lower=" + Arrays.toString(lower) + ", upper="
        + Arrays.toString(upper) + ")" : "box(" + lower.length + " parameters)";
  }
}
