package descent.core;

/**
 * Scratch arrays one task reuses across blocks and steps (margins and per-row multipliers), so
 * the gradient kernel allocates nothing per row. Not thread-safe; one per task.
 */
public final class Workspace {
  private double[] margins = new double[0];
  private double[] multipliers = new double[0];

  /** A margins buffer of at least {@code n} entries. */
  double[] margins(int n) {
    if (margins.length < n) {
      margins = new double[Math.max(n, margins.length * 2)];
    }
    return margins;
  }

  /** A multipliers buffer of at least {@code n} entries. */
  double[] multipliers(int n) {
    if (multipliers.length < n) {
      multipliers = new double[Math.max(n, multipliers.length * 2)];
    }
    return multipliers;
  }
}
