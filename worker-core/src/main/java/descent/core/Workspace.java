package descent.core;

/**
 * Scratch arrays one task reuses across blocks and steps (margins, per-row multipliers and
 * curvatures, scaled rows), so the kernels allocate nothing per row. Not thread-safe; one per task.
 */
public final class Workspace {
  private double[] margins = new double[0];
  private double[] nextMargins = new double[0];
  private double[] lanes = new double[0];
  private double[] multipliers = new double[0];
  private double[] curvatures = new double[0];
  private double[] scratch = new double[0];

  /** A margins buffer of at least {@code n} entries. */
  double[] margins(int n) {
    if (margins.length < n) {
      margins = new double[Math.max(n, margins.length * 2)];
    }
    return margins;
  }

  /** A second margins buffer of at least {@code n} entries (the next chunk's, while pipelined). */
  double[] nextMargins(int n) {
    if (nextMargins.length < n) {
      nextMargins = new double[Math.max(n, nextMargins.length * 2)];
    }
    return nextMargins;
  }

  /** A buffer of at least {@code n} entries for the lanes of one SIMD vector. */
  double[] lanes(int n) {
    if (lanes.length < n) {
      lanes = new double[n];
    }
    return lanes;
  }

  /** A multipliers buffer of at least {@code n} entries. */
  double[] multipliers(int n) {
    if (multipliers.length < n) {
      multipliers = new double[Math.max(n, multipliers.length * 2)];
    }
    return multipliers;
  }

  /** A curvatures buffer (second derivatives per row) of at least {@code n} entries. */
  double[] curvatures(int n) {
    if (curvatures.length < n) {
      curvatures = new double[Math.max(n, curvatures.length * 2)];
    }
    return curvatures;
  }

  /** A scratch buffer of at least {@code n} entries (scaled rows for the Hessian kernel). */
  double[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new double[n];
    }
    return scratch;
  }
}
