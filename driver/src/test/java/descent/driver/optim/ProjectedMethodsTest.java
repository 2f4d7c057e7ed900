package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Optimizer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Projected Newton and projected L-BFGS on quadratics whose box-constrained minimum is known by
 * hand (the KKT conditions), and on a random one where they must agree.
 */
class ProjectedMethodsTest {

  /** {@code F(x) = ½xᵀAx − bᵀx}, A symmetric positive definite, row-major n×n. */
  static Functions.Analytic quadratic(double[] a, double[] b) {
    int n = b.length;
    return new Functions.Analytic(n, x -> {
      double s = 0;
      for (int i = 0; i < n; i++) {
        double ax = 0;
        for (int j = 0; j < n; j++) {
          ax += a[i * n + j] * x[j];
        }
        s += 0.5 * x[i] * ax - b[i] * x[i];
      }
      return s;
    }, x -> {
      double[] g = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          g[i] += a[i * n + j] * x[j];
        }
        g[i] -= b[i];
      }
      return g;
    }, x -> a.clone());
  }

  /** Steps until the parameters stop moving (at most 200); returns the steps taken. */
  static int run(Optimizer o, Functions.Analytic f, double[] x, Box box) {
    for (int k = 1; k <= 200; k++) {
      double[] before = x.clone();
      o.step(x, o.usesHessian() ? f.evaluateWithHessian(x) : f.evaluate(x), f, 1.0);
      assertTrue(box.contains(x), "step " + k + " left the box: " + Arrays.toString(x));
      if (Arrays.equals(before, x)) {
        return k;
      }
    }
    return 200;
  }

  @Test
  void projectedNewtonSolvesASeparableQuadraticInOneStep() {
    // F = ½ Σ a_j (x_j − c_j)², c = (3, −1, 0.5) on [0, 1]³: the minimum is the clamp
    // (1, 0, 0.5). From (0.5, 0.5, 0.5) nothing binds, the Newton point c projects to it, and
    // F falls from 1128.125 to 502; the next step finds the projected gradient 0 and stays.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1, 1000, 0.01},
        new double[] {3, -1, 0.5});
    Box box = new Box(new double[] {0, 0, 0}, new double[] {1, 1, 1});
    double[] x = {0.5, 0.5, 0.5};
    Optimizer newton = new Newton().bounded(box);
    newton.step(x, f.evaluateWithHessian(x), f, 1.0);
    assertArrayEquals(new double[] {1, 0, 0.5}, x, 1e-15);
    newton.step(x, f.evaluateWithHessian(x), f, 1.0);
    assertArrayEquals(new double[] {1, 0, 0.5}, x, 0.0);
  }

  @Test
  void bothReachTheKktPointOfACoupledQuadratic() {
    // A = [[2, 1], [1, 2]], b = (−1, 3), x ≥ 0. Unconstrained minimum (−5/3, 7/3); with x₁ = 0
    // the rest gives x₂ = b₂/A₂₂ = 1.5, and ∂F/∂x₁ = A₁₂·1.5 − b₁ = 2.5 > 0: (0, 1.5) is the KKT
    // point, F = −2.25.
    double[] a = {2, 1, 1, 2};
    double[] b = {-1, 3};
    Box box = new Box(new double[] {0, 0}, new double[] {Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY});
    for (Optimizer o : new Optimizer[] {new Newton().bounded(box), new Lbfgs().bounded(box)}) {
      Functions.Analytic f = quadratic(a, b);
      double[] x = {1, 1};
      int steps = run(o, f, x, box);
      assertEquals(0.0, x[0], 0.0, o.toString());
      // A search by values resolves F to rounding, so x to about √ε_mach.
      assertEquals(1.5, x[1], 1e-7, o.toString());
      assertEquals(-2.25, f.value(x), 1e-14, o.toString());
      System.out.printf("KKT quadratic: %s in %d steps%n", o, steps);
    }
  }

  @Test
  void projectedLbfgsAgreesWithProjectedNewtonOnARandomBoxedQuadratic() {
    Random r = new Random(7);
    int n = 20;
    double[] m = new double[n * n];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextGaussian();
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          a[i * n + j] += m[k * n + i] * m[k * n + j];
        }
      }
      a[i * n + i] += 0.1;
    }
    double[] b = new double[n];
    double[] lower = new double[n];
    double[] upper = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = 5 * r.nextGaussian();
      lower[i] = -0.5;
      upper[i] = 0.5 + r.nextDouble();
    }
    Box box = new Box(lower, upper);
    double[] xNewton = new double[n];
    double[] xLbfgs = new double[n];
    Functions.Analytic f = quadratic(a, b);
    run(new Newton().bounded(box), f, xNewton, box);
    int steps = run(new Lbfgs().bounded(box), f, xLbfgs, box);
    int binding = 0;
    for (int i = 0; i < n; i++) {
      binding += xNewton[i] == lower[i] || xNewton[i] == upper[i] ? 1 : 0;
    }
    assertTrue(binding >= 3 && binding < n, binding + " bounds bind");
    double fn = f.value(xNewton);
    double fl = f.value(xLbfgs);
    System.out.printf("random quadratic: %d bounds bind, lbfgs %d steps, F %.15g vs %.15g%n",
        binding, steps, fl, fn);
    assertEquals(fn, fl, 1e-10 * Math.abs(fn));
    assertEquals(0.0, box.projectedGradientNorm(xNewton, f.evaluate(xNewton).gradient()), 1e-9);
  }
}
