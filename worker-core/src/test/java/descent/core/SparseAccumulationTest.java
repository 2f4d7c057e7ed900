package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step's gradient summed sparsely (CSR rows into a {@link SparseSum}) has the bits of the same
 * gradient summed densely, on real sparse data: every coordinate of every window of a9a and of
 * npm_popular, tasks merged in partition order; and partial sums of either kind merge with each
 * other and with an empty side.
 */
class SparseAccumulationTest {
  private static final int PARTITIONS = 4;
  private static List<List<DataBlock>> a9a;
  private static List<List<DataBlock>> npm;

  static Path sharedData(String name) {
    return Paths.get("..", "..", "shared", "data", name).toAbsolutePath().normalize();
  }

  /** The file's rows in {@code PARTITIONS} contiguous parts, each blockified with seed 7. */
  static List<List<DataBlock>> read(String name, int numFeatures) {
    Path file = sharedData(name);
    List<RowBuffer> parts = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        BufferedReader in = new BufferedReader(new InputStreamReader(
            name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
            StandardCharsets.UTF_8))) {
      List<String> lines = in.lines().toList();
      LibSvmParser parser = new LibSvmParser(LabelDomain.BINARY, numFeatures);
      int per = (lines.size() + PARTITIONS - 1) / PARTITIONS;
      for (int p = 0; p < PARTITIONS; p++) {
        RowBuffer b = new RowBuffer();
        for (int i = p * per; i < Math.min(lines.size(), (p + 1) * per); i++) {
          parser.parse(lines.get(i), b);
        }
        parts.add(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<DataBlock>> blocks = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      blocks.add(Blockifier.blockify(parts.get(p), numFeatures, 7, p, true));
    }
    return blocks;
  }

  @BeforeAll
  static void load() {
    a9a = read("a9a", 123);
    npm = read("npm_popular.libsvm.gz", 1 << 20);
    for (List<List<DataBlock>> data : List.of(a9a, npm)) {
      for (List<DataBlock> partition : data) {
        for (DataBlock b : partition) {
          assertFalse(b.isDense(), "the sparse sets are blockified as CSR");
        }
      }
    }
  }

  /** The same rows with labels ±1 as classes 0 and 1, for a two-class softmax. */
  static List<List<DataBlock>> asClasses(List<List<DataBlock>> data) {
    List<List<DataBlock>> out = new ArrayList<>();
    for (List<DataBlock> partition : data) {
      List<DataBlock> blocks = new ArrayList<>();
      for (DataBlock b : partition) {
        double[] labels = new double[b.numRows()];
        for (int i = 0; i < labels.length; i++) {
          labels[i] = b.labels()[i] > 0 ? 1 : 0;
        }
        blocks.add(DataBlock.sparse(b.partition(), b.firstRow(), b.numFeatures(), labels,
            b.weights(), b.indptr(), b.indices(), b.values()));
      }
      out.add(blocks);
    }
    return out;
  }

  static double[] randomParams(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] w = new double[n];
    for (int j = 0; j < n; j++) {
      w[j] = random.nextGaussian() * 0.3;
    }
    return w;
  }

  /**
   * The window of each partition that a {@link MiniBatchPlan} of {@code batchSize} rows reads at
   * {@code step}, summed into one accumulator per partition (sparse, or always dense), merged in
   * partition order.
   */
  static GradientAccumulator step(List<List<DataBlock>> data, Loss loss, boolean fitIntercept,
      double[] params, long batchSize, long step, boolean sparse, List<Boolean> partialsSparse) {
    int d = data.get(0).get(0).numFeatures();
    int p = loss.numParams(d, fitIntercept);
    long[] rows = new long[data.size()];
    for (int i = 0; i < data.size(); i++) {
      for (DataBlock b : data.get(i)) {
        rows[i] += b.numRows();
      }
    }
    MiniBatchPlan plan = new MiniBatchPlan(rows, batchSize);
    GradientAccumulator merged = null;
    for (List<DataBlock> partition : data) {
      GradientAccumulator acc = sparse ? new GradientAccumulator(p, true)
          : GradientAccumulator.alwaysDense(p);
      for (DataBlock block : partition) {
        plan.forEachRange(block.partition(), step, block.firstRow(), block.numRows(),
            (from, to) -> acc.add(block, from, to, loss, params, fitIntercept));
      }
      if (partialsSparse != null) {
        partialsSparse.add(acc.isSparse());
      }
      merged = merged == null ? acc : merged.merge(acc);
    }
    return merged;
  }

