package descent.driver.optim;

import java.util.Locale;

/**
 * How a {@link SparseOptimizer} may update a step whose gradient touches few coordinates.
 * {@link #EXACT} gives the dense optimizer's model (to rounding) or no sparse update at all;
 * {@link #LAZY} also accepts updates that move only the touched coordinates where an exact one
 * has no sparse form (TensorFlow's {@code LazyAdamOptimizer} and sparse {@code apply_*} kernels).
 */
public enum SparseUpdate {

  /**
   * Every coordinate equals the dense optimizer's after each step: L2 decay through a scale
   * factor, state caught up in closed form. Optimizers without such a form stay dense.
   */
  EXACT,

  /**
   * Exact where {@link #EXACT} is; elsewhere only the touched coordinates' parameters and state
   * move (see {@link SparseOptimizer} for each optimizer), and an L1 penalty acts through the
   * cumulative penalty of Tsuruoka, Tsujii and Ananiadou (ACL 2009).
   */
  LAZY;

  /** The name on the command line: {@code exact} or {@code lazy}. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code flag} ({@code exact} or {@code lazy}). */
  public static SparseUpdate of(String flag) {
    for (SparseUpdate u : values()) {
      if (u.flag().equals(flag)) {
        return u;
      }
    }
    throw new IllegalArgumentException("sparse update '" + flag + "' is not available; use exact"
        + " or lazy");
  }
}
