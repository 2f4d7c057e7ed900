package descent.driver;

/**
 * The penalty {@code R(w)} on the coefficients (never the intercept): its smooth part enters
 * the objective's value, gradient and Hessian, and its non-smooth part, if any, acts after each
 * step through its proximal operator ({@link ProximalOptimizer}). One type per penalty; the
 * elastic net is the one descent offers.
 */
public interface Regularizer {

  /** No penalty. */
  Regularizer NONE = new ElasticNet(0, 0);

  /** {@code regL1·||w||₁ + (regL2/2)·||w||²}. */
  static ElasticNet of(double regL1, double regL2) {
    return new ElasticNet(regL1, regL2);
  }

  /** Spark ML's elastic net {@code reg·(α||w||₁ + (1−α)/2·||w||²)}. */
  static ElasticNet elasticNet(double reg, double alpha) {
    return new ElasticNet(reg * alpha, reg * (1 - alpha));
  }

  /** {@code R(w)} over the first {@code numCoefficients} parameters. */
  double penalty(double[] params, int numCoefficients);

  /** Adds the smooth part's gradient at {@code params} to {@code gradient}. */
  void addGradient(double[] params, double[] gradient, int numCoefficients);

  /** Adds the smooth part's Hessian to the column-major {@code p×p} matrix {@code hessian}. */
  void addHessian(double[] hessian, int p, int numCoefficients);

  /**
   * The proximal operator of the non-smooth part with step {@code lr}, in place on the
   * coefficients; true when any became zero.
   */
  boolean prox(double[] params, int numCoefficients, double lr);

  /** Whether there is a non-smooth part, so that {@link #prox} can change anything. */
  boolean hasProx();

  /**
   * The elastic net {@code R(w) = regL1·||w||₁ + (regL2/2)·||w||²}, from Spark ML's
   * {@code reg·(α||w||₁ + (1−α)/2·||w||²)} with {@code regL1 = reg·α}, {@code regL2 = reg·(1−α)}.
   * The L2 part is smooth; the L1 part's proximal operator is the soft threshold
   * {@code w_j ← sign(w_j)·max(|w_j| − lr·regL1, 0)}.
   */
  record ElasticNet(double regL1, double regL2) implements Regularizer {

    public ElasticNet {
      if (!(regL1 >= 0) || Double.isInfinite(regL1)) {
        throw new IllegalArgumentException("the L1 penalty must be >= 0, got " + regL1);
      }
      if (!(regL2 >= 0) || Double.isInfinite(regL2)) {
        throw new IllegalArgumentException("the L2 penalty must be >= 0, got " + regL2);
      }
    }

    @Override
    public double penalty(double[] params, int numCoefficients) {
      double l1 = 0.0;
      double l2 = 0.0;
      for (int j = 0; j < numCoefficients; j++) {
        l1 += Math.abs(params[j]);
        l2 += params[j] * params[j];
      }
      return regL1 * l1 + 0.5 * regL2 * l2;
    }

    @Override
    public void addGradient(double[] params, double[] gradient, int numCoefficients) {
      for (int j = 0; j < numCoefficients; j++) {
        gradient[j] += regL2 * params[j];
      }
    }

    @Override
    public void addHessian(double[] hessian, int p, int numCoefficients) {
      for (int j = 0; j < numCoefficients; j++) {
        hessian[j + j * p] += regL2;
      }
    }

    @Override
    public boolean hasProx() {
      return regL1 > 0.0;
    }

    @Override
    public boolean prox(double[] params, int numCoefficients, double lr) {
      if (regL1 == 0.0) {
        return false;
      }
      double t = lr * regL1;
      boolean zeroed = false;
      for (int j = 0; j < numCoefficients; j++) {
        double w = params[j];
        if (w > t) {
          params[j] = w - t;
        } else if (w < -t) {
          params[j] = w + t;
        } else {
          zeroed |= w != 0.0;
          params[j] = 0.0;
        }
      }
      return zeroed;
    }
  }
}
