package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;

/**
 * Line searches along a descent direction {@code p} from {@code x}, on
 * {@code φ(α) = F(x + α·p)}. Each trial is one evaluation of the objective, which in descent is a
 * distributed pass; the searches keep their count small.
 *
 * <p>{@link #strongWolfe}: Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithms 3.5
 * (bracketing) and 3.6 (zoom, with the safeguarded cubic interpolation of eq. 3.59). It returns a
 * step meeting the strong Wolfe conditions
 * <pre>
 *   φ(α) ≤ φ(0) + c1·α·φ'(0)        (sufficient decrease)
 *   |φ'(α)| ≤ c2·|φ'(0)|             (curvature)
 * </pre>
 * {@link #armijo}: backtracking by halves until sufficient decrease, for Newton's method.
 */
public final class LineSearch {
  /** Sufficient-decrease constant c1 (Nocedal and Wright's suggestion). */
  public static final double C1 = 1e-4;
  /** Curvature constant c2 for quasi-Newton directions. */
  public static final double C2 = 0.9;
  /** Evaluations one search may spend. */
  public static final int MAX_EVALUATIONS = 25;

  private LineSearch() {}

  /**
   * Whether moving along {@code p} can still lower {@code F} visibly: false when the predicted
   * decrease {@code −∇F·p} is within a few rounding errors of {@code F} itself, so every trial
   * would compare rounding noise. Second-order methods then stop instead of drifting.
   */
  public static boolean canDecrease(Evaluation at, double[] p) {
    double predicted = -dot(at.gradient(), p);
    return predicted > 4 * Math.ulp(Math.max(Math.abs(at.value()), Double.MIN_NORMAL));
  }

  /** A point the search accepted: the step length, the point, and the objective there. */
  public record Point(double alpha, double[] x, Evaluation evaluation) {}

  /**
   * A step along {@code p} meeting the strong Wolfe conditions, starting the trials at
   * {@code alpha0}. When the evaluations run out, the lowest point that met sufficient decrease
   * is returned; null when there was none (no lower point along {@code p} at this precision).
   */
  public static Point strongWolfe(ObjectiveFunction f, double[] x, double[] p, Evaluation at,
      double alpha0) {
    double phi0 = at.value();
    double dphi0 = dot(at.gradient(), p);
    if (!(dphi0 < 0)) {
      throw new IllegalArgumentException("not a descent direction: φ'(0) = " + dphi0);
    }
    Search s = new Search(f, x, p, phi0, dphi0);
    double prevAlpha = 0.0;
    double prevPhi = phi0;
    double prevDphi = dphi0;
    double alpha = alpha0;
    for (int i = 1; s.evaluations < MAX_EVALUATIONS; i++) {
      Trial t = s.trial(alpha);
      if (t.phi > phi0 + C1 * alpha * dphi0 || (i > 1 && t.phi >= prevPhi)) {
        return s.zoom(prevAlpha, prevPhi, prevDphi, alpha, t.phi, t.dphi);
      }
      if (Math.abs(t.dphi) <= -C2 * dphi0) {
        return t.point;
      }
      if (t.dphi >= 0) {
        return s.zoom(alpha, t.phi, t.dphi, prevAlpha, prevPhi, prevDphi);
      }
      prevAlpha = alpha;
      prevPhi = t.phi;
      prevDphi = t.dphi;
      alpha *= 2.0;
    }
    return s.best;
  }

  /**
   * The first of {@code alpha0, alpha0/2, alpha0/4, …} with
   * {@code F(x + α·p) ≤ F(x) + c1·α·∇F(x)·p}, evaluated by value alone; null when
   * {@link #MAX_EVALUATIONS} halvings find none.
   */
  public static double[] armijo(ObjectiveFunction f, double[] x, double[] p, Evaluation at,
      double alpha0) {
    double dphi0 = dot(at.gradient(), p);
    if (!(dphi0 < 0)) {
      throw new IllegalArgumentException("not a descent direction: φ'(0) = " + dphi0);
    }
    double[] trial = new double[x.length];
    double alpha = alpha0;
    for (int k = 0; k < MAX_EVALUATIONS; k++) {
      axpy(x, alpha, p, trial);
      if (f.value(trial) <= at.value() + C1 * alpha * dphi0) {
        return trial;
      }
      alpha *= 0.5;
    }
    return null;
  }

  private record Trial(double phi, double dphi, Point point) {}

  /** One search's evaluations and the best sufficient-decrease point seen. */
  private static final class Search {
    final ObjectiveFunction f;
    final double[] x;
    final double[] p;
    final double phi0;
    final double dphi0;
    int evaluations;
    Point best;
    double bestPhi = Double.POSITIVE_INFINITY;

    Search(ObjectiveFunction f, double[] x, double[] p, double phi0, double dphi0) {
      this.f = f;
      this.x = x;
      this.p = p;
      this.phi0 = phi0;
      this.dphi0 = dphi0;
    }

    Trial trial(double alpha) {
      double[] point = new double[x.length];
      axpy(x, alpha, p, point);
      Evaluation e = f.evaluate(point);
      evaluations++;
      Point pt = new Point(alpha, point, e);
      double phi = e.value();
      if (phi <= phi0 + C1 * alpha * dphi0 && phi < bestPhi) {
        best = pt;
        bestPhi = phi;
      }
      return new Trial(phi, dot(e.gradient(), p), pt);
    }

    /** Algorithm 3.6: {@code lo} holds the lowest sufficient-decrease point of the bracket. */
    Point zoom(double lo, double phiLo, double dphiLo, double hi, double phiHi, double dphiHi) {
      while (evaluations < MAX_EVALUATIONS) {
        double alpha = cubic(lo, phiLo, dphiLo, hi, phiHi, dphiHi);
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1.0, Math.abs(lo))) {
          break;
        }
        Trial t = trial(alpha);
        if (t.phi > phi0 + C1 * alpha * dphi0 || t.phi >= phiLo) {
          hi = alpha;
          phiHi = t.phi;
          dphiHi = t.dphi;
        } else {
          if (Math.abs(t.dphi) <= -C2 * dphi0) {
            return t.point;
          }
          if (t.dphi * (hi - lo) >= 0) {
            hi = lo;
            phiHi = phiLo;
            dphiHi = dphiLo;
          }
          lo = alpha;
          phiLo = t.phi;
          dphiLo = t.dphi;
        }
      }
      return best;
    }
  }

  /**
   * The minimizer of the cubic through {@code (a, φa, φ'a)} and {@code (b, φb, φ'b)}
   * (eq. 3.59), kept at least a tenth of the interval from either end; the midpoint when the
   * cubic has no minimizer there.
   */
  static double cubic(double a, double phiA, double dphiA, double b, double phiB, double dphiB) {
    double lower = Math.min(a, b);
    double upper = Math.max(a, b);
    double margin = 0.1 * (upper - lower);
    double d1 = dphiA + dphiB - 3.0 * (phiA - phiB) / (a - b);
    double disc = d1 * d1 - dphiA * dphiB;
    if (disc >= 0) {
      double d2 = Math.signum(b - a) * Math.sqrt(disc);
      double alpha = b - (b - a) * (dphiB + d2 - d1) / (dphiB - dphiA + 2.0 * d2);
      if (alpha >= lower + margin && alpha <= upper - margin) {
        return alpha;
      }
    }
    return 0.5 * (a + b);
  }

  static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  /** {@code out = x + alpha·p}. */
  static void axpy(double[] x, double alpha, double[] p, double[] out) {
    for (int j = 0; j < x.length; j++) {
      out[j] = x[j] + alpha * p[j];
    }
  }
}
