package descent.core;

/**
 * The hinge loss of the linear support vector machine, labels {@code y ∈ {−1, +1}}:
 * {@code ℓ(m, y) = max(0, 1 − y·m)} with the subgradient {@code ℓ'(m, y) = −y} when
 * {@code y·m < 1}, else 0 (the kink at {@code y·m = 1} takes 0). Not differentiable there, so it
 * has no Hessian: train it with subgradient methods and iterate averaging, or use
 * {@link SquaredHingeLoss} for Newton and L-BFGS. The model predicts the margin {@code m}; its
 * sign is the class.
 */
public final class HingeLoss extends MarginLoss {
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
        loss += s * z;
        mult[i] = -s * y;
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
        loss += (weights == null ? 1.0 : weights[offset + i]) * z;
      }
    }
    return loss;
  }

  /** The decision value {@code m}: the positive class when it is above 0. */
  @Override
  public double predict(double margin) {
    return margin;
  }

  @Override
  public String toString() {
    return "hinge";
  }
}
