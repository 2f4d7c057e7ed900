package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;
import java.util.function.Function;

/** In-memory objectives for the second-order tests, counting their evaluations. */
final class Functions {
  private Functions() {}

  /** A function from its value, gradient and Hessian formulas. */
  static final class Analytic implements ObjectiveFunction {
    final int dimension;
    final Function<double[], Double> value;
    final Function<double[], double[]> gradient;
    final Function<double[], double[]> hessian;
    int evaluations;

    Analytic(int dimension, Function<double[], Double> value,
        Function<double[], double[]> gradient, Function<double[], double[]> hessian) {
      this.dimension = dimension;
      this.value = value;
      this.gradient = gradient;
      this.hessian = hessian;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public Evaluation evaluate(double[] x) {
      evaluations++;
      return new Evaluation(value.apply(x), gradient.apply(x), null, 1);
    }

    @Override
    public Evaluation evaluateWithHessian(double[] x) {
      evaluations++;
      return new Evaluation(value.apply(x), gradient.apply(x), hessian.apply(x), 1);
    }

    @Override
    public double value(double[] x) {
      evaluations++;
      return value.apply(x);
    }
  }

  /** {@code F(x) = ½ Σ a_j (x_j − c_j)²}: minimum at c, Hessian diag(a). */
  static Analytic diagonalQuadratic(double[] a, double[] c) {
    int n = a.length;
    return new Analytic(n, x -> {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += 0.5 * a[j] * (x[j] - c[j]) * (x[j] - c[j]);
      }
      return s;
    }, x -> {
      double[] g = new double[n];
      for (int j = 0; j < n; j++) {
        g[j] = a[j] * (x[j] - c[j]);
      }
      return g;
    }, x -> {
      double[] h = new double[n * n];
      for (int j = 0; j < n; j++) {
        h[j + j * n] = a[j];
      }
      return h;
    });
  }

  /** Rosenbrock's {@code (1 − x)² + 100 (y − x²)²}: minimum 0 at (1, 1). */
  static Analytic rosenbrock() {
    return new Analytic(2,
        x -> (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]),
        x -> new double[] {-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]),
            200 * (x[1] - x[0] * x[0])},
        x -> new double[] {2 - 400 * x[1] + 1200 * x[0] * x[0], -400 * x[0], -400 * x[0], 200});
  }

  /** {@code F(x) = eˣ − 2x}: minimum at ln 2, F' = eˣ − 2, F'' = eˣ. */
  static Analytic expMinusTwoX() {
    return new Analytic(1, x -> Math.exp(x[0]) - 2 * x[0],
        x -> new double[] {Math.exp(x[0]) - 2}, x -> new double[] {Math.exp(x[0])});
  }
}
