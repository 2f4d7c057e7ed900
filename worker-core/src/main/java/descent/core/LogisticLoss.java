package descent.core;

/**
 * Binary logistic loss with labels {@code y ∈ {−1, +1}}: {@code ℓ(m, y) = log(1 + exp(−y·m))},
 * {@code ℓ'(m, y) = −y / (1 + exp(y·m))}, {@code ℓ''(m, y) = σ(m)(1 − σ(m))}. Evaluated without overflow for any margin; the model
 * predicts {@code P(y = +1) = 1 / (1 + exp(−m))}.
 */
public final class LogisticLoss extends MarginLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.BINARY;
  }

  /** {@code log(1 + exp(z))} without overflow. */
  static double log1pExp(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  @Override
  protected double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double y = labels[offset + i];
      double ym = y * margins[i];
      double s = weights == null ? 1.0 : weights[offset + i];
      // One exp and one log1p a row: with e = exp(−|ym|),
      // log(1 + exp(−ym)) = max(−ym, 0) + log1p(e) and σ(−ym) = (ym > 0 ? e : 1) / (1 + e).
      double e = Math.exp(-Math.abs(ym));
      loss += s * ((ym > 0 ? 0.0 : -ym) + Math.log1p(e));
      mult[i] = -s * y * (ym > 0 ? e : 1.0) / (1.0 + e);
    }
    return loss;
  }

  @Override
  protected double lossSum(double[] margins, double[] labels, double[] weights, int offset,
      int n) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      loss += (weights == null ? 1.0 : weights[offset + i])
          * log1pExp(-labels[offset + i] * margins[i]);
    }
    return loss;
  }

  /** {@code ℓ''(m, y) = σ(m)(1 − σ(m))} for either label, since {@code y² = 1}. */
  @Override
  protected void curvatures(double[] margins, double[] labels, double[] weights, int offset,
      int n, double[] curv) {
    for (int i = 0; i < n; i++) {
      double e = Math.exp(-Math.abs(margins[i]));
      double s = weights == null ? 1.0 : weights[offset + i];
      curv[i] = s * e / ((1.0 + e) * (1.0 + e));
    }
  }

  @Override
  public boolean hasHessian() {
    return true;
  }

  @Override
  public double predict(double margin) {
    return 1.0 / (1.0 + Math.exp(-margin));
  }

  @Override
  public String toString() {
    return "logistic";
  }
}
