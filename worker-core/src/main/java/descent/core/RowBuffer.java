package descent.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The rows of one partition as they are read, in input order: a growable CSR buffer with one
 * label per row. Readers append validated rows; {@link Blockifier} turns the buffer into
 * shuffled {@link DataBlock}s once the feature count is known.
 */
public final class RowBuffer implements Serializable {
  private static final long serialVersionUID = 1L;

  private int numRows;
  private double[] labels = new double[16];
  /** Instance weights, allocated when the first weight other than 1 arrives; null = all 1. */
  private double[] weights;
  private int[] indptr = new int[17];
  private int[] indices = new int[64];
  private double[] values = new double[64];
  private int nnz;
  private int maxIndex = -1;

  /** Number of rows appended. */
  public int numRows() {
    return numRows;
  }

  /** Number of stored (non-zero) feature values. */
  public int nnz() {
    return nnz;
  }

  /** Largest 0-based feature index seen, or -1 when no row has a non-zero feature. */
  public int maxIndex() {
    return maxIndex;
  }

  /** Appends one feature of the current row; indices must ascend within a row (0-based). */
  public void addFeature(int index, double value) {
    if (value == 0.0) {
      return;
    }
    if (nnz == indices.length) {
      int capacity = Math.max(64, indices.length * 2);
      if (capacity < 0) {
        throw new IllegalStateException("partition holds more than 2^31 feature values");
      }
      indices = Arrays.copyOf(indices, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    indices[nnz] = index;
    values[nnz] = value;
    nnz++;
    if (index > maxIndex) {
      maxIndex = index;
    }
  }

  /** Closes the current row with its label; the features added since the last call belong to it. */
  public void endRow(double label) {
    endRow(label, 1.0);
  }

  /**
   * Closes the current row with its label and instance weight {@code s}: the row counts as
   * {@code s} copies of itself in every loss ({@code Σ s_i ℓ_i / Σ s_i}). The caller checks that
   * the weight is finite and non-negative.
   */
  public void endRow(double label, double weight) {
    if (numRows == labels.length) {
      labels = Arrays.copyOf(labels, labels.length * 2);
      indptr = Arrays.copyOf(indptr, labels.length + 1);
      if (weights != null) {
        weights = Arrays.copyOf(weights, labels.length);
      }
    }
    if (weight != 1.0 && weights == null) {
      weights = new double[labels.length];
      Arrays.fill(weights, 0, numRows, 1.0);
    }
    if (weights != null) {
      weights[numRows] = weight;
    }
    labels[numRows] = label;
    numRows++;
    indptr[numRows] = nnz;
  }

  /** Whether some row has a weight other than 1. */
  public boolean hasWeights() {
    return weights != null;
  }

  /**
   * The rows of this partition split in two: row i goes to the second buffer (validation) when
   * the i-th draw of a {@link java.util.SplittableRandom} seeded by (seed, partition) is below
   * {@code fraction}. A pure function of its arguments, so a recomputed partition splits alike.
   */
  public RowBuffer[] split(double fraction, long seed, int partition) {
    java.util.SplittableRandom random =
        new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5851F42D4C957F2DL * partition);
    RowBuffer train = new RowBuffer();
    RowBuffer validation = new RowBuffer();
    for (int i = 0; i < numRows; i++) {
      RowBuffer target = random.nextDouble() < fraction ? validation : train;
      for (int k = indptr[i]; k < indptr[i + 1]; k++) {
        target.addFeature(indices[k], values[k]);
      }
      target.endRow(labels[i], weight(i));
    }
    return new RowBuffer[] {train, validation};
  }

  /**
   * The rows dealt round-robin into {@code n} buffers: row i goes to buffer
   * {@code (i + offset) mod n}, rows keeping their order. A pure function of its arguments, so a
   * recomputed partition deals alike; with {@code offset} = the partition's index, partitions of
   * few rows do not all fill the first buffers.
   */
  public RowBuffer[] deal(int n, int offset) {
    if (n <= 0) {
      throw new IllegalArgumentException("cannot deal rows into " + n + " buffers");
    }
    RowBuffer[] parts = new RowBuffer[n];
    for (int t = 0; t < n; t++) {
      parts[t] = new RowBuffer();
    }
    int target = Math.floorMod(offset, n);
    for (int i = 0; i < numRows; i++) {
      RowBuffer out = parts[target];
      for (int k = indptr[i]; k < indptr[i + 1]; k++) {
        out.addFeature(indices[k], values[k]);
      }
      out.endRow(labels[i], weight(i));
      target = target + 1 == n ? 0 : target + 1;
    }
    return parts;
  }

  /** Appends every row of {@code other}, in its order, after this buffer's rows. */
  public void append(RowBuffer other) {
    for (int i = 0; i < other.numRows; i++) {
      for (int k = other.indptr[i]; k < other.indptr[i + 1]; k++) {
        addFeature(other.indices[k], other.values[k]);
      }
      endRow(other.labels[i], other.weight(i));
    }
  }

  double label(int row) {
    return labels[row];
  }

  double weight(int row) {
    return weights == null ? 1.0 : weights[row];
  }

  int rowStart(int row) {
    return indptr[row];
  }

  int rowEnd(int row) {
    return indptr[row + 1];
  }

  int index(int k) {
    return indices[k];
  }

  double value(int k) {
    return values[k];
  }
}
