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
    double e = Math.exp(-Math.abs(z));
    double u = 1.0 + e;
    return (z > 0 ? z : 0.0) + log1p(e, u, 1.0 / u);
  }

  /**
   * {@code log1p(e)} for {@code e ≥ 0}, given {@code u = 1 + e} (rounded) and {@code inv = 1/u}:
   * {@code log(u)} plus the part of {@code e} that the rounding of {@code u} lost,
   * {@code log1p(e) = log(u) + log(1 + c/u) ≈ log(u) + c·inv} with {@code c = e − (u − 1)}
   * (exact, since {@code u − 1} is). Within a few ulps of {@code Math.log1p}, which Java 17 does
   * not compile inline (it calls fdlibm's) and which costs twice the {@code Math.log} intrinsic;
   * the division is the one the multiplier needs anyway.
   */
  public static double log1p(double e, double u, double inv) {
    return Math.log(u) + (e - (u - 1.0)) * inv;
  }

  @Override
  protected double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    // Fewer rows than lanes (a one-row step of local SGD): the scalar loop alone, as the vector
    // loop would do nothing but build its constants.
    if (SIMD_LANES > 1 && n >= SIMD_LANES) {
      int head = LogisticSimd.rows(n);
      double loss = LogisticSimd.lossAndMultipliers(margins, labels, weights, offset, head, mult);
      return loss + scalarLossAndMultipliers(margins, labels, weights, offset, head, n, mult);
    }
    return scalarLossAndMultipliers(margins, labels, weights, offset, 0, n, mult);
  }

  /** The row loop of {@link #lossAndMultipliers} one row at a time, for rows {@code from ≤ i < n}. */
  static double scalarLossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int from, int n, double[] mult) {
    double loss = 0.0;
    for (int i = from; i < n; i++) {
      double y = labels[offset + i];
      double ym = y * margins[i];
      double s = weights == null ? 1.0 : weights[offset + i];
      // One exp, one log and one division a row: with e = exp(−|ym|),
      // log(1 + exp(−ym)) = max(−ym, 0) + log1p(e) and σ(−ym) = (ym > 0 ? e : 1) / (1 + e).
      double e = Math.exp(-Math.abs(ym));
      double u = 1.0 + e;
      double inv = 1.0 / u;
      loss += s * ((ym > 0 ? 0.0 : -ym) + log1p(e, u, inv));
      mult[i] = -s * y * (ym > 0 ? e : 1.0) * inv;
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
