package descent.driver;

/**
 * The penalty on the coefficients (never the intercept):
 * {@code R(w) = regL1·||w||₁ + (regL2/2)·||w||²}, from Spark ML's elastic net
 * {@code reg·(α||w||₁ + (1−α)/2·||w||²)} with {@code regL1 = reg·α}, {@code regL2 = reg·(1−α)}.
 * The smooth L2 part enters the gradient; the L1 part is applied after the optimizer's step by
 * its proximal operator, the soft threshold
 * {@code w_j ← sign(w_j)·max(|w_j| − lr·regL1, 0)}, so coefficients become exactly zero
 * (proximal gradient descent, ISTA: Beck and Teboulle, SIAM J. Imaging Sci. 2, 2009).
 */
public record Regularizer(double regL1, double regL2) {

  public Regularizer {
    if (!(regL1 >= 0) || Double.isInfinite(regL1)) {
      throw new IllegalArgumentException("the L1 penalty must be >= 0, got " + regL1);
    }
    if (!(regL2 >= 0) || Double.isInfinite(regL2)) {
      throw new IllegalArgumentException("the L2 penalty must be >= 0, got " + regL2);
    }
  }

  /** The elastic net {@code reg·(α||w||₁ + (1−α)/2·||w||²)}. */
  public static Regularizer elasticNet(double reg, double alpha) {
    return new Regularizer(reg * alpha, reg * (1 - alpha));
  }

  /** {@code R(w)} over the first {@code numCoefficients} parameters. */
  public double penalty(double[] params, int numCoefficients) {
    double l1 = 0.0;
    double l2 = 0.0;
    for (int j = 0; j < numCoefficients; j++) {
      l1 += Math.abs(params[j]);
      l2 += params[j] * params[j];
    }
    return regL1 * l1 + 0.5 * regL2 * l2;
  }

  /** The soft threshold by {@code lr·regL1} on the coefficients; true when any became zero. */
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
