package descent.core;

/**
 * Huber's loss for robust regression (Huber, Ann. Math. Statist. 35, 1964): with the residual
 * {@code r = m − y}, {@code ℓ = ½r²} for {@code |r| ≤ δ} and {@code δ(|r| − ½δ)} beyond, so
 * {@code ℓ' = clamp(r, −δ, δ)} and {@code ℓ'' = 1} inside, 0 outside. Quadratic near the fit and
 * linear in the tails, so a gross outlier pulls on the fit with a force of at most δ instead of
 * its whole residual; as δ → ∞ it is the squared loss. PyTorch's {@code HuberLoss(delta)}.
 */
public final class HuberLoss extends MarginLoss {
  private static final long serialVersionUID = 1L;

  private final double delta;

  /** @param delta where the loss turns from quadratic to linear, finite and > 0 */
  public HuberLoss(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("Huber's delta must be a positive number, got " + delta);
    }
    this.delta = delta;
  }

  /** δ, the residual at which the loss turns linear. */
  public double delta() {
    return delta;
  }

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
      if (Math.abs(r) <= delta) {
        loss += s * 0.5 * r * r;
        mult[i] = s * r;
      } else {
        loss += s * delta * (Math.abs(r) - 0.5 * delta);
        mult[i] = r > 0 ? s * delta : -s * delta;
      }
    }
    return loss;
  }

  @Override
  protected double lossSum(double[] margins, double[] labels, double[] weights, int offset,
      int n) {
    double loss = 0.0;
    for (int i = 0; i < n; i++) {
      double a = Math.abs(margins[i] - labels[offset + i]);
      double s = weights == null ? 1.0 : weights[offset + i];
      loss += a <= delta ? s * 0.5 * a * a : s * delta * (a - 0.5 * delta);
    }
    return loss;
  }

  /** {@code ℓ'' = 1} for {@code |r| ≤ δ}, else 0; times the row's weight. */
  @Override
  protected void curvatures(double[] margins, double[] labels, double[] weights, int offset,
      int n, double[] curv) {
    for (int i = 0; i < n; i++) {
      curv[i] = Math.abs(margins[i] - labels[offset + i]) <= delta
          ? (weights == null ? 1.0 : weights[offset + i])
          : 0.0;
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
    return "huber(delta=" + delta + ")";
  }
}
