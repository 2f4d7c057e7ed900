package descent.driver;

/**
 * Limits the gradient before the optimizer sees it, in place, and says whether it changed
 * anything, so the metrics can count the steps where it fired. One type per way of clipping;
 * {@link #of} builds PyTorch's two, element-wise then by norm.
 */
public interface GradientClipper {

  /** No clipping. */
  GradientClipper NONE = new ValueAndNorm(null, null);

  /**
   * Element-wise to {@code [−clipValue, clipValue]}, then to global L2 norm {@code maxNorm};
   * either may be off (null).
   */
  static GradientClipper of(Double clipValue, Double maxNorm) {
    return new ValueAndNorm(clipValue, maxNorm);
  }

  /** Clips {@code g} in place; true when any entry changed. */
  boolean clip(double[] g);

  /** Whether this clipper can change a gradient at all. */
  boolean active();

  /**
   * PyTorch's {@code clip_grad_value_} to {@code [−clipValue, clipValue]}, then
   * {@code clip_grad_norm_}: {@code g ← g·maxNorm/||g||} when {@code ||g|| > maxNorm}. Either
   * may be off (null).
   */
  record ValueAndNorm(Double clipValue, Double maxNorm) implements GradientClipper {

    public ValueAndNorm {
      if (clipValue != null && !(clipValue > 0 && clipValue < Double.POSITIVE_INFINITY)) {
        throw Param.CLIP_VALUE.invalid("must be a positive number, got " + clipValue);
      }
      if (maxNorm != null && !(maxNorm > 0 && maxNorm < Double.POSITIVE_INFINITY)) {
        throw Param.CLIP_NORM.invalid("must be a positive number, got " + maxNorm);
      }
    }

    @Override
    public boolean active() {
      return clipValue != null || maxNorm != null;
    }

    @Override
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
}
