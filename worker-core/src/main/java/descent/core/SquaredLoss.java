package descent.core;

/**
 * Squared error for linear regression: {@code ℓ(m, y) = ½(m − y)²}, {@code ℓ' = m − y}, {@code ℓ'' = 1}. Its
 * mean over the rows is the objective {@code (1/(2n)) Σ (w·x_i + b − y_i)²}.
 */
public final class SquaredLoss extends MarginLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.REAL;
  }

  @Override
  protected double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double r = margins[i] - labels[offset + i];
      double s = weights == null ? 1.0 : weights[offset + i];
      loss += s * 0.5 * r * r;
      mult[i] = s * r;
    }
    return loss;
  }

  @Override
  protected double lossSum(double[] margins, double[] labels, double[] weights, int offset,
      int n) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double r = margins[i] - labels[offset + i];
      loss += (weights == null ? 1.0 : weights[offset + i]) * 0.5 * r * r;
    }
    return loss;
  }

  /** {@code ℓ'' = 1}: the rows' weights. */
  @Override
  protected void curvatures(double[] margins, double[] labels, double[] weights, int offset,
      int n, double[] curv) {
    for (int i = 0; i < n; i++) {
      curv[i] = weights == null ? 1.0 : weights[offset + i];
    }
  }

  @Override
  public boolean hasHessian() {
    return true;
  }

  @Override
  public double predict(double margin) {
    return margin;
  }

  @Override
  public String toString() {
    return "squared";
  }
}