  static void assertSameBits(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int j = 0; j < expected.length; j++) {
      if (Double.doubleToRawLongBits(expected[j]) != Double.doubleToRawLongBits(actual[j])) {
        throw new AssertionError(what + ", coordinate " + j + ": dense " + expected[j]
            + ", sparse " + actual[j]);
      }
    }
  }

  private static void assertWindowsAgree(List<List<DataBlock>> data, Loss loss,
      long[] batchSizes, long[] steps, boolean expectSparse) {
    int d = data.get(0).get(0).numFeatures();
    for (boolean fitIntercept : new boolean[] {false, true}) {
      double[] params = randomParams(loss.numParams(d, fitIntercept), 11);
      for (long batch : batchSizes) {
        for (long step : steps) {
          String what = loss + ", batch " + batch + ", step " + step + ", intercept "
              + fitIntercept;
          List<Boolean> kinds = new ArrayList<>();
          GradientAccumulator sparse = step(data, loss, fitIntercept, params, batch, step, true,
              kinds);
          GradientAccumulator dense = step(data, loss, fitIntercept, params, batch, step, false,
              null);
          assertSameBits(dense.gradientSum(), sparse.gradientSum(), what);
          assertEquals(Double.doubleToRawLongBits(dense.lossSum()),
              Double.doubleToRawLongBits(sparse.lossSum()), what + ": loss");
          assertEquals(dense.rows(), sparse.rows(), what);
          if (expectSparse) {
            assertFalse(kinds.contains(false), what + ": every partial sum sparse " + kinds);
          }
        }
      }
    }
  }

  @Test
  void npmPopularWindowsSumTheSameBitsSparselyAsDensely() {
    long rows = 226_974;
    // 1 % and 0.1 % steps (sparse throughout), and the full batch (dense soon).
    assertWindowsAgree(npm, new LogisticLoss(), new long[] {rows / 100, rows / 1000},
        new long[] {0, 1, 57}, true);
    assertWindowsAgree(npm, new LogisticLoss(), new long[] {rows}, new long[] {0}, false);
    assertWindowsAgree(npm, new SquaredLoss(), new long[] {rows / 100}, new long[] {3}, true);
    assertWindowsAgree(asClasses(npm), new SoftmaxLoss(2), new long[] {rows / 100}, new long[] {5}, true);
  }

  @Test
  void a9aWindowsSumTheSameBitsSparselyAsDensely() {
    // 124 parameters: a few rows stay sparse, a 1 % window turns dense within its first rows.
    assertWindowsAgree(a9a, new LogisticLoss(), new long[] {4, 32, 325, 32_561},
        new long[] {0, 1, 9}, false);
    assertWindowsAgree(a9a, new HingeLoss(), new long[] {325}, new long[] {2}, false);
    assertWindowsAgree(asClasses(a9a), new SoftmaxLoss(2), new long[] {8, 325}, new long[] {4}, false);
  }

  @Test
  void aOnePercentNpmStepShipsWhatItTouches() {
    double[] params = randomParams((1 << 20) + 1, 3);
    List<Boolean> kinds = new ArrayList<>();
    GradientAccumulator sum = step(npm, new LogisticLoss(), true, params, 2269, 0, true, kinds);
    assertTrue(sum.isSparse());
    // 2,269 rows of about 18 features touch a few thousand of the 2^20 coordinates.
    assertTrue(sum.storedCoordinates() < 30_000, sum.storedCoordinates() + " coordinates");
  }

  @Test
  void sparseAndDensePartialsMergeEitherWayRound() throws Exception {
    int d = 1 << 20;
    int p = d + 1;
    Loss loss = new LogisticLoss();
    double[] params = randomParams(p, 5);
    DataBlock block = npm.get(0).get(0);
    // Each partial sums its own rows; the reference sums them all densely in the same order.
    int[][] ranges = {{0, 300}, {300, 700}, {700, 1200}};
    boolean[][] kinds = {{true, true, true}, {true, false, true}, {false, true, false},
        {false, false, true}};
    GradientAccumulator reference = null;
    for (int[] r : ranges) {
      GradientAccumulator a = GradientAccumulator.alwaysDense(p);
      a.add(block, r[0], r[1], loss, params, true);
      reference = reference == null ? a : reference.merge(a);
    }
    for (boolean[] sparseKinds : kinds) {
      GradientAccumulator merged = null;
      for (int i = 0; i < ranges.length; i++) {
        GradientAccumulator a = sparseKinds[i] ? new GradientAccumulator(p, true)
            : GradientAccumulator.alwaysDense(p);
        a.add(block, ranges[i][0], ranges[i][1], loss, params, true);
        assertEquals(sparseKinds[i], a.isSparse());
        merged = merged == null ? a : merged.merge(a);
      }
      String what = java.util.Arrays.toString(sparseKinds);
      assertSameBits(reference.gradientSum(), merged.gradientSum(), what);
      assertEquals(reference.rows(), merged.rows());
      assertEquals(sparseKinds[0] && sparseKinds[1] && sparseKinds[2], merged.isSparse(), what);
    }
  }

  @Test
  void mergeWithAnEmptySideKeepsTheSparseSum() {
    int p = (1 << 20) + 1;
    double[] params = randomParams(p, 6);
    DataBlock block = npm.get(1).get(0);
    GradientAccumulator a = new GradientAccumulator(p, true);
    a.add(block, 10, 60, new LogisticLoss(), params, true);
    double[] expected = a.gradientSum();
    int stored = a.storedCoordinates();

    a.merge(new GradientAccumulator(p, true));
    assertTrue(a.isSparse());
    assertSameBits(expected, a.gradientSum(), "sparse + empty");

    GradientAccumulator empty = new GradientAccumulator(p, true);
    empty.merge(a);
    assertTrue(empty.isSparse());
    assertEquals(stored, empty.storedCoordinates());
    assertSameBits(expected, empty.gradientSum(), "empty + sparse");
    // The merge copied: adding to the result leaves the merged side alone.
    empty.add(block, 60, 70, new LogisticLoss(), params, true);
    assertSameBits(expected, a.gradientSum(), "merged side after the result moved on");
  }

  @Test
  void aDenseBlockTurnsASparseSumDense() {
    LossGradientTest.Data data = LossGradientTest.randomData(11, false, false);
    int p = data.dense.numFeatures() + 1;
    double[] params = randomParams(p, 8);
    GradientAccumulator mixed = new GradientAccumulator(p, true);
    mixed.add(data.sparse, 0, 3, new SquaredLoss(), params, true);
    mixed.add(data.dense, 3, 7, new SquaredLoss(), params, true);
    assertFalse(mixed.isSparse());
    GradientAccumulator reference = GradientAccumulator.alwaysDense(p);
    reference.add(data.sparse, 0, 3, new SquaredLoss(), params, true);
    reference.add(data.dense, 3, 7, new SquaredLoss(), params, true);
    assertSameBits(reference.gradientSum(), mixed.gradientSum(), "sparse rows, then dense");
  }

  @Test
  void mergeChecksTheDimension() {
    int p = (1 << 20) + 1;
    DataBlock block = npm.get(0).get(0);
    GradientAccumulator a = new GradientAccumulator(p, true);
    a.add(block, 0, 10, new LogisticLoss(), randomParams(p, 1), true);
    GradientAccumulator b = new GradientAccumulator(p - 1, true);
    b.add(block, 0, 10, new LogisticLoss(), randomParams(p - 1, 1), false);
    assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertThrows(IllegalArgumentException.class, () -> b.merge(a));
  }

  @Test
  void javaSerializedSizeFollowsTheTouchedCoordinates() throws Exception {
    int p = (1 << 20) + 1;
    double[] params = randomParams(p, 9);
    DataBlock block = npm.get(2).get(0);
    long[] sizes = new long[3];
    int[] stored = new int[3];
    int[] rows = {0, 100, 1000};
    for (int i = 0; i < rows.length; i++) {
      GradientAccumulator a = new GradientAccumulator(p, true);
      a.add(block, 0, Math.max(1, rows[i]), new LogisticLoss(), params, true);
      if (rows[i] == 0) {
        a = new GradientAccumulator(p, true);
      }
      stored[i] = a.storedCoordinates();
      sizes[i] = SparseSumTest.javaBytes(a).length;
      GradientAccumulator back = SparseSumTest.javaRoundTrip(a);
      assertSameBits(a.gradientSum(), back.gradientSum(), "round trip of " + rows[i] + " rows");
      assertEquals(a.isSparse(), back.isSparse());
    }
    assertTrue(stored[2] > stored[1] && stored[1] > 0);
    for (int i = 1; i < rows.length; i++) {
      // 12 bytes an entry, plus the stream's block headers and the sum's class description.
      long extra = sizes[i] - sizes[0];
      assertTrue(extra >= 12L * stored[i] && extra <= 12.2 * stored[i] + 200,
          stored[i] + " coordinates took " + (sizes[i] - sizes[0]) + " bytes");
    }
    assertTrue(sizes[2] < 8L * p / 10, "far below the dense array's " + 8L * p + " bytes");
  }
}
