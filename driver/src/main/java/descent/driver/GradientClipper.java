package descent.driver;

/**
 * Limits the gradient before the optimizer sees it: element-wise to {@code [−clipValue,
 * clipValue]} (PyTorch's {@code clip_grad_value_}), then to global L2 norm {@code maxNorm}
 * ({@code clip_grad_norm_}: {@code g ← g·maxNorm/||g||} when {@code ||g|| > maxNorm}). Either
 * may be off (null). It reports whether it changed the gradient, so metrics can count the steps
 * where it fired.
 */
public record GradientClipper(Double clipValue, Double maxNorm) {

  /** No clipping. */
  public static final GradientClipper NONE = new GradientClipper(null, null);

  public GradientClipper {
    if (clipValue != null && !(clipValue > 0 && clipValue < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("--clip-value must be a positive number, got "
          + clipValue);
    }
    if (maxNorm != null && !(maxNorm > 0 && maxNorm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("--clip-norm must be a positive number, got " + maxNorm);
    }
  }

  /** Whether this clipper can change a gradient at all. */
  public boolean active() {
    return clipValue != null || maxNorm != null;
  }

  /** Clips {@code g} in place; true when any entry changed. */
  public boolean clip(double[] g) {
    boolean fired = false;
    if (clipValue != null) {
      double c = clipValue;
      for (int j = 0; j < g.length; j++) {
        if (g[j] > c) {
          g[j] = c;
          fired = true;
        } else if (g[j] < -c) {
          g[j] = -c;
          fired = true;
        }
      }
    }
    if (maxNorm != null) {
      double s = 0.0;
      for (double v : g) {
        s += v * v;
      }
      double norm = Math.sqrt(s);
      if (norm > maxNorm) {
        double scale = maxNorm / norm;
        for (int j = 0; j < g.length; j++) {
          g[j] *= scale;
        }
        fired = true;
      }
    }
    return fired;
  }

  @Override
  public String toString() {
    if (!active()) {
      return "none";
    }
    return (clipValue != null ? "value " + clipValue : "")
        + (clipValue != null && maxNorm != null ? ", " : "")
        + (maxNorm != null ? "norm " + maxNorm : "");
  }
}
