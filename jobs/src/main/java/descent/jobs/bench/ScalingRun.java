package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.MiniBatchPlan;
import descent.driver.BatchObjective;
import descent.driver.TrainingData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench --scaling}: whether descent's full-batch epoch grows linearly with the rows. It
 * generates and caches the data of every row count at once, then times the full-batch step (one
 * step is one epoch), the floor and Spark's empty job of each size in turn, round-robin, one run
 * of {@code --steps} each per round, and hands the medians to a {@link ScalingReport}. Timing the
 * sizes in turn, rather than one after the other, spreads the machine's drift (±20 % over
 * minutes) over all of them instead of over the ratio.
 *
 * <p>Each size's empty job is timed in the same rounds, because a deviation from linear counts
 * what an epoch pays once as if it were paid per row: Spark's job (2.7–4.5 ms from submission to
 * a task's first block and 1.0–2.8 ms after its last on {@code local[2]}) is a tenth or more of
 * a 1M epoch and a twenty-fifth of a 4M one, so a fold proportional to the rows (as measured,
 * within 0.4 %) still reads −8 to −12 % at 4M.
 */
final class ScalingRun {
  private final BenchCommand options;
  private final PrintStream out;

  ScalingRun(BenchCommand options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the sizes of {@code --scaling} on {@code spark}; the exit code. */
  int run(SparkSession spark) throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int features = options.features();
    int steps = options.steps;
    List<Long> sizes = new ArrayList<>(options.scaling);
    Collections.sort(sizes);
    List<TrainingData> data = new ArrayList<>();
    List<ScalingPoint> points = new ArrayList<>();
    List<RoundRatios> byRound = new ArrayList<>();
    long[] counter = {0};
    Double steal;
    Double[] warmupQuarters;
    try {
      for (long n : sizes) {
        data.add(TrainingData.fromRows(SyntheticRows.rows(jsc, n, features, options.partitions,
            options.seed), features, options.seed, true, "generated rows (" + n + ")"));
      }
      Memory.requireInMemory(data);
      WarmUp.settleHeap();
      TrainingData smallest = data.get(0);
      warmupQuarters = WarmUp.run(smallest.blocks(), smallest.partitionRows(), features,
          options.warmupJobs, out);
      // Per size, its epoch, its floor and Spark's empty job, all in each round.
      int k = data.size();
      Rounds.Body[] bodies = new Rounds.Body[3 * k];
      for (int i = 0; i < k; i++) {
        TrainingData td = data.get(i);
        JavaRDD<DataBlock> blocks = td.blocks();
        MiniBatchPlan plan = new MiniBatchPlan(td.partitionRows(), td.totalRows());
        bodies[3 * i] = () -> DescentSteps.run(blocks, plan, features, counter,
            BatchObjective.CLOSURE_LIMIT, steps);
        bodies[3 * i + 1] = () -> FloorJobs.floorPasses(blocks, steps);
        bodies[3 * i + 2] = () -> FloorJobs.emptyJobs(blocks, steps);
      }
      CpuSteal stealBefore = CpuSteal.read();
      double[][] times = options.rounds().times(steps, bodies);
      steal = CpuSteal.share(stealBefore, CpuSteal.read());
      double[] medians = Rounds.medians(times);
      Memory.requireInMemory(data);
      // Each size's epoch per million rows against the smallest size's of the same round.
      double[] smallestPerMillion = perMillionRows(times[0], data.get(0).totalRows());
      for (int i = 0; i < k; i++) {
        byRound.add(RoundRatios.of(perMillionRows(times[3 * i], data.get(i).totalRows()),
            smallestPerMillion));
      }
      for (int i = 0; i < k; i++) {
        TrainingData td = data.get(i);
        ScalingPoint point = new ScalingPoint(td.totalRows(), medians[3 * i],
            medians[3 * i + 1], medians[3 * i + 2], td.cachedBytes(), td.arrayBytes());
        points.add(point);
        out.printf(Locale.ROOT, "%,d rows: %.4f s/epoch, %.4f s per million rows, floor"
            + " %.4f s, Spark's empty job %.4f s, cached %.4f x raw%n", point.rows(),
            point.secondsPerEpoch(), point.secondsPerMillionRows(), point.floorSeconds(),
            point.jobSeconds(), point.cachedRatio());
      }
    } finally {
      for (TrainingData td : data) {
        td.unpersist();
      }
    }
    ScalingReport report = new ScalingReport(points, byRound, options, jsc.master(),
        spark.version(), warmupQuarters, steal);
    report.print(out);
    if (options.output != null) {
      report.write(options.output, out);
    }
    return 0;
  }

  /** Each round's seconds per million rows of a body over {@code rows} rows. */
  static double[] perMillionRows(double[] seconds, long rows) {
    double[] r = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      r[i] = seconds[i] / (rows / 1e6);
    }
    return r;
  }
}
