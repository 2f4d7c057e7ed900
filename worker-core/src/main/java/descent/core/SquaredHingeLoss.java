package descent.core;

/**
 * The squared hinge loss, LIBLINEAR's L2-loss support vector machine, labels
 * {@code y ∈ {−1, +1}}: {@code ℓ(m, y) = max(0, 1 − y·m)²}, {@code ℓ'(m, y) = −2y·max(0, 1 − y·m)}.
 * Unlike the hinge it is differentiable, with a Lipschitz gradient, so L-BFGS applies; its
 * second derivative is 2 where {@code y·m < 1} and 0 elsewhere, the generalized Hessian with
 * which Newton's method converges (Keerthi and DeCoste, JMLR 6, 2005). The model predicts the
 * margin {@code m}; its sign is the class.
 */
public final class SquaredHingeLoss extends MarginLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.BINARY;
  }

  @Override
  protected double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double y = labels[offset + i];
      double z = 1.0 - y * margins[i];
      if (z > 0) {
        double s = weights == null ? 1.0 : weights[offset + i];
        loss += s * z * z;
        mult[i] = -2.0 * s * y * z;
      } else {
        mult[i] = 0.0;
      }
    }
    return loss;
  }

  @Override
  protected double lossSum(double[] margins, double[] labels, double[] weights, int offset,
      int n) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double z = 1.0 - labels[offset + i] * margins[i];
      if (z > 0) {
        loss += (weights == null ? 1.0 : weights[offset + i]) * z * z;
      }
    }
    return loss;
  }

  /** {@code ℓ'' = 2y² = 2} where {@code y·m < 1}, else 0; times the row's weight. */
  @Override
  protected void curvatures(double[] margins, double[] labels, double[] weights, int offset,
      int n, double[] curv) {
    for (int i = 0; i < n; i++) {
      curv[i] = labels[offset + i] * margins[i] < 1.0
          ? 2.0 * (weights == null ? 1.0 : weights[offset + i])
          : 0.0;
    }
  }

  @Override
  public boolean hasHessian() {
    return true;
  }

  /** The decision value {@code m}: the positive class when it is above 0. */
  @Override
  public double predict(double margin) {
    return margin;
  }

  @Override
  public String toString() {
    return "squared-hinge";
  }
}
