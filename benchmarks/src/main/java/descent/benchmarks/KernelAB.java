package descent.benchmarks;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LogisticLoss;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Two builds of worker-core's dense logistic gradient timed against each other in one JVM: this
 * build's, and another's loaded from its worker-core jar by a class loader of its own, both over
 * the same arrays (cut into blocks as {@link StreamHarness}'s), in turn, the order swapped every
 * round, with the memory floor between them. It prints the median of each, their ratios to the
 * floor, {@code this / other}, and whether the two gradients have the same bits.
 *
 * <p>Why: this machine's speed drifts by tens of per cent within minutes (the floor's pass took
 * 30–52 ms within one hour), so a kernel change timed in one JVM and the old kernel in
 * the next, or a copy of the kernel in a harness against the one in worker-core, can show a gain
 * that is not there. One loop measured 6 % faster as a copy in a harness, and 1 % faster
 * (0.94–1.01 ×, 9 JVMs) here, against the build it was to replace; at 20 features it was 4–8 %
 * slower. The same build on both sides (A/A, the defaults) read 1.003, 1.024 and 1.014: a
 * difference within about 2.5 % is noise (more with fewer rows or rounds: 1.075 at 200,000 rows
 * and 5 rounds). Run it in three or more JVMs.
 *
 * <p>Build the other side from a commit: {@code git worktree add /tmp/other REV && (cd /tmp/other
 * && mvn -o -q package -pl worker-core -DskipTests)}; then, after
 * {@code mvn -B -q -Pjmh -pl benchmarks -am package -DskipTests}: {@code java
 * --add-modules=jdk.incubator.vector -Xmx6g -cp benchmarks/target/benchmarks.jar
 * descent.benchmarks.KernelAB /tmp/other/worker-core/target/descent-worker-core-0.1.0-SNAPSHOT.jar
 * [rowsPerThread] [features] [threads] [rounds]} (defaults 500000, 100, 2, 9: bench's 1M × 100 on
 * two threads); {@code git worktree remove /tmp/other} after. The other build must have this
 * build's {@code DataBlock.dense}, {@code GradientAccumulator} and {@code LogisticLoss}
 * signatures; a build without them cannot be loaded.
 */
public final class KernelAB {
  private static volatile double sink;

  private KernelAB() {}

  /** One thread's pass over its blocks. */
  private interface Pass {
    double run(int thread) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: KernelAB OTHER_WORKER_CORE_JAR [rowsPerThread]"
          + " [features] [threads] [rounds]");
    }
    File otherJar = new File(args[0]);
    if (!otherJar.isFile()) {
      throw new IllegalArgumentException("no such jar: " + otherJar);
    }
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
    int d = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 9;
    if (rows < 1 || d < 1 || threads < 1 || rounds < 1) {
      throw new IllegalArgumentException("expected rowsPerThread, features, threads and rounds"
          + " of at least 1");
    }

    // The other build's classes first; the rest (netlib, the Vector API's module) as this jar's.
    URL self = KernelAB.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader loader = new URLClassLoader(new URL[] {otherJar.toURI().toURL(), self},
        ClassLoader.getPlatformClassLoader());
    Class<?> otherBlock = loader.loadClass("descent.core.DataBlock");
    Class<?> otherAccumulator = loader.loadClass("descent.core.GradientAccumulator");
    Class<?> otherLossType = loader.loadClass("descent.core.Loss");
    Object otherLoss = loader.loadClass("descent.core.LogisticLoss").getConstructor()
        .newInstance();
    Method dense = otherBlock.getMethod("dense", int.class, int.class, int.class, double[].class,
        double[].class, double[].class);
    Method numRows = otherBlock.getMethod("numRows");
    Constructor<?> newAccumulator = otherAccumulator.getConstructor(int.class, boolean.class);
    Method add = otherAccumulator.getMethod("add", otherBlock, int.class, int.class,
        otherLossType, double[].class, boolean.class);
    Method gradientSum = otherAccumulator.getMethod("gradientSum");
    Method lossSum = otherAccumulator.getMethod("lossSum");

    SplittableRandom random = new SplittableRandom(42);
    double[] w = new double[d];
    for (int j = 0; j < d; j++) {
      w[j] = 0.01 * random.nextGaussian();
    }
    List<List<DataBlock>> mine = new ArrayList<>();
    List<List<Object>> theirs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<DataBlock> blocks = StreamHarness.blocks(random, t, rows, d);
      List<Object> same = new ArrayList<>();
      for (DataBlock b : blocks) {
        same.add(dense.invoke(null, b.partition(), b.firstRow(), d, b.labels(), null,
            b.values()));
      }
      mine.add(blocks);
      theirs.add(same);
    }

    LogisticLoss loss = new LogisticLoss();
    Pass floor = t -> StreamHarness.floorPass(mine.get(t));
    double[][] lastGradient = new double[2][];
    Pass thisBuild = t -> {
      GradientAccumulator acc = new GradientAccumulator(d, true);
      for (DataBlock b : mine.get(t)) {
        acc.add(b, 0, b.numRows(), loss, w, false);
      }
      if (t == 0) {
        lastGradient[0] = acc.gradientSum();
      }
      return acc.lossSum();
    };
    Pass otherBuild = t -> {
      Object acc = newAccumulator.newInstance(d, true);
      for (Object b : theirs.get(t)) {
        add.invoke(acc, b, 0, numRows.invoke(b), otherLoss, w, false);
      }
      if (t == 0) {
        lastGradient[1] = (double[]) gradientSum.invoke(acc);
      }
      return (Double) lossSum.invoke(acc);
    };

    ExecutorService pool = StreamHarness.daemonPool(threads);
    int warmup = 8;
    double[][] millis = new double[3][rounds];
    for (int round = -warmup; round < rounds; round++) {
      // Floor, then the two builds in an order that swaps every round.
      int[] order = (round & 1) == 0 ? new int[] {0, 1, 2} : new int[] {0, 2, 1};
      for (int p : order) {
        Pass pass = p == 0 ? floor : p == 1 ? otherBuild : thisBuild;
        long start = System.nanoTime();
        List<Future<Double>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          tasks.add(pool.submit((Callable<Double>) () -> pass.run(thread)));
        }
        for (Future<Double> task : tasks) {
          sink += task.get();
        }
        if (round >= 0) {
          millis[p][round] = (System.nanoTime() - start) / 1e6;
        }
      }
    }

    double floorMs = StreamHarness.median(millis[0]);
    double otherMs = StreamHarness.median(millis[1]);
    double thisMs = StreamHarness.median(millis[2]);
    System.out.printf(Locale.ROOT, "KernelAB: %d threads x %d rows x %d features, median of %d"
        + " rounds after %d, Java %s; other build %s%n", threads, rows, d, rounds, warmup,
        System.getProperty("java.version"), otherJar);
    System.out.printf(Locale.ROOT, "floor %.1f ms, other %.1f ms (%.3f x floor), this %.1f ms"
        + " (%.3f x floor), this / other %.3f, same gradient bits: %b%n", floorMs, otherMs,
        otherMs / floorMs, thisMs, thisMs / floorMs, thisMs / otherMs,
        Arrays.equals(lastGradient[0], lastGradient[1]));
  }
}
