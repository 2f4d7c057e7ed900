package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.MiniBatchPlan;
import descent.driver.BatchObjective;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;

/**
 * What runs before anything is timed, so that every timing sees the JVM as a long training run
 * does: a full collection once the data is cached, and {@code --warmup-jobs} untimed steps that
 * let the JIT compile Spark's scheduler and the kernels.
 */
final class WarmUp {
  private WarmUp() {}

  /**
   * A full collection once the data is cached: building the cache leaves gigabytes of garbage
   * (growing row buffers, the blocks' copies) that the collector would otherwise work through,
   * on one of the two cores, during the first timed steps. Hygiene only: the slow first size of
   * {@code --scaling} (0.11–0.14 s against 0.09 s a 1M step) stayed slow with it and was the
   * compiler's warm-up ({@link #run}).
   */
  static void settleHeap() {
    System.gc();
  }

  /**
   * {@code jobs} untimed 1 % descent steps, then one full-batch step and one floor pass for every
   * 50 of them, and a line on {@code out}. Spark's scheduler (job submission, task launch, result
   * handling) runs interpreted for the first few hundred jobs of a JVM: a 1 % step took about
   * 15 ms cold and 5 ms after 2,000 jobs on {@code local[2]}. The full-batch kernel needs its own
   * passes before the compiler is done with it (1M × 100: 0.134 s a step after 9 warm-up steps,
   * 0.100 s after 30 more, 0.093 s after 60). A training run of thousands of steps spends nearly
   * all of them warm, so every measurement, MLlib's included (it runs through the same
   * scheduler), is taken after this.
   *
   * <p>The 1 % steps are timed by quarters of the warm-up and printed (ms a step): a fourth
   * quarter well below the third says the JVM was still getting faster when the timing began
   * (Spark's empty job has been seen to keep getting cheaper past 4,000 jobs).
   *
   * @return the warm-up's 1 % steps, ms a step, by quarter (null: a quarter of no steps; all
   *     null when {@code jobs} is 0)
   */
  static Double[] run(JavaRDD<DataBlock> blocks, long[] partitionRows, int d, int jobs,
      PrintStream out) {
    Double[] quarters = new Double[4];
    if (jobs == 0) {
      return quarters;
    }
    long n = Arrays.stream(partitionRows).sum();
    MiniBatchPlan small = new MiniBatchPlan(partitionRows, Math.max(1, Math.round(0.01 * n)));
    long start = System.nanoTime();
    long[] counter = {0};
    int done = 0;
    for (int q = 0; q < quarters.length; q++) {
      int quarter = (int) ((long) jobs * (q + 1) / quarters.length) - done;
      long t0 = System.nanoTime();
      DescentSteps.run(blocks, small, d, counter, BatchObjective.CLOSURE_LIMIT, quarter);
      quarters[q] = quarter == 0 ? null : (System.nanoTime() - t0) / 1e6 / quarter;
      done += quarter;
    }
    int full = Math.max(1, jobs / 50);
    DescentSteps.run(blocks, new MiniBatchPlan(partitionRows, n), d, new long[] {0},
        BatchObjective.CLOSURE_LIMIT, full);
    for (int i = 0; i < full; i++) {
      FloorJobs.floorPass(blocks);
    }
    StringBuilder line = new StringBuilder();
    for (Double ms : quarters) {
      line.append(line.length() == 0 ? "" : ", ")
          .append(ms == null ? "-" : String.format(Locale.ROOT, "%.1f", ms));
    }
    out.printf(Locale.ROOT, "warm-up: %d untimed 1 %% descent steps (ms a step by quarter:"
        + " %s), %d full-batch steps and %d floor passes in %.1f s%n", jobs, line, full,
        full, (System.nanoTime() - start) / 1e9);
    return quarters;
  }
}
