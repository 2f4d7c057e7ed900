package descent.benchmarks;

import descent.core.Blockifier;
import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LogisticLoss;
import descent.core.MarginLoss;
import descent.core.PlainPass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense logistic gradient against the memory floor without Spark: each thread streams its own
 * rows, cut into blocks as {@link Blockifier} cuts a partition, and every pass is timed in turn,
 * round-robin, in one JVM, so that the machine's drift lands on all of them alike. It prints the
 * median of each pass and its ratio to the floor.
 *
 * <p>Why beside {@code bench}: bench's ratios include Spark's cost of a job (6–10 ms a step here),
 * and a JVM with Spark takes minutes to start and warm. This one takes half a minute, so a kernel
 * change can be tried in several JVMs (the ratio moves from JVM to JVM: run it three or more
 * times). The diagnostic passes say where a step's time goes (their figures are in docs/benchmarks.md):
 *
 * <ul>
 *   <li>{@code floor}: one plain read of every value and label, as bench's floor;
 *   <li>{@code gradient}: {@link GradientAccumulator#add} over every block, as a task;
 *   <li>{@code margins}: the memory-facing half alone, {@link MarginLoss#margins} in chunks;
 *   <li>{@code reread}: the floor's read, plus every row read again 64 rows later, from cache,
 *       with no arithmetic: what extra loads alone cost the stream;
 *   <li>{@code chain}: the floor's read, plus 40 dependent fused multiply-adds a row in registers:
 *       what arithmetic without loads costs it.
 * </ul>
 *
 * <p>Run after {@code mvn -B -q -Pjmh -pl benchmarks -am package -DskipTests}:
 * {@code java --add-modules=jdk.incubator.vector -Xmx4g -cp benchmarks/target/benchmarks.jar
 * descent.benchmarks.StreamHarness [rowsPerThread] [features] [threads] [rounds] [passes]}
 * (defaults 500000, 100, 2, 11 and all passes: 1M × 100 on two threads, as bench's table;
 * {@code passes} is a comma list such as {@code gradient}, the floor always runs). To see what
 * the JIT made of the kernels, add {@code -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation
 * -XX:LogFile=FILE}: a C2 task of {@code LogisticSimd lossAndMultipliers} with an
 * {@code observe trap='class_check'} total above 100 is the slow mode {@code SimdWarmup} prevents.
 */
public final class StreamHarness {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_MAX;
  /** Rows of a chunk in the {@code margins} pass and rows back in the {@code reread} pass. */
  private static final int CHUNK = 64;
  /** Dependent fused multiply-adds a row in the {@code chain} pass. */
  private static final int CHAIN = 40;
  /** Rows of the in-cache block: 256 KB at 100 features. */
  private static final int CACHE_ROWS = 320;
  private static volatile double sink;

  private StreamHarness() {}

  /** One pass over one thread's blocks; returns something that depends on every read. */
  private interface Pass {
    double run(List<DataBlock> blocks);
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 11;
    List<String> only = args.length > 4 ? Arrays.asList(args[4].split(",")) : null;
    if (rows < 2 * CHUNK || d < 1 || threads < 1 || rounds < 1) {
      throw new IllegalArgumentException("expected rowsPerThread >= " + 2 * CHUNK
          + ", features >= 1, threads >= 1, rounds >= 1");
    }
    SplittableRandom random = new SplittableRandom(42);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = 0.01 * random.nextGaussian();
    }
    List<List<DataBlock>> data = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      data.add(blocks(random, t, rows, d));
    }
    LogisticLoss loss = new LogisticLoss();
    String[] names = {"floor", "gradient", "margins", "reread", "chain"};
    Pass[] passes = {
        StreamHarness::floorPass,
        blocks -> {
          GradientAccumulator acc = new GradientAccumulator(d, true);
          for (DataBlock b : blocks) {
            acc.add(b, 0, b.numRows(), loss, w, false);
          }
          return acc.lossSum();
        },
        blocks -> {
          double[] margins = new double[CHUNK];
          double s = 0;
          for (DataBlock b : blocks) {
            for (int from = 0; from < b.numRows(); from += CHUNK) {
              int n = Math.min(CHUNK, b.numRows() - from);
              MarginLoss.margins(b, from, n, w, false, margins);
              s += margins[0];
            }
          }
          return s;
        },
        blocks -> {
          double s = 0;
          for (DataBlock b : blocks) {
            s += reread(b.values(), b.numRows(), d) + PlainPass.sum(b.labels());
          }
          return s;
        },
        blocks -> {
          double s = 0;
          for (DataBlock b : blocks) {
            s += chain(b.values(), b.numRows(), d) + PlainPass.sum(b.labels());
          }
          return s;
        }};

    ExecutorService pool = daemonPool(threads);
    boolean[] timed = new boolean[passes.length];
    for (int p = 0; p < passes.length; p++) {
      timed[p] = p == 0 || only == null || only.contains(names[p]);
    }
    int warmup = 10;
    double[][] millis = new double[passes.length][rounds];
    for (int round = -warmup; round < rounds; round++) {
      for (int p = 0; p < passes.length; p++) {
        if (!timed[p]) {
          continue;
        }
        long start = System.nanoTime();
        List<Future<Double>> tasks = new ArrayList<>();
        Pass pass = passes[p];
        for (List<DataBlock> blocks : data) {
          tasks.add(pool.submit(() -> pass.run(blocks)));
        }
        for (Future<Double> task : tasks) {
          sink += task.get();
        }
        if (round >= 0) {
          millis[p][round] = (System.nanoTime() - start) / 1e6;
        }
      }
    }

    System.out.printf(Locale.ROOT, "StreamHarness: %d threads x %d rows x %d features (%d blocks"
        + " a thread), median of %d rounds after %d, Java %s, %d double lanes%n", threads, rows,
        d, data.get(0).size(), rounds, warmup, System.getProperty("java.version"),
        SPECIES.length());
    double floor = median(millis[0]);
    for (int p = 0; p < passes.length; p++) {
      if (!timed[p]) {
        continue;
      }
      double m = median(millis[p]);
      System.out.printf(Locale.ROOT, "%-9s %8.1f ms  %5.2f x floor%n", names[p], m, m / floor);
    }
    inCache(random, d, w, loss);
  }

  /**
   * The gradient and the floor over one small block read again and again, one thread: the
   * compute a row costs when nothing waits for memory, in nanoseconds a row.
   */
  private static void inCache(SplittableRandom random, int d, double[] w, LogisticLoss loss) {
    DataBlock block = blocks(random, 0, CACHE_ROWS, d).get(0);
    int repeats = 2000;
    double[] gradient = new double[9];
    double[] floor = new double[9];
    for (int round = -5; round < 9; round++) {
      long start = System.nanoTime();
      GradientAccumulator acc = new GradientAccumulator(d, true);
      for (int r = 0; r < repeats; r++) {
        acc.add(block, 0, CACHE_ROWS, loss, w, false);
      }
      long mid = System.nanoTime();
      double s = 0;
      for (int r = 0; r < repeats; r++) {
        s += PlainPass.sum(block.values()) + PlainPass.sum(block.labels());
      }
      long end = System.nanoTime();
      sink += acc.lossSum() + s;
      if (round >= 0) {
        gradient[round] = (mid - start) / (double) (repeats * CACHE_ROWS);
        floor[round] = (end - mid) / (double) (repeats * CACHE_ROWS);
      }
    }
    System.out.printf(Locale.ROOT, "in cache (one thread, %d rows): gradient %.1f ns a row, floor"
        + " %.1f ns a row%n", CACHE_ROWS, median(gradient), median(floor));
  }

  /** Blocks of {@code rows} standard normal rows with ±1 labels, cut as Blockifier cuts them. */
  static List<DataBlock> blocks(SplittableRandom random, int partition, int rows, int d) {
    int perBlock = Math.max(1, Blockifier.MAX_BLOCK_VALUES / d);
    List<DataBlock> blocks = new ArrayList<>();
    for (int first = 0; first < rows; first += perBlock) {
      int m = Math.min(perBlock, rows - first);
      double[] labels = new double[m];
      double[] values = new double[m * d];
      for (int i = 0; i < m; i++) {
        labels[i] = random.nextBoolean() ? 1.0 : -1.0;
      }
      for (int k = 0; k < values.length; k++) {
        values[k] = random.nextGaussian();
      }
      blocks.add(DataBlock.dense(partition, first, d, labels, null, values));
    }
    return blocks;
  }

  /** The rows summed front to back on lanes, each row summed again {@link #CHUNK} rows later. */
  private static double reread(double[] x, int n, int d) {
    DoubleVector now = DoubleVector.zero(SPECIES);
    DoubleVector again = DoubleVector.zero(SPECIES);
    for (int i = 0; i < n; i++) {
      now = now.add(rowSum(x, i * d, d));
      if (i >= CHUNK) {
        again = again.add(rowSum(x, (i - CHUNK) * d, d));
      }
    }
    for (int i = Math.max(0, n - CHUNK); i < n; i++) {
      again = again.add(rowSum(x, i * d, d));
    }
    return now.add(again).reduceLanes(VectorOperators.ADD);
  }

  /** The rows summed front to back on lanes, and {@link #CHAIN} dependent FMAs a row. */
  private static double chain(double[] x, int n, int d) {
    DoubleVector sum = DoubleVector.zero(SPECIES);
    double c = 1.0;
    for (int i = 0; i < n; i++) {
      sum = sum.add(rowSum(x, i * d, d));
      for (int k = 0; k < CHAIN; k++) {
        c = Math.fma(c, 0.999999, 1e-9);
      }
    }
    return sum.reduceLanes(VectorOperators.ADD) + c;
  }

  /** The lanes of one row's sum, four accumulators as the floor's. */
  private static DoubleVector rowSum(double[] x, int row, int d) {
    int lanes = SPECIES.length();
    int whole = SPECIES.loopBound(d);
    int unrolled = whole - whole % (4 * lanes);
    DoubleVector a0 = DoubleVector.zero(SPECIES);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int j = 0;
    for (; j < unrolled; j += 4 * lanes) {
      a0 = a0.add(DoubleVector.fromArray(SPECIES, x, row + j));
      a1 = a1.add(DoubleVector.fromArray(SPECIES, x, row + j + lanes));
      a2 = a2.add(DoubleVector.fromArray(SPECIES, x, row + j + 2 * lanes));
      a3 = a3.add(DoubleVector.fromArray(SPECIES, x, row + j + 3 * lanes));
    }
    for (; j < whole; j += lanes) {
      a0 = a0.add(DoubleVector.fromArray(SPECIES, x, row + j));
    }
    DoubleVector s = a0.add(a1).add(a2.add(a3));
    double tail = 0;
    for (; j < d; j++) {
      tail += x[row + j];
    }
    return j < d ? s.add(tail / lanes) : s;
  }

  /** The floor's pass: one plain read of every value and label of the blocks, as bench's. */
  static double floorPass(List<DataBlock> blocks) {
    double s = 0;
    for (DataBlock b : blocks) {
      s += PlainPass.sum(b.values()) + PlainPass.sum(b.labels());
    }
    return s;
  }

  /** {@code threads} worker threads that do not keep the JVM alive. */
  static ExecutorService daemonPool(int threads) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r);
      thread.setDaemon(true);
      return thread;
    });
  }

  static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
  }
}
