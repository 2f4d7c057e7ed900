package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MiniBatchPlanTest {

  static final long[][] LAYOUTS = {{5, 7, 11}, {7}, {5, 0, 7, 11}, {1, 1, 1}, {3, 20}};

  static Stream<Arguments> layoutsAndBatches() {
    List<Arguments> out = new ArrayList<>();
    for (long[] sizes : LAYOUTS) {
      long n = LongStream.of(sizes).sum();
      for (long b = 1; b <= n; b++) {
        out.add(Arguments.of(sizes, b));
      }
    }
    return out.stream();
  }

  static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** How often each row of each partition is read over steps [0, steps). */
  static long[][] readCounts(MiniBatchPlan plan, long steps) {
    long[][] counts = new long[plan.numPartitions()][];
    for (int p = 0; p < plan.numPartitions(); p++) {
      long n = plan.partitionRows(p);
      counts[p] = new long[(int) n];
      for (long t = 0; t < steps; t++) {
        long start = plan.windowStart(p, t);
        long size = plan.windowSize(p, t);
        assertTrue(size >= 0 && size <= n, "window size " + size + " of partition " + p);
        assertTrue(n == 0 || (start >= 0 && start < n), "window start " + start);
        for (long k = 0; k < size; k++) {
          counts[p][(int) ((start + k) % n)]++;
        }
      }
    }
    return counts;
  }

  static void assertEveryRowReadTimes(long[][] counts, long times, String what) {
    for (int p = 0; p < counts.length; p++) {
      for (int r = 0; r < counts[p].length; r++) {
        assertEquals(times, counts[p][r], what + ": partition " + p + " row " + r);
      }
    }
  }

  @ParameterizedTest(name = "sizes={0} B={1}")
  @MethodSource("layoutsAndBatches")
  void wholeEpochsReadEveryRowEqually(long[] sizes, long batch) {
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    long n = plan.totalRows();
    assertEquals(LongStream.of(sizes).sum(), n);
    // After T = N / gcd(N, B) steps exactly T·B = (B / gcd)·N rows have been taken: whole epochs.
    long g = gcd(n, batch);
    long steps = n / g;
    long epochs = batch / g;
    assertEquals(epochs, plan.epoch(steps), 1e-12);
    assertEveryRowReadTimes(readCounts(plan, steps), epochs, "after " + steps + " steps");
    // N steps are B epochs.
    assertEveryRowReadTimes(readCounts(plan, n), batch, "after N steps");
    // The same holds for whole epochs that do not start at step 0.
    long[][] later = new long[plan.numPartitions()][];
    for (int p = 0; p < plan.numPartitions(); p++) {
      later[p] = new long[(int) plan.partitionRows(p)];
      for (long t = 3 * steps; t < 4 * steps; t++) {
        long start = plan.windowStart(p, t);
        for (long k = 0; k < plan.windowSize(p, t); k++) {
          later[p][(int) ((start + k) % later[p].length)]++;
        }
      }
    }
    assertEveryRowReadTimes(later, epochs, "steps [3T, 4T)");
  }

  @ParameterizedTest(name = "sizes={0} B={1}")
  @MethodSource("layoutsAndBatches")
  void consecutiveWindowsTileEachPartition(long[] sizes, long batch) {
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    for (int p = 0; p < sizes.length; p++) {
      long n = sizes[p];
      assertEquals(0, plan.windowStart(p, 0), "step 0 starts at the first row");
      for (long t = 0; t < 2 * plan.totalRows(); t++) {
        if (n == 0) {
          assertEquals(0, plan.windowSize(p, t), "an empty partition reads nothing");
          continue;
        }
        long next = (plan.windowStart(p, t) + plan.windowSize(p, t)) % n;
        assertEquals(next, plan.windowStart(p, t + 1), "step " + (t + 1) + " continues step " + t);
      }
    }
  }

  @ParameterizedTest(name = "sizes={0} B={1}")
  @MethodSource("layoutsAndBatches")
  void everyStepReadsExactlyBRows(long[] sizes, long batch) {
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    long n = plan.totalRows();
    for (long t = 0; t < n; t++) {
      long sum = 0;
      for (int p = 0; p < plan.numPartitions(); p++) {
        sum += plan.windowSize(p, t);
      }
      assertEquals(sum, plan.stepRows(t), "stepRows is the sum of the windows");
      assertEquals(batch, sum, "step " + t);
    }
  }

  /** The global sequence written out: partitions taken round-robin, row by row. */
  static int[] roundRobinOwners(long[] sizes) {
    List<Integer> owners = new ArrayList<>();
    long max = LongStream.of(sizes).max().orElse(0);
    for (long r = 0; r < max; r++) {
      for (int p = 0; p < sizes.length; p++) {
        if (sizes[p] > r) {
          owners.add(p);
        }
      }
    }
    return owners.stream().mapToInt(Integer::intValue).toArray();
  }

  @ParameterizedTest(name = "sizes={0} B={1}")
  @MethodSource("layoutsAndBatches")
  void cumulativeCountsMatchTheRoundRobinSequence(long[] sizes, long batch) {
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    int[] owners = roundRobinOwners(sizes);
    long n = plan.totalRows();
    long[] counted = new long[sizes.length];
    for (long g = 0; g <= 2 * n; g++) {
      for (int p = 0; p < sizes.length; p++) {
        assertEquals(counted[p], plan.cumulative(p, g), "Q_" + p + "(" + g + ")");
      }
      counted[owners[(int) (g % n)]]++;
    }
  }

  @Test
  void equalPartitionsShareEachBatchEvenly() {
    MiniBatchPlan plan = new MiniBatchPlan(new long[] {100, 100, 100, 100}, 10);
    for (long t = 0; t < 40; t++) {
      for (int p = 0; p < 4; p++) {
        long size = plan.windowSize(p, t);
        assertTrue(size == 2 || size == 3, "step " + t + " partition " + p + ": " + size);
      }
    }
    MiniBatchPlan stochastic = new MiniBatchPlan(new long[] {3, 3}, 1);
    for (long t = 0; t < 6; t++) {
      assertEquals(1, stochastic.stepRows(t));
      assertEquals(1, stochastic.windowSize((int) (t % 2), t), "partitions take turns");
    }
  }

  @Test
  void fullBatchReadsEveryRowEveryStep() {
    for (long[] sizes : LAYOUTS) {
      long n = LongStream.of(sizes).sum();
      MiniBatchPlan plan = new MiniBatchPlan(sizes, n);
      assertTrue(plan.isFullBatch());
      for (long t = 0; t < 10; t++) {
        assertEquals(n, plan.stepRows(t));
        assertEquals(t, plan.epoch(t), 0.0);
        for (int p = 0; p < sizes.length; p++) {
          assertEquals(0, plan.windowStart(p, t));
          assertEquals(sizes[p], plan.windowSize(p, t));
          int blockRows = (int) sizes[p];
          List<int[]> ranges = new ArrayList<>();
          plan.forEachRange(p, t, 0, blockRows, (from, to) -> ranges.add(new int[] {from, to}));
          if (blockRows == 0) {
            assertTrue(ranges.isEmpty());
          } else {
            assertEquals(1, ranges.size());
            assertArrayEquals(new int[] {0, blockRows}, ranges.get(0));
          }
        }
      }
      assertFalse(new MiniBatchPlan(sizes, n - 1).isFullBatch());
    }
  }

  @Test
  void windowsArePureFunctionsOfStepSizesAndBatch() throws Exception {
    long[] sizes = {5, 7, 11};
    MiniBatchPlan a = new MiniBatchPlan(sizes, 6);
    MiniBatchPlan b = new MiniBatchPlan(sizes.clone(), 6);
    // A recomputed task may ask for any step in any order, on a copy shipped to an executor.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    MiniBatchPlan c;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      c = (MiniBatchPlan) in.readObject();
    }
    long[] steps = {1_000_000, 3, 0, 17, 3, 1_000_000, 2};
    for (long t : steps) {
      for (int p = 0; p < sizes.length; p++) {
        long start = a.windowStart(p, t);
        long size = a.windowSize(p, t);
        assertEquals(start, a.windowStart(p, t), "same answer twice");
        assertEquals(size, a.windowSize(p, t), "same answer twice");
        assertEquals(start, b.windowStart(p, t), "same answer from another instance");
        assertEquals(size, b.windowSize(p, t), "same answer from another instance");
        assertEquals(start, c.windowStart(p, t), "same answer after serialization");
        assertEquals(size, c.windowSize(p, t), "same answer after serialization");
      }
    }
    // The plan copies the sizes it is given.
    long[] mutable = {5, 7, 11};
    MiniBatchPlan d = new MiniBatchPlan(mutable, 6);
    mutable[0] = 1000;
    assertEquals(5, d.partitionRows(0));
    assertEquals(23, d.totalRows());
  }

  @Test
  void wrappingWindowSplitsIntoBlockLocalRanges() {
    // One partition of 7 rows, B = 5: step 1 takes global rows [5, 10), i.e. partition rows
    // 5, 6, 0, 1, 2. Blocks [0,4) and [4,7): the first gets its rows 0..2, the second its rows
    // 1..2 (partition rows 5, 6).
    MiniBatchPlan plan = new MiniBatchPlan(new long[] {7}, 5);
    assertEquals(5, plan.windowStart(0, 1));
    assertEquals(5, plan.windowSize(0, 1));
    List<int[]> first = new ArrayList<>();
    plan.forEachRange(0, 1, 0, 4, (from, to) -> first.add(new int[] {from, to}));
    List<int[]> second = new ArrayList<>();
    plan.forEachRange(0, 1, 4, 3, (from, to) -> second.add(new int[] {from, to}));
    assertEquals(1, first.size());
    assertArrayEquals(new int[] {0, 3}, first.get(0));
    assertEquals(1, second.size());
    assertArrayEquals(new int[] {1, 3}, second.get(0));

    // A single block holding the whole partition gets both pieces of the wrapped window.
    List<int[]> whole = new ArrayList<>();
    plan.forEachRange(0, 1, 0, 7, (from, to) -> whole.add(new int[] {from, to}));
    assertEquals(2, whole.size());
    assertArrayEquals(new int[] {5, 7}, whole.get(0));
    assertArrayEquals(new int[] {0, 3}, whole.get(1));
  }

  /** Block boundaries used to split each partition, as offsets of the blocks' first rows. */
  static List<int[]> blockSplits(int n) {
    List<int[]> splits = new ArrayList<>();
    splits.add(new int[] {0});
    if (n > 1) {
      splits.add(new int[] {0, n / 2});
      List<Integer> each = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        each.add(i);
      }
      splits.add(each.stream().mapToInt(Integer::intValue).toArray());
    }
    if (n > 4) {
      splits.add(new int[] {0, 1, 4, n - 1});
    }
    return splits;
  }

  @ParameterizedTest(name = "sizes={0} B={1}")
  @MethodSource("layoutsAndBatches")
  void forEachRangeCoversExactlyTheWindow(long[] sizes, long batch) {
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    for (int p = 0; p < sizes.length; p++) {
      int n = (int) sizes[p];
      for (int[] firsts : blockSplits(n)) {
        for (long t = 0; t < plan.totalRows() + 2; t++) {
          // The window as a set of partition rows, from windowStart/windowSize.
          int[] expected = new int[n];
          long start = plan.windowStart(p, t);
          for (long k = 0; k < plan.windowSize(p, t); k++) {
            expected[(int) ((start + k) % n)]++;
          }
          int[] seen = new int[n];
          for (int b = 0; b < firsts.length; b++) {
            int blockFirst = firsts[b];
            int blockRows = (b + 1 < firsts.length ? firsts[b + 1] : n) - blockFirst;
            plan.forEachRange(p, t, blockFirst, blockRows, (from, to) -> {
              assertTrue(0 <= from && from < to && to <= blockRows,
                  "range [" + from + "," + to + ") of a block of " + blockRows + " rows");
              for (int r = from; r < to; r++) {
                seen[blockFirst + r]++;
              }
            });
          }
          assertArrayEquals(expected, seen, "partition " + p + " step " + t);
        }
      }
    }
  }

  @Test
  void constructorRejectsImpossiblePlans() {
    long[] sizes = {5, 7, 11};
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(sizes, 0));
    assertTrue(zero.getMessage().contains("batch size 0"), zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(sizes, -1));
    IllegalArgumentException big =
        assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(sizes, 24));
    assertTrue(big.getMessage().contains("23"), big.getMessage());
    new MiniBatchPlan(sizes, 23);
    new MiniBatchPlan(sizes, 1);
    assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(new long[] {0, 0}, 1));
    assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(new long[0], 1));
    assertThrows(IllegalArgumentException.class, () -> new MiniBatchPlan(new long[] {5, -1}, 1));
  }

  @Test
  void hugePartitionsStillGiveExactBatchesAndContiguousWindows() {
    long[] sizes = {4_000_000_000_000L, 6_000_000_000_000L, 3};
    long batch = 1_000_003;
    MiniBatchPlan plan = new MiniBatchPlan(sizes, batch);
    long total = LongStream.of(sizes).sum();
    for (long g : new long[] {0, 1, 2, 3, 9, 10, total - 1, total, total + 7_777_777_777_777L}) {
      long sum = 0;
      for (int p = 0; p < sizes.length; p++) {
        sum += plan.cumulative(p, g);
      }
      assertEquals(g, sum, "Σ_p Q_p(" + g + ")");
    }
    // After the first round the 3-row partition is done; rounds 1..2 give 2 rows each.
    assertEquals(3, plan.cumulative(2, 9));
    assertEquals(3, plan.cumulative(0, 8));
    long step = 5_000_000L;
    for (long t = step; t < step + 5; t++) {
      assertEquals(batch, plan.stepRows(t), "step " + t);
      for (int p = 0; p < sizes.length; p++) {
        assertEquals((plan.windowStart(p, t) + plan.windowSize(p, t)) % sizes[p],
            plan.windowStart(p, t + 1));
      }
    }
  }
}
