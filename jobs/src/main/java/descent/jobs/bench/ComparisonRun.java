package descent.jobs.bench;

import static descent.jobs.bench.StepKind.DESCENT_1PCT;
import static descent.jobs.bench.StepKind.DESCENT_1PCT_BROADCAST;
import static descent.jobs.bench.StepKind.DESCENT_FULL;
import static descent.jobs.bench.StepKind.EMPTY_JOB;
import static descent.jobs.bench.StepKind.FLOOR;
import static descent.jobs.bench.StepKind.MLLIB_1PCT;
import static descent.jobs.bench.StepKind.MLLIB_COUNT;
import static descent.jobs.bench.StepKind.MLLIB_FULL;
import static descent.jobs.bench.StepKind.TRAINER_1PCT;

import descent.core.LogisticLoss;
import descent.driver.Objective;
import descent.driver.TrainingData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The bench's comparison: descent's steps against MLlib's on the same cached data in the same
 * session, Spark ML's {@code LogisticRegression} fit and the race to its objective, the floor and
 * Spark's empty job, and the cached bytes of each form of the data. It loads the data, warms the
 * JVM, times every {@link StepKind} round-robin, and hands the figures to a
 * {@link ComparisonReport}.
 */
final class ComparisonRun {
  private final BenchCommand options;
  private final PrintStream out;

