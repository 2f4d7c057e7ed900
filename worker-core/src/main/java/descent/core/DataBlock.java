package descent.core;

import java.io.Serializable;

/**
 * A contiguous block of rows of one partition: labels, optional instance weights and the
 * features, either dense row-major or CSR. Rows are stored in the partition's shuffled order, so
 * a mini-batch is a window of consecutive rows and the gradient kernel walks plain arrays.
 *
 * <p>{@code firstRow} is the index of this block's first row within its partition's shuffled
 * order; together with {@code partition} it lets a task intersect the block with the
 * {@link MiniBatchPlan} window of a step without any other bookkeeping.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final int firstRow;
  private final int numRows;
  private final int numFeatures;
  private final double[] labels;
  private final double[] weights;
  private final double[] values;
  private final int[] indptr;
  private final int[] indices;

  private DataBlock(int partition, int firstRow, int numRows, int numFeatures, double[] labels,
      double[] weights, double[] values, int[] indptr, int[] indices) {
    if (labels.length != numRows) {
      throw new IllegalArgumentException("labels: " + labels.length + " for " + numRows + " rows");
    }
    if (weights != null && weights.length != numRows) {
      throw new IllegalArgumentException("weights: " + weights.length + " for " + numRows + " rows");
    }
    this.partition = partition;
    this.firstRow = firstRow;
    this.numRows = numRows;
    this.numFeatures = numFeatures;
    this.labels = labels;
    this.weights = weights;
    this.values = values;
    this.indptr = indptr;
    this.indices = indices;
  }

  /** A dense block: {@code values[i * numFeatures + j]} is feature j of row i. */
  public static DataBlock dense(int partition, int firstRow, int numFeatures, double[] labels,
      double[] weights, double[] values) {
    if ((long) labels.length * numFeatures != values.length) {
      throw new IllegalArgumentException(
          "dense block of " + labels.length + " x " + numFeatures + " has " + values.length + " values");
    }
    return new DataBlock(partition, firstRow, labels.length, numFeatures, labels, weights, values,
        null, null);
  }

  /** A CSR block: row i holds {@code indices[indptr[i]..indptr[i+1])} (0-based, ascending). */
  public static DataBlock sparse(int partition, int firstRow, int numFeatures, double[] labels,
      double[] weights, int[] indptr, int[] indices, double[] values) {
    if (indptr.length != labels.length + 1 || indices.length != values.length
        || indptr[labels.length] != values.length) {
      throw new IllegalArgumentException("inconsistent CSR arrays");
    }
    return new DataBlock(partition, firstRow, labels.length, numFeatures, labels, weights, values,
        indptr, indices);
  }

  public int partition() {
    return partition;
  }

  public int firstRow() {
    return firstRow;
  }

  public int numRows() {
    return numRows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public boolean isDense() {
    return indptr == null;
  }

  public double[] labels() {
    return labels;
  }

  /** Instance weights, or {@code null} when every row weighs 1. */
  public double[] weights() {
    return weights;
  }

  public double[] values() {
    return values;
  }

  public int[] indptr() {
    return indptr;
  }

  public int[] indices() {
    return indices;
  }

  /** Number of stored feature values (all cells for a dense block). */
  public long storedValues() {
    return values.length;
  }

  /** Bytes held by this block's arrays. */
  public long sizeInBytes() {
    long bytes = 8L * labels.length + 8L * values.length;
    if (weights != null) {
      bytes += 8L * weights.length;
    }
    if (indptr != null) {
      bytes += 4L * indptr.length + 4L * indices.length;
    }
    return bytes;
  }
}
