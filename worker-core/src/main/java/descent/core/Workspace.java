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
  private final double[][] network = {new double[0], new double[0], new double[0],
      new double[0], new double[0], new double[0]};

  /** {@code buffer} if it has {@code n} entries, else a new one of at least n, twice its size. */
  private static double[] atLeast(double[] buffer, int n) {
    return buffer.length >= n ? buffer : new double[Math.max(n, buffer.length * 2)];
  }

  /** A margins buffer of at least {@code n} entries. */
  double[] margins(int n) {
    return margins = atLeast(margins, n);
  }

  /** A second margins buffer of at least {@code n} entries (the next chunk's, while pipelined). */
  double[] nextMargins(int n) {
    return nextMargins = atLeast(nextMargins, n);
  }

  /** A buffer of at least {@code n} entries for the lanes of one SIMD vector. */
  double[] lanes(int n) {
    return lanes = atLeast(lanes, n);
  }

  /** A multipliers buffer of at least {@code n} entries. */
  double[] multipliers(int n) {
    return multipliers = atLeast(multipliers, n);
  }

  /** A curvatures buffer (second derivatives per row) of at least {@code n} entries. */
  double[] curvatures(int n) {
    return curvatures = atLeast(curvatures, n);
  }

  /** A scratch buffer of at least {@code n} entries (scaled rows for the Hessian kernel). */
  double[] scratch(int n) {
    return scratch = atLeast(scratch, n);
  }

  /**
   * Network buffer {@code slot} (0 to 5) of at least {@code n} entries: a {@link MlpLoss} keeps
   * the layers' activations in slots 0 and 1 (odd and even layers), its deltas in 2 and 3, so
   * no matrix product reads and writes the same array, the normalized pre-activations of
   * batch normalization in 4 and a chunk's moments in 5.
   */
  double[] network(int slot, int n) {
    return network[slot] = atLeast(network[slot], n);
  }
}
