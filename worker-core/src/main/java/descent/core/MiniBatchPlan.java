package descent.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which rows of each partition a step reads. Rows were shuffled once when the partition was
 * blockified; step {@code t} of a run with batch size {@code B} over {@code N} rows takes from
 * partition {@code p} (holding {@code n_p} rows) the window of its shuffled order between
 * {@code Q_p(tB)} and {@code Q_p((t+1)B)}, taken modulo {@code n_p}, where
 * {@code Q_p(G) = e·n_p + floor(r·n_p / N)} for {@code G = e·N + r}.
 *
 * <p>So each partition contributes in proportion to its size, the windows of one epoch tile
 * every partition exactly once, and a step's total is {@code B} give or take one row per
 * partition. The plan is a pure function of (step, partition sizes, batch size): a task recomputed
 * after an executor loss, or a resumed run, reads exactly the same rows. Full batch is
 * {@code B = N}: every window is the whole partition.
 */
public final class MiniBatchPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] partitionRows;
  private final long totalRows;
  private final long batchSize;

  /**
   * @param partitionRows rows in each partition, indexed by partition
   * @param batchSize rows per step across all partitions, 1 ≤ batchSize ≤ total rows
   */
  public MiniBatchPlan(long[] partitionRows, long batchSize) {
    long total = 0;
    for (long n : partitionRows) {
      if (n < 0) {
        throw new IllegalArgumentException("negative partition size " + n);
      }
      total += n;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the data has no rows");
    }
    if (batchSize < 1 || batchSize > total) {
      throw new IllegalArgumentException(
          "batch size " + batchSize + " must be between 1 and the row count " + total);
    }
    this.partitionRows = partitionRows.clone();
    this.totalRows = total;
    this.batchSize = batchSize;
  }

  public long totalRows() {
    return totalRows;
  }

  public long batchSize() {
    return batchSize;
  }

  public int numPartitions() {
    return partitionRows.length;
  }

  public long partitionRows(int partition) {
    return partitionRows[partition];
  }

  /** True when every step reads every row. */
  public boolean isFullBatch() {
    return batchSize == totalRows;
  }

  /** Epochs completed after {@code steps} steps: {@code steps·B/N}. */
  public double epoch(long steps) {
    return (double) steps * batchSize / totalRows;
  }

  /** Rows of partition {@code partition} among the first {@code g} rows of the global sequence. */
  long cumulative(int partition, long g) {
    long epochs = g / totalRows;
    long rest = g % totalRows;
    long n = partitionRows[partition];
    return epochs * n + multiplyDivide(rest, n, totalRows);
  }

  private static long multiplyDivide(long a, long b, long c) {
    long high = Math.multiplyHigh(a, b);
    if (high == 0 && a * b >= 0) {
      return a * b / c;
    }
    return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
        .divide(java.math.BigInteger.valueOf(c)).longValueExact();
  }

  /** Start of step {@code step}'s window in the partition's shuffled order, in [0, n_p). */
  public long windowStart(int partition, long step) {
    long n = partitionRows[partition];
    return n == 0 ? 0 : cumulative(partition, Math.multiplyExact(step, batchSize)) % n;
  }

  /** Number of rows step {@code step} reads from the partition (at most n_p). */
  public long windowSize(int partition, long step) {
    long g = Math.multiplyExact(step, batchSize);
    return cumulative(partition, g + batchSize) - cumulative(partition, g);
  }

  /** Total rows step {@code step} reads across all partitions. */
  public long stepRows(long step) {
    long rows = 0;
    for (int p = 0; p < partitionRows.length; p++) {
      rows += windowSize(p, step);
    }
    return rows;
  }

  /**
   * Calls {@code visitor} with the ranges {@code [from, to)} of block-local rows that step
   * {@code step} reads from a block holding partition rows {@code [blockFirst, blockFirst+blockRows)}.
   * A window that wraps around the end of the partition's order gives up to two ranges.
   */
  public void forEachRange(int partition, long step, int blockFirst, int blockRows,
      RangeVisitor visitor) {
    long n = partitionRows[partition];
    long size = windowSize(partition, step);
    if (size == 0) {
      return;
    }
    long start = windowStart(partition, step);
    long end = start + size;
    visit(start, Math.min(end, n), blockFirst, blockRows, visitor);
    if (end > n) {
      visit(0, end - n, blockFirst, blockRows, visitor);
    }
  }

  private static void visit(long from, long to, int blockFirst, int blockRows, RangeVisitor v) {
    long lo = Math.max(from, blockFirst);
    long hi = Math.min(to, (long) blockFirst + blockRows);
    if (lo < hi) {
      v.range((int) (lo - blockFirst), (int) (hi - blockFirst));
    }
  }

  /** Receives one range of block-local rows. */
  @FunctionalInterface
  public interface RangeVisitor {
    void range(int from, int to);
  }

  @Override
  public String toString() {
    return "MiniBatchPlan(rows=" + totalRows + ", batchSize=" + batchSize + ", partitions="
        + Arrays.toString(partitionRows) + ")";
  }
}
