package descent.core;

import java.io.Serializable;

/**
 * The coordinates one version of the parameters changed and their new values:
 * {@code v_t[coordinates[i]] = values[i]}, every other coordinate as in {@code v_{t−1}}. A
 * sparse optimizer step touches the features its mini-batch read, so this is what reaches the
 * executors instead of the whole vector. Values, not differences: applying a delta twice, or
 * over a copy that already has it, changes nothing.
 */
public final class ParameterDelta implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] coordinates;
  private final double[] values;

  /**
   * @param coordinates the changed coordinates, in any order (taken, not copied)
   * @param values their new values, one a coordinate (taken, not copied)
   */
  public ParameterDelta(int[] coordinates, double[] values) {
    if (coordinates.length != values.length) {
      throw new IllegalArgumentException(coordinates.length + " coordinates but "
          + values.length + " values");
    }
    this.coordinates = coordinates;
    this.values = values;
  }

  /** {@code v[coordinates[i]] = values[i]} for every entry. */
  public void applyTo(double[] v) {
    int[] c = coordinates;
    double[] x = values;
    for (int i = 0; i < c.length; i++) {
      v[c[i]] = x[i];
    }
  }

  /** The number of changed coordinates. */
  public int size() {
    return coordinates.length;
  }

  @Override
  public String toString() {
    return "ParameterDelta(" + coordinates.length + " coordinates)";
  }
}