  ComparisonRun(BenchCommand options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the comparison, or with {@code --soak} the soak, on {@code spark}; the exit code. */
  int run(SparkSession spark) throws Exception {
    BenchData data = BenchData.load(spark, options);
    TrainingData td = data.training();
    if (options.soak != null) {
      if (options.soak < 2) {
        throw new IllegalArgumentException("--soak must be at least 2 steps, got "
            + options.soak);
      }
      boolean ok = SoakRun.run(td, options.soak, out);
      td.unpersist();
      return ok ? 0 : 1;
    }
    long n = td.totalRows();
    int d = td.numFeatures();
    // Refused (a Newton racer on a model too wide for its Hessian) before any timing.
    List<String> racers = options.race(d);
    if (!racers.equals(options.race())) {
      out.printf(Locale.ROOT, "race: newton left out: its Hessian of %d parameters squared is"
          + " beyond its %d%n", d + 1, descent.driver.optim.Newton.MAX_PARAMETERS);
    }
    data.requireSameRows();
    out.printf(Locale.ROOT, "data: %s, %d rows x %d features in %d partitions%s%n",
        data.source(), n, d, td.partitionRows().length, data.source()
            .equals(BenchData.SPARSE_SOURCE) ? String.format(Locale.ROOT, " (about %d nonzeros"
            + " a row, Zipf %s, seed %d)", options.nnz, options.zipf, options.seed) : "");
    List<Memory> memory = Memory.of(data);

    WarmUp.settleHeap();
    Double[] warmupQuarters = WarmUp.run(td.blocks(), td.partitionRows(), d, options.warmupJobs,
        out);
    long smallBatch = Math.max(1, Math.round(0.01 * n));
    StepBodies bodies = new StepBodies(data, smallBatch, options.steps);
    Rounds rounds = options.rounds();
    CpuSteal stealBefore = CpuSteal.read();
    StepTimes times = StepTimes.time(rounds, options.steps, bodies);
    Double steal = CpuSteal.share(stealBefore, CpuSteal.read());
    // The full step against the floor of the same round (its target is 1.5 ×).
    RoundRatios fullToFloor = RoundRatios.of(times.rounds(DESCENT_FULL), times.rounds(FLOOR));

    double[][] lrCoefficients = new double[1][];
    double lrFit = rounds.medians(1,
        () -> lrCoefficients[0] = fitLogisticRegression(data.frame()))[0];
    double lrObjective = Objective.full(td.blocks(), new LogisticLoss(), lrCoefficients[0], false,
        1e-4, 2);

    double floor = times.median(FLOOR);
    List<Result> results = new ArrayList<>();
    List<Map<String, Object>> raceResults = new ArrayList<>();
    Map<String, Double> raceSeconds = new LinkedHashMap<>();
    for (String r : racers) {
      if (r.equals("none")) {
        continue;
      }
      RaceEntry entry = RaceEntry.parse(r);
      Map<String, Object> m = Race.run(entry, td, lrObjective, options.raceSteps());
      raceResults.add(m);
      Double seconds = (Double) m.get("secondsToTarget");
      raceSeconds.put(entry.label(), seconds);
      results.add(new Result("descent_" + entry.label() + "_to_ml_objective",
          seconds == null ? Double.NaN : seconds,
          seconds == null ? null : seconds / lrFit,
          seconds == null ? Double.NaN : seconds / floor,
          String.format(Locale.ROOT, "%s steps, gap to ml %.2e%s",
              m.get("stepsToTarget"), m.get("finalGapToMl"),
              seconds == null ? ", target not reached in " + options.raceSteps() + " steps" : "")));
    }
    results.addAll(stepResults(times, n, smallBatch, td.arrayBytes(), options.steps));
    results.add(new Result("ml_logreg_fit", lrFit, null, lrFit / floor,
        String.format(Locale.ROOT, "maxIter 100, objective %.12g", lrObjective)));

    Environment env = Environment.of(spark);
    List<BenchTargets.Target> targets;
    boolean applies;
    String statedFor;
    SoakRun.Heap heap = null;
    if (options.sparse) {
      if (options.heapSteps > 0) {
        heap = SoakRun.measure(td, options.heapSteps, 10, out);
      }
      // A training run's 1 % step on sparse data is the sparse step, which the Trainer takes.
      targets = BenchTargets.sparseTable(times.median(MLLIB_FULL), times.median(MLLIB_1PCT),
          times.median(DESCENT_FULL), times.median(TRAINER_1PCT), times.median(EMPTY_JOB),
          raceSeconds, lrFit, heap, Memory.cachedToRaw(memory));
      applies = BenchTargets.sparseTableApplies(data.source(), n, d, options.nnz, options.zipf,
          options.heapSteps, env.master());
      statedFor = BenchTargets.SPARSE_TABLE_DATA;
    } else {
      targets = BenchTargets.table(times.median(MLLIB_FULL), times.median(MLLIB_1PCT),
          times.median(DESCENT_FULL), times.median(DESCENT_1PCT), floor, times.median(EMPTY_JOB),
          raceSeconds, lrFit, Memory.cachedToRaw(memory));
      applies = BenchTargets.tableApplies(data.source(), n, d, env.master());
      statedFor = BenchTargets.TABLE_DATA;
    }
    ComparisonReport report = new ComparisonReport(data, env, options, warmupQuarters, steal,
        results, memory, lrObjective, lrFit, raceResults, fullToFloor, heap, targets, applies,
        statedFor);
    report.print(out);
    if (options.output != null) {
      report.write(options.output, out);
    }
    data.unpersist();
    return 0;
  }

  /**
   * The table's lines of the timed step kinds, from their medians: each against MLlib's matching
   * step and the floor. The ratio of Spark's empty job is against MLlib's 1 % step, the share of
   * that step Spark's own job takes.
   *
   * @param rawBytes the raw arrays' bytes, for the floor's bandwidth
   */
  static List<Result> stepResults(StepTimes times, long n, long smallBatch, long rawBytes,
      int steps) {
    double mllibFull = times.median(MLLIB_FULL);
    double mllibSmall = times.median(MLLIB_1PCT);
    double mllibCount = times.median(MLLIB_COUNT) * steps;
    double descentFull = times.median(DESCENT_FULL);
    double descentSmall = times.median(DESCENT_1PCT);
    double broadcast = times.median(DESCENT_1PCT_BROADCAST);
    double floor = times.median(FLOOR);
    double emptyJob = times.median(EMPTY_JOB);
    double trainer = times.median(TRAINER_1PCT);
    List<Result> results = new ArrayList<>();
    results.add(new Result(MLLIB_FULL.reportName(), mllibFull, 1.0, mllibFull / floor,
        "runMiniBatchSGD fraction 1.0, per step: a call less its count, over its steps + 1 jobs"));
    results.add(new Result(MLLIB_1PCT.reportName(), mllibSmall, 1.0, mllibSmall / floor,
        "runMiniBatchSGD fraction 0.01, per step: a call less its count, over its steps + 1 jobs"));
    results.add(new Result(MLLIB_COUNT.reportName(), mllibCount, null, mllibCount / floor,
        "the data.count() runMiniBatchSGD runs once a call, timed alone, out of the steps above"));
    results.add(new Result(DESCENT_FULL.reportName(), descentFull, descentFull / mllibFull,
        descentFull / floor, "batch " + n + ", per step"));
    results.add(new Result(DESCENT_1PCT.reportName(), descentSmall, descentSmall / mllibSmall,
        descentSmall / floor, "batch " + smallBatch + ", per step"));
    results.add(new Result(TRAINER_1PCT.reportName(), trainer, trainer / mllibSmall,
        trainer / floor, "the 1 % step through Trainer (SGD, schedule, checks, listener),"
            + " per step"));
    results.add(new Result(DESCENT_1PCT_BROADCAST.reportName(), broadcast,
        broadcast / mllibSmall, broadcast / floor,
        "the same with the parameters broadcast, per step"));
    results.add(new Result(FLOOR.reportName(), floor, floor / mllibFull, 1.0,
        String.format(Locale.ROOT, "one job streaming the cached arrays, %.2f GB/s",
            rawBytes / floor / 1e9)));
    results.add(new Result(EMPTY_JOB.reportName(), emptyJob, emptyJob / mllibSmall,
        emptyJob / floor, "one job over the cached blocks that reads no array: Spark's own cost"
            + " of a step (ratio_mllib: / MLlib's 1 % step)"));
    return results;
  }

  /** Spark ML's fit the race aims at: L2 1e-4, no intercept, no standardization, 100 iterations. */
  private static double[] fitLogisticRegression(Dataset<Row> frame) {
    LogisticRegressionModel model = new LogisticRegression()
        .setStandardization(false)
        .setRegParam(1e-4)
        .setElasticNetParam(0.0)
        .setFitIntercept(false)
        .setMaxIter(100)
        .setTol(1e-9)
        .fit(frame);
    return model.coefficients().toArray();
  }
}
