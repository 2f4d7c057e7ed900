package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockifierTest {

  /** Appends the rows of a dense matrix (zeros are not stored) with their labels. */
  static RowBuffer buffer(double[][] x, double[] y) {
    RowBuffer rows = new RowBuffer();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        rows.addFeature(j, x[i][j]);
      }
      rows.endRow(y[i]);
    }
    return rows;
  }

  /** Row i of the block as a dense array, read from either layout. */
  static double[] row(DataBlock block, int i) {
    int d = block.numFeatures();
    double[] out = new double[d];
    if (block.isDense()) {
      System.arraycopy(block.values(), i * d, out, 0, d);
    } else {
      int[] indptr = block.indptr();
      for (int k = indptr[i]; k < indptr[i + 1]; k++) {
        if (k > indptr[i]) {
          assertTrue(block.indices()[k - 1] < block.indices()[k], "CSR indices ascend");
        }
        out[block.indices()[k]] = block.values()[k];
      }
    }
    return out;
  }

  /** All rows of the blocks, in order, with their labels. */
  static List<double[]> rowsOf(List<DataBlock> blocks) {
    List<double[]> out = new ArrayList<>();
    for (DataBlock b : blocks) {
      for (int i = 0; i < b.numRows(); i++) {
        out.add(row(b, i));
      }
    }
    return out;
  }

  static double[] labelsOf(List<DataBlock> blocks) {
    return blocks.stream().flatMapToDouble(b -> Arrays.stream(b.labels())).toArray();
  }

  /** n rows x d features; about half the cells zero; label i identifies row i. */
  static double[][] matrix(int n, int d, double zeroFraction, long seed) {
    Random random = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = random.nextDouble() < zeroFraction ? 0.0 : Math.round(random.nextGaussian() * 1e3) / 1e3 + 0.5;
      }
    }
    return x;
  }

  static double[] ids(int n) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = i;
    }
    return y;
  }

  @Test
  void rowBufferCountsWhatItHolds() {
    RowBuffer rows = new RowBuffer();
    assertEquals(0, rows.numRows());
    assertEquals(-1, rows.maxIndex());
    rows.addFeature(1, 2.0);
    rows.addFeature(3, 0.0); // zeros are not stored
    rows.addFeature(4, -1.0);
    rows.endRow(7.0);
    rows.endRow(8.0); // a row with no features
    assertEquals(2, rows.numRows());
    assertEquals(2, rows.nnz());
    assertEquals(4, rows.maxIndex());
    assertEquals(7.0, rows.label(0));
    assertEquals(8.0, rows.label(1));
    assertEquals(0, rows.rowStart(0));
    assertEquals(2, rows.rowEnd(0));
    assertEquals(2, rows.rowStart(1));
    assertEquals(2, rows.rowEnd(1));
    assertEquals(1, rows.index(0));
    assertEquals(2.0, rows.value(0));
    assertEquals(4, rows.index(1));
    assertEquals(-1.0, rows.value(1));
  }

  @Test
  void withoutShuffleRowsKeepInputOrderAndCells() {
    // 50 rows, 5 features: more than the buffer's initial 16 rows and 64 values.
    double[][] x = matrix(50, 5, 0.4, 1);
    double[] y = ids(50);
    RowBuffer rows = buffer(x, y);
    assertEquals(50, rows.numRows());
    List<DataBlock> blocks = Blockifier.blockify(rows, 5, 123, 2, false);
    assertEquals(1, blocks.size());
    DataBlock block = blocks.get(0);
    assertEquals(2, block.partition());
    assertEquals(0, block.firstRow());
    assertEquals(50, block.numRows());
    assertEquals(5, block.numFeatures());
    assertEquals(null, block.weights());
    assertArrayEquals(y, block.labels());
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(x[i], row(block, i), "row " + i);
    }
  }

  @Test
  void cellsLandWhereTheyBelong() {
    // Two rows written out by hand, both layouts: a wide sparse one and a narrow dense one.
    RowBuffer sparse = new RowBuffer();
    sparse.addFeature(0, 1.5);
    sparse.addFeature(97, -2.0);
    sparse.endRow(1.0);
    sparse.addFeature(42, 3.0);
    sparse.endRow(-1.0);
    DataBlock csr = Blockifier.blockify(sparse, 100, 0, 0, false).get(0);
    assertFalse(csr.isDense());
    assertArrayEquals(new int[] {0, 2, 3}, csr.indptr());
    assertArrayEquals(new int[] {0, 97, 42}, csr.indices());
    assertArrayEquals(new double[] {1.5, -2.0, 3.0}, csr.values());
    assertArrayEquals(new double[] {1.0, -1.0}, csr.labels());

    RowBuffer dense = new RowBuffer();
    dense.addFeature(0, 1.0);
    dense.addFeature(2, 3.0);
    dense.endRow(5.0);
    dense.addFeature(1, 4.0);
    dense.addFeature(2, 6.0);
    dense.endRow(6.0);
    DataBlock d = Blockifier.blockify(dense, 3, 0, 0, false).get(0);
    assertTrue(d.isDense());
    assertArrayEquals(new double[] {1.0, 0.0, 3.0, 0.0, 4.0, 6.0}, d.values());
    assertArrayEquals(new double[] {5.0, 6.0}, d.labels());
  }

  @Test
  void shuffleIsASeededPermutationThatKeepsRowsWhole() {
    int n = 50;
    double[][] x = matrix(n, 5, 0.3, 2);
    double[] y = ids(n);
    RowBuffer rows = buffer(x, y);
    List<DataBlock> first = Blockifier.blockify(rows, 5, 2024, 3, true);
    List<DataBlock> again = Blockifier.blockify(rows, 5, 2024, 3, true);
    List<DataBlock> otherSeed = Blockifier.blockify(rows, 5, 2025, 3, true);
    List<DataBlock> otherPartition = Blockifier.blockify(rows, 5, 2024, 4, true);

    double[] labels = labelsOf(first);
    double[] sorted = labels.clone();
    Arrays.sort(sorted);
    assertArrayEquals(y, sorted, "the shuffled labels are a permutation of the input labels");
    assertFalse(Arrays.equals(y, labels), "shuffle changed the order");
    // Each row travels with its label (label i marks input row i).
    List<double[]> shuffledRows = rowsOf(first);
    for (int i = 0; i < n; i++) {
      assertArrayEquals(x[(int) labels[i]], shuffledRows.get(i), "row labelled " + labels[i]);
    }
    assertArrayEquals(labels, labelsOf(again), "same seed, same order");
    assertFalse(Arrays.equals(labels, labelsOf(otherSeed)), "another seed, another order");
    assertFalse(Arrays.equals(labels, labelsOf(otherPartition)),
        "another partition, another order");

    // The order is the one permutation() reports.
    int[] order = Blockifier.permutation(n, 2024, 3, true);
    for (int i = 0; i < n; i++) {
      assertEquals(order[i], (int) labels[i]);
    }
  }

  @Test
  void permutationIsAPermutation() {
    for (int n : new int[] {0, 1, 2, 17, 100}) {
      int[] identity = Blockifier.permutation(n, 99, 0, false);
      for (int i = 0; i < n; i++) {
        assertEquals(i, identity[i]);
      }
      int[] p = Blockifier.permutation(n, 99, 0, true);
      assertEquals(n, p.length);
      int[] sorted = p.clone();
      Arrays.sort(sorted);
      assertArrayEquals(identity, sorted, "n = " + n);
    }
  }

  @Test
  void shuffleDrawsEveryOrderEquallyOften() {
    // Over 6000 seeds each of the 3! orders of 3 rows should come up about 1000 times
    // (standard deviation about 29); a shuffle that skips a swap misses some orders entirely.
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (long seed = 0; seed < 6000; seed++) {
      counts.merge(Arrays.toString(Blockifier.permutation(3, seed, 0, true)), 1, Integer::sum);
    }
    assertEquals(6, counts.size(), counts.toString());
    for (int c : counts.values()) {
      assertTrue(c > 800 && c < 1200, counts.toString());
    }
    // Two rows: both orders occur.
    java.util.Set<String> two = new java.util.HashSet<>();
    for (long seed = 0; seed < 100; seed++) {
      two.add(Arrays.toString(Blockifier.permutation(2, seed, 1, true)));
    }
    assertEquals(2, two.size(), two.toString());
  }

  @Test
  void denseDataGetsDenseBlocksAndSparseDataGetsCsr() {
    double[][] full = matrix(30, 6, 0.0, 3);
    DataBlock dense = Blockifier.blockify(buffer(full, ids(30)), 6, 1, 0, true).get(0);
    assertTrue(dense.isDense(), "no zeros: dense is smaller");
    assertEquals(30 * 6, dense.storedValues());

    RowBuffer rows = new RowBuffer();
    for (int i = 0; i < 30; i++) {
      rows.addFeature((i * 37) % 100, 1.0 + i);
      rows.endRow(i);
    }
    DataBlock sparse = Blockifier.blockify(rows, 100, 1, 0, true).get(0);
    assertFalse(sparse.isDense(), "1 non-zero in 100 features: CSR is smaller");
    assertEquals(30, sparse.storedValues());
    for (int i = 0; i < 30; i++) {
      int input = (int) sparse.labels()[i];
      double[] expected = new double[100];
      expected[(input * 37) % 100] = 1.0 + input;
      assertArrayEquals(expected, row(sparse, i));
    }
  }

  @Test
  void featureIndexMustBeBelowTheFeatureCount() {
    RowBuffer rows = new RowBuffer();
    rows.addFeature(4, 1.0);
    rows.endRow(1.0);
    assertEquals(1, Blockifier.blockify(rows, 5, 0, 0, false).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blockifier.blockify(rows, 4, 0, 0, false));
    assertTrue(e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void noRowsNoBlocks() {
    assertTrue(Blockifier.blockify(new RowBuffer(), 3, 0, 0, true).isEmpty());
  }

  @Test
  void wideSparseDataStaysInOneCsrBlock() {
    // With 2^21 features a dense block of 3 rows would exceed MAX_BLOCK_VALUES (2^22), but the
    // rows hold one value each, so they are stored as CSR and the dense bound does not apply.
    int d = 1 << 21;
    int n = 7;
    RowBuffer rows = new RowBuffer();
    for (int i = 0; i < n; i++) {
      rows.addFeature(d - 1 - i * 1000, i + 1.0);
      rows.endRow(i);
    }
    List<DataBlock> blocks = Blockifier.blockify(rows, d, 5, 1, true);
    assertEquals(1, blocks.size());
    DataBlock block = blocks.get(0);
    assertFalse(block.isDense());
    assertEquals(n, block.numRows());
    int[] order = Blockifier.permutation(n, 5, 1, true);
    int[] indptr = block.indptr();
    for (int i = 0; i < n; i++) {
      int input = order[i];
      assertEquals(input, (int) block.labels()[i]);
      assertEquals(1, indptr[i + 1] - indptr[i]);
      assertEquals(d - 1 - input * 1000, block.indices()[indptr[i]]);
      assertEquals(input + 1.0, block.values()[indptr[i]]);
    }
  }

  @Test
  void blocksAreCutAtTheValueCapAndTileThePartition() {
    // Rows of 2^20 stored values each (half of 2^21 features): four fit under 2^22, not five.
    int d = 1 << 21;
    int perRow = 1 << 20;
    int n = 9;
    RowBuffer rows = new RowBuffer();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < perRow; j++) {
        rows.addFeature(2 * j, 1.0 + i);
      }
      rows.endRow(i);
    }
    List<DataBlock> blocks = Blockifier.blockify(rows, d, 5, 1, true);
    int next = 0;
    for (DataBlock block : blocks) {
      assertFalse(block.isDense());
      assertEquals(next, block.firstRow(), "blocks tile the partition");
      assertTrue(block.storedValues() <= Blockifier.MAX_BLOCK_VALUES);
      next += block.numRows();
    }
    assertEquals(n, next);
    assertEquals(3, blocks.size(), "4 + 4 + 1 rows");
    int[] order = Blockifier.permutation(n, 5, 1, true);
    double[] labels = labelsOf(blocks);
    for (int i = 0; i < n; i++) {
      assertEquals(order[i], (int) labels[i]);
    }
  }

  @Test
  void dataBlockRejectsInconsistentArrays() {
    assertThrows(IllegalArgumentException.class,
        () -> DataBlock.dense(0, 0, 3, new double[2], null, new double[5]));
    assertThrows(IllegalArgumentException.class,
        () -> DataBlock.dense(0, 0, 3, new double[2], new double[3], new double[6]));
    assertThrows(IllegalArgumentException.class, () -> DataBlock.sparse(0, 0, 3, new double[2],
        null, new int[] {0, 1}, new int[] {0}, new double[] {1.0}));
    assertThrows(IllegalArgumentException.class, () -> DataBlock.sparse(0, 0, 3, new double[2],
        null, new int[] {0, 1, 2}, new int[] {0}, new double[] {1.0}));
    DataBlock ok = DataBlock.sparse(0, 4, 3, new double[2], new double[] {1, 2},
        new int[] {0, 1, 1}, new int[] {2}, new double[] {1.0});
    assertEquals(4, ok.firstRow());
    assertEquals(1, ok.storedValues());
    assertEquals(8L * 2 + 8L * 1 + 8L * 2 + 4L * 3 + 4L * 1, ok.sizeInBytes());
  }
}
