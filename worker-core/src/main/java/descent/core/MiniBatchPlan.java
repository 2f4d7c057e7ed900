package descent.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which rows of each partition a step reads. Rows were shuffled once when the partition was
 * blockified; the plan lays the partitions' shuffled orders out in one global sequence per epoch,
 * taking them round-robin (row 0 of every partition, then row 1 of every partition that has one,
 * and so on), and step {@code t} with batch size {@code B} reads global positions
 * {@code [tB, (t+1)B)}, modulo the row count {@code N}.
 *
 * <p>So every step reads exactly {@code B} rows (one row for stochastic descent, whatever the
 * number of partitions), partitions of equal size contribute equally, the rows a step takes from
 * a partition are one window of its shuffled order (two when the window wraps), and one epoch
 * reads every row once. {@code Q_p(G)}, the rows of partition {@code p} among the first
 * {@code G} global positions, is computed in closed form, so the plan is a pure function of
 * (step, partition sizes, batch size): a task recomputed after an executor loss, or a resumed
 * run, reads exactly the same rows. Full batch is {@code B = N}: every window is the whole
 * partition.
 */
public final class MiniBatchPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] partitionRows;
  private final long totalRows;
  private final long batchSize;
  private final long maxPartitionRows;
  private final long minPartitionRows;

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
    long max = 0;
    for (long n : partitionRows) {
      max = Math.max(max, n);
    }
    this.maxPartitionRows = max;
    long min = max;
    for (long n : partitionRows) {
      min = Math.min(min, n);
    }
    this.minPartitionRows = min;
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
    int parts = partitionRows.length;
    if (rest < parts * minPartitionRows) {
      // Every partition still has rows in round ⌊rest/P⌋: the closed form of the search below,
      // which a loop of local steps asks once a step.
      long r = rest / parts;
      return epochs * n + r + (partition < rest % parts ? 1 : 0);
    }
    // Find the round r: every partition has given min(n_q, r) rows, Σ_q min(n_q, r) ≤ rest.
    long lo = 0;
    long hi = maxPartitionRows;
    while (lo < hi) {
      long mid = lo + (hi - lo + 1) / 2;
      if (roundTotal(mid) <= rest) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    long round = lo;
    long taken = Math.min(n, round);
    if (n > round) {
      // The rest of round `round` goes to partitions that still have rows, in index order.
      long extra = rest - roundTotal(round);
      long before = 0;
      for (int q = 0; q < partition; q++) {
        if (partitionRows[q] > round) {
          before++;
        }
      }
      if (before < extra) {
        taken++;
      }
    }
    return epochs * n + taken;
  }

  /** {@code Σ_q min(n_q, r)}: the rows of the first {@code r} complete rounds. */
  private long roundTotal(long r) {
    long sum = 0;
    for (long n : partitionRows) {
      sum += Math.min(n, r);
    }
    return sum;
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

  /** Total rows step {@code step} reads across all partitions: always the batch size. */
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
