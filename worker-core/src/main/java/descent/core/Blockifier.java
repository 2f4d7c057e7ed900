package descent.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns one partition's {@link RowBuffer} into {@link DataBlock}s: the rows are shuffled once
 * with a permutation drawn from (seed, partition), then copied in that order into blocks of at
 * most {@link #MAX_BLOCK_VALUES} stored values. Each block is dense row-major or CSR, whichever
 * takes fewer bytes (instance weights, when the buffer has any, travel with their rows), so a mini-batch window is a run of consecutive rows in plain arrays.
 */
public final class Blockifier {
  /** Upper bound on stored values per block (32 MiB of doubles), keeping arrays far below 2^31. */
  public static final int MAX_BLOCK_VALUES = 1 << 22;

  private Blockifier() {}

  /**
   * The permutation of {@code n} rows used for partition {@code partition}: a Fisher–Yates
   * shuffle driven by a {@link SplittableRandom} seeded from (seed, partition). With
   * {@code shuffle == false} it is the identity (used to predict in input order).
   */
  public static int[] permutation(int n, long seed, int partition, boolean shuffle) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom random = new SplittableRandom(mix(seed, partition));
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  private static long mix(long seed, int partition) {
    long z = seed + 0x9E3779B97F4A7C15L * (partition + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Blocks of the buffer's rows in shuffled order.
   *
   * @param numFeatures the model's feature count; every index in the buffer must be below it
   */
  public static List<DataBlock> blockify(RowBuffer rows, int numFeatures, long seed, int partition,
      boolean shuffle) {
    if (rows.maxIndex() >= numFeatures) {
      throw new IllegalArgumentException("feature index " + (rows.maxIndex() + 1)
          + " exceeds the feature count " + numFeatures);
    }
    int n = rows.numRows();
    int[] order = permutation(n, seed, partition, shuffle);
    List<DataBlock> blocks = new ArrayList<>();
    int first = 0;
    while (first < n) {
      // Grow the block while it stays under MAX_BLOCK_VALUES in both layouts' terms.
      int end = first;
      long nnz = 0;
      while (end < n) {
        int r = order[end];
        long rowNnz = rows.rowEnd(r) - rows.rowStart(r);
        long rowsIn = end - first + 1;
        long denseCells = rowsIn * numFeatures;
        // The dense bound applies only while the block would be laid out dense (see build).
        boolean dense = 8 * denseCells <= 12 * (nnz + rowNnz) + 4 * (rowsIn + 1);
        if (end > first && (nnz + rowNnz > MAX_BLOCK_VALUES
            || (dense && denseCells > MAX_BLOCK_VALUES))) {
          break;
        }
        nnz += rowNnz;
        end++;
      }
      blocks.add(build(rows, order, first, end, (int) nnz, numFeatures, partition));
      first = end;
    }
    return blocks;
  }

  private static DataBlock build(RowBuffer rows, int[] order, int first, int end, int nnz,
      int numFeatures, int partition) {
    int m = end - first;
    double[] labels = new double[m];
    double[] weights = rows.hasWeights() ? new double[m] : null;
    if (weights != null) {
      for (int i = 0; i < m; i++) {
        weights[i] = rows.weight(order[first + i]);
      }
    }
    long denseBytes = 8L * m * numFeatures;
    long sparseBytes = 12L * nnz + 4L * (m + 1);
    if (denseBytes <= sparseBytes) {
      double[] values = new double[m * numFeatures];
      for (int i = 0; i < m; i++) {
        int r = order[first + i];
        labels[i] = rows.label(r);
        int base = i * numFeatures;
        for (int k = rows.rowStart(r); k < rows.rowEnd(r); k++) {
          values[base + rows.index(k)] = rows.value(k);
        }
      }
      return DataBlock.dense(partition, first, numFeatures, labels, weights, values);
    }
    int[] indptr = new int[m + 1];
    int[] indices = new int[nnz];
    double[] values = new double[nnz];
    int pos = 0;
    for (int i = 0; i < m; i++) {
      int r = order[first + i];
      labels[i] = rows.label(r);
      for (int k = rows.rowStart(r); k < rows.rowEnd(r); k++) {
        indices[pos] = rows.index(k);
        values[pos] = rows.value(k);
        pos++;
      }
      indptr[i + 1] = pos;
    }
    return DataBlock.sparse(partition, first, numFeatures, labels, weights, indptr, indices, values);
  }
}
