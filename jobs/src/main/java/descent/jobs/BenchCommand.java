package descent.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import descent.core.Blockifier;
import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import descent.core.MarginLoss;
import descent.core.MiniBatchPlan;
import descent.core.PlainPass;
import descent.core.RowBuffer;
import descent.driver.Aggregation;
import descent.driver.BatchObjective;
import descent.driver.ModelType;
import descent.driver.Objective;
import descent.driver.Regularizer;
import descent.driver.OptimizerConfig;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code descent bench}: times descent's gradient step against MLlib's
 * {@code GradientDescent.runMiniBatchSGD} (full batch and 1 %), Spark ML's
 * {@code LogisticRegression} fit, and a memory-bandwidth floor (one job streaming every cached
 * array of the blocks through eight running sums), on the same data in the same session, and
 * compares the bytes Spark caches for descent's blocks and for MLlib's points with the raw
 * arrays. Every time is the median of {@code --repetitions} runs after {@code --warmup} runs.
 * With {@code --scaling} it instead times descent's full-batch epoch at several row counts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time descent's gradient steps against Spark MLlib on the same data.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--rows", defaultValue = "200000", description = "generated rows (default: ${DEFAULT-VALUE})")
  long rows;

  @Option(names = "--features", defaultValue = "100", description = "generated features (default: ${DEFAULT-VALUE})")
  int features;

  @Option(names = "--partitions", defaultValue = "2", description = "partitions (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--repetitions", defaultValue = "5", description = "timed runs; the median is reported (default: ${DEFAULT-VALUE})")
  int repetitions;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "10", description = "steps per timed run (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--seed", defaultValue = "42", description = "seed of the generated data (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--data", description = "LIBSVM file to use instead of generated data")
  String data;

  @Option(names = "--num-features", defaultValue = "0", description = "with --data: feature count (default: largest index)")
  int numFeatures;

  @Option(names = "--output", description = "directory for bench.csv and bench.json")
  Path output;

  @Option(names = "--race", split = ",",
      defaultValue = "lbfgs,newton,nesterov:4:1000,lamb:0.05:1000,adam:0.2:1000",
      description = "optimizers timed from zero to Spark ML's objective within 1e-6 relative,"
          + " full batch: name[:lr[:T]] with T the steps of a cosine schedule, 'nesterov' for sgd"
          + " with Nesterov momentum 0.9 (default: ${DEFAULT-VALUE}; 'none' to skip)")
  List<String> race;

  @Option(names = "--race-steps", defaultValue = "2000",
      description = "step budget of each raced optimizer (default: ${DEFAULT-VALUE})")
  long raceSteps;

  @Option(names = "--warmup-jobs", defaultValue = "1000",
      description = "untimed 1 %% descent steps before any timing, so that Spark's scheduler"
          + " runs compiled for every measurement, as in a training run of thousands of steps"
          + " (default: ${DEFAULT-VALUE}; 0 times a cold JVM)")
  int warmupJobs;

  @Option(names = "--soak", description = "instead of the table: run this many 1 %% steps and"
      + " report the driver heap after GC once Spark's UI retention is full and at the end"
      + " (exit 1 when it grew); e.g. --soak 20000 --rows 20000 --features 20")
  Long soak;

  @Option(names = "--scaling", split = ",", paramLabel = "ROWS",
      description = "row counts (e.g. 1000000,2000000,4000000): instead of the comparison, time"
          + " descent's full-batch epoch on generated data of each size and report seconds per"
          + " million rows and the largest deviation from linear, with Spark's empty job at"
          + " each size and the line (fixed + per million rows) through the sizes; every size"
          + " is cached at once and the sizes are timed round-robin")
  List<Long> scaling;

  @picocli.CommandLine.Mixin SparkOptions sparkOptions;

  /** One line of the table. */
  record Result(String name, double seconds, Double ratioToMllib, double ratioToFloor,
      String note) {}

  /** Bytes a representation of the data takes, against the raw arrays. */
  record Memory(String name, long bytes, double ratioToRaw, String note) {}

  /**
   * One size of a {@code --scaling} run: the epoch, the floor and Spark's empty job, each the
   * median seconds of its rounds.
   */
  record ScalingPoint(long rows, double secondsPerEpoch, double floorSeconds, double jobSeconds,
      long cachedBytes, long rawBytes) {
    double secondsPerMillionRows() {
      return secondsPerEpoch / (rows / 1e6);
    }

    /** The floor pass's seconds per million rows. */
    double floorSecondsPerMillionRows() {
      return floorSeconds / (rows / 1e6);
    }

    /** The epoch less Spark's empty job, per million rows: descent's own part of the epoch. */
    double netSecondsPerMillionRows() {
      return (secondsPerEpoch - jobSeconds) / (rows / 1e6);
    }
  }

  /**
   * The least-squares line {@code y = fixed + perUnit·x} through the points {@code (x_i, y_i)}:
   * what a time costs whatever the size (Spark's job and anything else paid once an epoch) and
   * what it costs per unit of size.
   */
  record Line(double fixed, double perUnit) {
    static Line fit(double[] x, double[] y) {
      if (x.length != y.length || x.length < 2) {
        throw new IllegalArgumentException("a line needs two or more points, got " + x.length
            + " x and " + y.length + " y");
      }
      double mx = 0.0;
      double my = 0.0;
      for (int i = 0; i < x.length; i++) {
        mx += x[i];
        my += y[i];
      }
      mx /= x.length;
      my /= y.length;
      double sxy = 0.0;
      double sxx = 0.0;
      for (int i = 0; i < x.length; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
      }
      if (!(sxx > 0)) {
        throw new IllegalArgumentException("a line needs two or more distinct sizes");
      }
      double perUnit = sxy / sxx;
      return new Line(my - perUnit * mx, perUnit);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fixedSeconds", fixed);
      m.put("secondsPerMillionRows", perUnit);
      return m;
    }
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (rows < 1) {
      problems.add("--rows must be positive, got " + rows);
    }
    if (features < 1) {
      problems.add("--features must be positive, got " + features);
    }
    if (partitions < 1) {
      problems.add("--partitions must be positive, got " + partitions);
    }
    if (repetitions < 1) {
      problems.add("--repetitions must be positive, got " + repetitions);
    }
    if (warmup < 0) {
      problems.add("--warmup must be >= 0, got " + warmup);
    }
    if (steps < 1) {
      problems.add("--steps must be positive, got " + steps);
    }
    if (raceSteps < 1) {
      problems.add("--race-steps must be positive, got " + raceSteps);
    }
    for (String r : race) {
      if (r.equals("none")) {
        continue;
      }
      try {
        RaceEntry.parse(r).config(1e-4, 1).validate();
      } catch (IllegalArgumentException e) {
        problems.add("--race " + r + ": " + e.getMessage());
      }
    }
    if (numFeatures < 0) {
      problems.add("--num-features must be >= 0, got " + numFeatures);
    }
    if (warmupJobs < 0) {
      problems.add("--warmup-jobs must be >= 0, got " + warmupJobs);
    }
    if (soak != null && scaling != null) {
      problems.add("give --soak or --scaling, not both");
    }
    if (scaling != null) {
      if (data != null) {
        problems.add("--scaling generates its data; it does not take --data");
      }
      for (long n : scaling) {
        if (n < partitions) {
          problems.add("--scaling: every row count must be at least --partitions (" + partitions
              + "), got " + n);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    if (output != null && Files.exists(output) && !Files.isDirectory(output)) {
      throw new IllegalArgumentException(output + ": --output exists and is not a directory");
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    if (data != null) {
      DataReader.requireExists(data);
    }
    SparkOptions.Session session = sparkOptions.session("descent bench", "local[2]");
    try {
      return scaling != null ? runScaling(session.spark()) : run(session.spark());
    } finally {
      session.close();
    }
  }

  private int run(SparkSession spark) throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    // ---- data: descent blocks and MLlib points with the same values ----
    TrainingData td;
    JavaRDD<LabeledPoint> points;
    String source;
    if (data != null) {
      source = data;
      td = DataReader.load(spark, new DataReader.Spec(data, DataReader.Format.LIBSVM, numFeatures,
          partitions, 0, "label", "features"), LabelDomain.BINARY, seed, true, "--num-features");
      points = td.blocks().flatMap(BenchCommand::toPoints);
    } else {
      source = "generated";
      JavaRDD<Integer> parts = jsc.parallelize(range(partitions), partitions);
      final long n = rows;
      final int d = features;
      final int p = partitions;
      final long s = seed;
      td = TrainingData.fromRows(generatedRows(jsc, n, d, p, s), d, seed, true, "generated rows");
      points = parts.mapPartitions(it -> {
        int part = it.next();
        List<LabeledPoint> out = new ArrayList<>();
        SyntheticRows.generate(part, SyntheticRows.partitionRows(n, p, part), d, s,
            (x, y) -> out.add(new LabeledPoint(y > 0 ? 1.0 : 0.0, Vectors.dense(x))));
        return out.iterator();
      }, true);
    }
    points = points.persist(StorageLevel.MEMORY_ONLY());
    JavaRDD<Tuple2<Object, Vector>> mllibData = points
        .map(lp -> new Tuple2<Object, Vector>(lp.label(), lp.features()))
        .persist(StorageLevel.MEMORY_ONLY());
    StructType schema = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", new VectorUDT(), false, Metadata.empty())});
    Dataset<Row> frame = spark.createDataFrame(
        points.map(lp -> RowFactory.create(lp.label(), lp.features().asML())), schema).cache();
    if (soak != null) {
      if (soak < 2) {
        throw new IllegalArgumentException("--soak must be at least 2 steps, got " + soak);
      }
      boolean ok = SoakRun.run(td, soak, System.out);
      td.unpersist();
      return ok ? 0 : 1;
    }
    long n = td.totalRows();
    int d = td.numFeatures();
    long pointCount = mllibData.count();
    long frameCount = frame.count();
    if (pointCount != n || frameCount != n) {
      throw new IllegalStateException("row counts differ: descent " + n + ", MLlib " + pointCount
          + ", DataFrame " + frameCount);
    }
    int parts = td.partitionRows().length;
    System.out.printf(Locale.ROOT, "data: %s, %d rows x %d features in %d partitions%n", source,
        n, d, parts);

    // ---- cached bytes: Spark's storage info against the raw arrays ----
    long rawBytes = td.arrayBytes();
    List<Memory> memory = new ArrayList<>();
    memory.add(new Memory("raw_arrays", rawBytes, 1.0, rawNote(td)));
    memory.add(new Memory("descent_cached_blocks", td.cachedBytes(),
        (double) td.cachedBytes() / rawBytes, "TrainingData.cachedBytes(): Spark storage info of"
            + " the blocks RDD, " + cachedPartitionsNote(td.blocks().rdd())));
    long pointBytes = TrainingData.storedBytes(points.rdd());
    memory.add(new Memory("mllib_cached_points", pointBytes, (double) pointBytes / rawBytes,
        "RDD<LabeledPoint> MEMORY_ONLY, " + cachedPartitionsNote(points.rdd())));

    // ---- timings ----
    JavaRDD<DataBlock> blocks = td.blocks();
    settleHeap();
    Double[] warmupQuarters = warmUpSpark(blocks, td.partitionRows(), d);
    long[] partitionRows = td.partitionRows();
    MiniBatchPlan fullPlan = new MiniBatchPlan(partitionRows, n);
    long smallBatch = Math.max(1, Math.round(0.01 * n));
    MiniBatchPlan smallPlan = new MiniBatchPlan(partitionRows, smallBatch);
    long[] stepCounter = {0};
    // Timed round-robin (see roundRobinMedians). The 1 % step with the parameters in a
    // broadcast of their own, as before: the difference is what the broadcast costs per step.
    CpuSteal stealBefore = CpuSteal.read();
    double[][] times = roundRobinTimes(steps,
        () -> mllib(mllibData, d, 1.0),
        () -> mllib(mllibData, d, 0.01),
        () -> descent(blocks, fullPlan, d, stepCounter, BatchObjective.CLOSURE_LIMIT),
        () -> descent(blocks, smallPlan, d, stepCounter, BatchObjective.CLOSURE_LIMIT),
        () -> descent(blocks, smallPlan, d, stepCounter, 0),
        () -> floorPasses(blocks),
        () -> emptyJobs(blocks),
        () -> mllibData.count(),
        () -> trainerSteps(td, smallBatch));
    Double steal = CpuSteal.share(stealBefore, CpuSteal.read());
    // runMiniBatchSGD counts its data once per call (data.count(), a pass over every point)
    // before its first step, and runs --steps + 1 gradient jobs (see mllibPerStep); the count is
    // timed alone in the same rounds and taken out, and the rest shared by the jobs. Otherwise
    // each step would carry 1/--steps of the count (over 1M points a count took 14-26 ms: 3-5 ms
    // of a 1 % step at --steps 5) and of the extra job, and flatter every ratio against MLlib.
    times[0] = mllibPerStep(times[0], times[7], steps);
    times[1] = mllibPerStep(times[1], times[7], steps);
    double[] medians = medians(times);
    // The full step against the floor of the same round (issue 6's target of 1.5 ×).
    RoundRatios fullToFloor = RoundRatios.of(times[2], times[5]);
    double mllibFull = medians[0];
    double mllibSmall = medians[1];
    double mllibCount = medians[7] * steps;
    double descentFull = medians[2];
    double descentSmall = medians[3];
    double descentSmallBroadcast = medians[4];
    double floor = medians[5];
    double emptyJob = medians[6];
    double trainerSmall = medians[8];

    double[][] lrCoefficients = new double[1][];
    double lrFit = roundRobinMedians(1,
        () -> lrCoefficients[0] = fitLogisticRegression(frame))[0];
    double lrObjective = Objective.full(blocks, new LogisticLoss(), lrCoefficients[0], false,
        1e-4, 2);

    List<Result> results = new ArrayList<>();
    List<Map<String, Object>> raceResults = new ArrayList<>();
    Map<String, Double> raceSeconds = new LinkedHashMap<>();
    for (String r : race) {
      if (r.equals("none")) {
        continue;
      }
      RaceEntry entry = RaceEntry.parse(r);
      Map<String, Object> m = race(entry, td, lrObjective);
      raceResults.add(m);
      Object seconds = m.get("secondsToTarget");
      raceSeconds.put(entry.label(), (Double) seconds);
      results.add(new Result("descent_" + entry.label() + "_to_ml_objective",
          seconds == null ? Double.NaN : (Double) seconds,
          seconds == null ? null : (Double) seconds / lrFit,
          seconds == null ? Double.NaN : (Double) seconds / floor,
          String.format(Locale.ROOT, "%s steps, gap to ml %.2e%s",
              m.get("stepsToTarget"), m.get("finalGapToMl"),
              seconds == null ? ", target not reached in " + raceSteps + " steps" : "")));
    }
    results.add(new Result("mllib_sgd_full_step", mllibFull, 1.0, mllibFull / floor,
        "runMiniBatchSGD fraction 1.0, per step: a call less its count, over its steps + 1 jobs"));
    results.add(new Result("mllib_sgd_1pct_step", mllibSmall, 1.0, mllibSmall / floor,
        "runMiniBatchSGD fraction 0.01, per step: a call less its count, over its steps + 1 jobs"));
    results.add(new Result("mllib_sgd_count_per_call", mllibCount, null, mllibCount / floor,
        "the data.count() runMiniBatchSGD runs once a call, timed alone, out of the steps above"));
    results.add(new Result("descent_full_step", descentFull, descentFull / mllibFull,
        descentFull / floor, "batch " + n + ", per step"));
    results.add(new Result("descent_1pct_step", descentSmall, descentSmall / mllibSmall,
        descentSmall / floor, "batch " + smallBatch + ", per step"));
    results.add(new Result("descent_1pct_trainer_step", trainerSmall, trainerSmall / mllibSmall,
        trainerSmall / floor, "the 1 % step through Trainer (SGD, schedule, checks, listener),"
            + " per step"));
    results.add(new Result("descent_1pct_step_broadcast", descentSmallBroadcast,
        descentSmallBroadcast / mllibSmall, descentSmallBroadcast / floor,
        "the same with the parameters broadcast, per step"));
    results.add(new Result("floor_pass", floor, floor / mllibFull, 1.0,
        String.format(Locale.ROOT, "one job streaming the cached arrays, %.2f GB/s",
            rawBytes / floor / 1e9)));
    results.add(new Result("spark_empty_job", emptyJob, emptyJob / mllibSmall, emptyJob / floor,
        "one job over the cached blocks that reads no array: Spark's own cost of a step"
            + " (ratio_mllib: / MLlib's 1 % step)"));
    results.add(new Result("ml_logreg_fit", lrFit, null, lrFit / floor,
        String.format(Locale.ROOT, "maxIter 100, objective %.12g", lrObjective)));

    // ---- report ----
    String sparkVersion = spark.version();
    int cores = Runtime.getRuntime().availableProcessors();
    int parallelism = jsc.defaultParallelism();
    String jvm = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + ")";
    int simdLanes = MarginLoss.simdLanes();
    HugePages pages = HugePages.current();
    System.out.printf(Locale.ROOT, "spark %s, master %s, %d cores (defaultParallelism %d), java %s,"
        + " logistic row loop %s, %s%n", sparkVersion, jsc.master(), cores, parallelism, jvm,
        simdLanes > 1 ? "on " + simdLanes + " SIMD lanes" : "scalar", pages.describe());
    System.out.printf(Locale.ROOT,
        "median of %d rounds after %d warm-up, each round timing every step kind once in an order"
            + " of its own; steps per run %d; CPU steal during these rounds %s; ratio_mllib = /"
            + " MLlib's matching step, or / Spark ML LogisticRegression fit for *_to_ml_objective"
            + " (floor: / MLlib full step)%n", repetitions, warmup, steps, percent(steal));
    System.out.printf(Locale.ROOT, "%-28s %12s %12s %12s  %s%n", "name", "seconds",
        "ratio_mllib", "ratio_floor", "note");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-28s %12.6f %12s %12.3f  %s%n", r.name(), r.seconds(),
          r.ratioToMllib() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratioToMllib()),
          r.ratioToFloor(), r.note());
    }
    System.out.printf(Locale.ROOT, "ml_logreg objective (mean log-loss + 1e-4/2 ||w||^2): %.15g%n",
        lrObjective);
    System.out.printf(Locale.ROOT, "descent_full_step / floor_pass of the same round: median"
        + " %.3f, range %.3f-%.3f over %d rounds%n", fullToFloor.median(), fullToFloor.min(),
        fullToFloor.max(), fullToFloor.ratios().length);
    System.out.printf(Locale.ROOT, "%-28s %14s %10s  %s%n", "memory", "bytes", "ratio_raw",
        "note");
    for (Memory m : memory) {
      System.out.printf(Locale.ROOT, "%-28s %14d %10.4f  %s%n", m.name(), m.bytes(),
          m.ratioToRaw(), m.note());
    }
    List<BenchTargets.Target> targets = BenchTargets.table(mllibFull, mllibSmall, descentFull,
        descentSmall, floor, emptyJob, raceSeconds, lrFit, (double) td.cachedBytes() / rawBytes);
    boolean targetsApply = BenchTargets.tableApplies(source, n, d, jsc.master());
    BenchTargets.print(System.out, targets, targetsApply, BenchTargets.TABLE_DATA);

    if (output != null) {
      Files.createDirectories(output);
      StringBuilder csv = new StringBuilder(
          "name,seconds,ratio_to_mllib,ratio_to_floor,bytes,ratio_to_raw\n");
      for (Result r : results) {
        csv.append(String.format(Locale.ROOT, "%s,%.9g,%s,%.9g,,%n", r.name(), r.seconds(),
            r.ratioToMllib() == null ? "" : String.format(Locale.ROOT, "%.9g", r.ratioToMllib()),
            r.ratioToFloor()));
      }
      for (Memory m : memory) {
        csv.append(String.format(Locale.ROOT, "%s,,,,%d,%.9g%n", m.name(), m.bytes(),
            m.ratioToRaw()));
      }
      Files.writeString(output.resolve("bench.csv"), csv.toString(), StandardCharsets.UTF_8);
      Map<String, Object> json = new LinkedHashMap<>();
      Map<String, Object> shape = new LinkedHashMap<>();
      shape.put("source", source);
      shape.put("rows", n);
      shape.put("features", d);
      shape.put("partitions", parts);
      json.put("data", shape);
      Map<String, Object> env = new LinkedHashMap<>();
      env.put("sparkVersion", sparkVersion);
      env.put("master", jsc.master());
      env.put("availableProcessors", cores);
      env.put("defaultParallelism", parallelism);
      env.put("javaVersion", System.getProperty("java.version"));
      env.put("javaVmName", System.getProperty("java.vm.name"));
      env.put("logisticSimdLanes", simdLanes);
      env.put("transparentHugePages", pages.toJson());
      env.put("cpuStealDuringSteps", steal);
      json.put("environment", env);
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("repetitions", repetitions);
      settings.put("warmup", warmup);
      settings.put("warmupJobs", warmupJobs);
      settings.put("warmupStepMsByQuarter", Arrays.asList(warmupQuarters));
      settings.put("steps", steps);
      settings.put("seed", seed);
      json.put("settings", settings);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Result r : results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("seconds", r.seconds());
        m.put("ratioToMllib", r.ratioToMllib());
        m.put("ratioToFloor", r.ratioToFloor());
        m.put("note", r.note());
        list.add(m);
      }
      json.put("results", list);
      List<Map<String, Object>> mem = new ArrayList<>();
      for (Memory m : memory) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", m.name());
        e.put("bytes", m.bytes());
        e.put("ratioToRaw", m.ratioToRaw());
        e.put("note", m.note());
        mem.add(e);
      }
      json.put("memory", mem);
      json.put("mlLogisticRegressionObjective", lrObjective);
      json.put("mlLogisticRegressionFitSeconds", lrFit);
      json.put("race", raceResults);
      json.put("fullStepToFloorByRound", fullToFloor.toJson());
      json.put("targets", BenchTargets.toJson(targets, targetsApply, BenchTargets.TABLE_DATA));
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(output.resolve("bench.json").toFile(), json);
      System.out.printf("wrote %s and %s%n", output.resolve("bench.csv"),
          output.resolve("bench.json"));
    }

    // Blocking, so that no removal is still in flight when the session stops (see
    // TrainingData.unpersist).
    frame.unpersist(true);
    mllibData.unpersist(true);
    points.unpersist(true);
    td.unpersist();
    return 0;
  }

  /** A timed body. */
  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  /**
   * Medians of the bodies' seconds / divisor, timed round-robin (see {@link #roundRobinTimes}).
   */
  private double[] roundRobinMedians(int divisor, Body... bodies) throws Exception {
    return medians(roundRobinTimes(divisor, bodies));
  }

  /** The entry of {@code v} largest in magnitude (the first of equals; 0 when all are 0). */
  private static double largest(double[] v) {
    double max = 0.0;
    for (double x : v) {
      if (Math.abs(x) > Math.abs(max)) {
        max = x;
      }
    }
    return max;
  }

  /** Each round's seconds per million rows of a body over {@code rows} rows. */
  private static double[] perMillionRows(double[] seconds, long rows) {
    double[] r = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      r[i] = seconds[i] / (rows / 1e6);
    }
    return r;
  }

  /**
   * MLlib's seconds per step in each round, {@code (call − count) / (steps + 1)}, from the
   * call's and the count's times already divided by {@code steps}. {@code runMiniBatchSGD}
   * counts its data once a call before its first step, and runs {@code steps + 1} gradient jobs:
   * Spark 4.1's loop goes to {@code numIterations + 1}, and its last turn only evaluates the loss
   * at the final weights for the loss history (Spark's event log: 21 {@code treeAggregate} jobs
   * in every 20-step call). A long run pays both once, so a step is what is left, shared by the
   * jobs that ran; dividing the call by {@code steps} alone made MLlib's step 20 % dearer at
   * {@code --steps 5} and 5 % at {@code --steps 20}.
   */
  static double[] mllibPerStep(double[] callPerStep, double[] countPerStep, int steps) {
    if (callPerStep.length != countPerStep.length) {
      throw new IllegalArgumentException("expected the same rounds on both sides, got "
          + callPerStep.length + " and " + countPerStep.length);
    }
    double[] r = new double[callPerStep.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (callPerStep[i] - countPerStep[i]) * steps / (steps + 1);
    }
    return r;
  }

  /** The median of each body's rounds ({@code t[body][round]}, left in round order). */
  private static double[] medians(double[][] t) {
    double[] medians = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      medians[b] = median(t[b].clone());
    }
    return medians;
  }

  /**
   * Each body's seconds / divisor in each timed round ({@code [body][round]}): {@code warmup}
   * untimed rounds, then {@code repetitions} rounds that each run every body once. The machine's
   * speed drifts by ±20 % over minutes; timing the bodies one after the other would put that
   * drift into their ratios, while in turns every body sees it alike. Each round runs the bodies
   * in an order of its own (a shuffle seeded by {@code --seed}): a small job right after a pass
   * over every cached array took several times its usual time in Spark's event log, and a fixed
   * order would give that cost to the same body in every round.
   */
  private double[][] roundRobinTimes(int divisor, Body... bodies) throws Exception {
    double[][] t = new double[bodies.length][repetitions];
    for (int round = -warmup; round < repetitions; round++) {
      for (int b : roundOrder(bodies.length, seed, round + warmup)) {
        long start = System.nanoTime();
        bodies[b].run();
        if (round >= 0) {
          t[b][round] = (System.nanoTime() - start) / 1e9 / divisor;
        }
      }
    }
    return t;
  }

  /** A share as a percentage with one decimal, or "unknown". */
  static String percent(Double share) {
    return share == null ? "unknown" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  /**
   * The order of the bodies in round {@code round} (warm-up rounds first, from 0): the
   * blockifier's seeded Fisher–Yates permutation, with the round in place of the partition, so
   * each round has an order of its own and a run with the same {@code --seed} repeats them.
   */
  static int[] roundOrder(int bodies, long seed, int round) {
    return Blockifier.permutation(bodies, seed, round, true);
  }

  /**
   * The ratios {@code a[r]/b[r]} of two bodies timed in the same rounds: their median, least and
   * largest. The two times of one round were taken well under a second apart, so their ratio
   * carries less of the machine's drift than the ratio of the two medians, which may come from
   * different rounds.
   */
  record RoundRatios(double median, double min, double max, double[] ratios) {
    static RoundRatios of(double[] a, double[] b) {
      if (a.length != b.length || a.length == 0) {
        throw new IllegalArgumentException("round ratios need the same rounds on both sides, got "
            + a.length + " and " + b.length);
      }
      double[] r = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        r[i] = a[i] / b[i];
      }
      double[] sorted = r.clone();
      Arrays.sort(sorted);
      return new RoundRatios(BenchCommand.median(sorted), sorted[0], sorted[sorted.length - 1],
          r);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("median", median);
      m.put("min", min);
      m.put("max", max);
      m.put("ratios", ratios);
      return m;
    }
  }

  private void mllib(JavaRDD<Tuple2<Object, Vector>> data, int d, double fraction) {
    Tuple2<Vector, double[]> r = GradientDescent.runMiniBatchSGD(data.rdd(),
        new LogisticGradient(), new SimpleUpdater(), 1.0, steps, 0.0, fraction,
        Vectors.zeros(d), 0.0);
    if (!Double.isFinite(r._1().apply(0))) {
      throw new IllegalStateException("MLlib SGD diverged");
    }
  }

  /**
   * {@code steps} descent steps through the trainer's {@link BatchObjective}: the mean gradient
   * of the step's window, then {@code w -= lr/sqrt(t)·g} (as MLlib's SimpleUpdater).
   */
  private void descent(JavaRDD<DataBlock> blocks, MiniBatchPlan plan, int d, long[] counter,
      int closureLimit) {
    descent(blocks, plan, d, counter, closureLimit, steps);
  }

  /** {@code count} descent steps, as {@link #descent(JavaRDD, MiniBatchPlan, int, long[], int)}. */
  private static void descent(JavaRDD<DataBlock> blocks, MiniBatchPlan plan, int d,
      long[] counter, int closureLimit, int count) {
    BatchObjective objective = new BatchObjective(blocks, plan, new LogisticLoss(), false,
        Regularizer.of(0, 0), null, stepDepth(blocks, d), d).closureLimit(closureLimit);
    double[] w = new double[d];
    for (int t = 1; t <= count; t++) {
      double[] g = objective.window(counter[0]++).evaluate(w).gradient();
      double scale = 1.0 / Math.sqrt(t);
      for (int j = 0; j < d; j++) {
        w[j] -= scale * g[j];
      }
    }
    if (!Double.isFinite(w[0])) {
      throw new IllegalStateException("descent SGD diverged");
    }
  }

  /**
   * One raced optimizer: its name, learning rate (the optimizer's default when absent) and the
   * steps of a cosine schedule (constant rate when absent).
   */
  record RaceEntry(String optimizer, Double lr, Long cosineSteps) {
    static RaceEntry parse(String spec) {
      String[] parts = spec.split(":");
      if (parts.length > 3 || parts[0].isEmpty()) {
        throw new IllegalArgumentException("expected name[:lr[:T]], got '" + spec + "'");
      }
      try {
        return new RaceEntry(parts[0], parts.length >= 2 ? Double.valueOf(parts[1]) : null,
            parts.length == 3 ? Long.valueOf(parts[2]) : null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the learning rate or steps of '" + spec
            + "' is not a number");
      }
    }

    String label() {
      return optimizer + (lr == null ? "" : "_lr" + lr) + (cosineSteps == null ? ""
          : "_cosine" + cosineSteps);
    }

    TrainingConfig config(double regL2, long maxSteps) {
      OptimizerConfig o = optimizer.equals("nesterov")
          ? new OptimizerConfig("sgd", 0.9, null, true, null, null, null, null, null, null, null,
              null, null, null, null, null, null)
          : OptimizerConfig.named(optimizer);
      TrainingConfig.Builder b = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
          .regL2(regL2).optimizer(o).maxSteps(maxSteps);
      if (lr != null) {
        b.learningRate(lr);
      }
      if (cosineSteps != null) {
        if (cosineSteps < 1) {
          throw new IllegalArgumentException("the cosine steps must be positive, got "
              + cosineSteps);
        }
        b.schedule(new CosineAnnealing(lr != null ? lr : o.defaultLearningRate(), cosineSteps));
      }
      return b.build();
    }
  }

  /**
   * Thrown by a bench listener to end a Trainer run at the step it chose: once the race's target
   * is met, or after the Trainer step's count (no final objective pass to time with it).
   */
  private static final class StopRun extends RuntimeException {
    StopRun() {
      super(null, null, false, false);
    }
  }

  /**
   * Trains from zero at full batch until the step's objective (the full objective at the
   * parameters the step starts from) is within 1e-6 relative of {@code target}; the time is the
   * wall time until that evaluation returned.
   */
  private Map<String, Object> race(RaceEntry entry, TrainingData td, double target) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", entry.optimizer());
    m.put("learningRate", entry.lr());
    double bound = target + 1e-6 * Math.abs(target);
    long[] reached = {-1};
    double[] at = {Double.NaN, Double.NaN};
    long start = System.nanoTime();
    TrainingListener listener = r -> {
      at[1] = r.loss();
      if (r.loss() <= bound) {
        reached[0] = r.step();
        at[0] = (System.nanoTime() - start) / 1e9 - r.stepSeconds();
        throw new StopRun();
      }
    };
    TrainingResult result = null;
    try {
      result = new Trainer(entry.config(1e-4, raceSteps), listener).train(td);
    } catch (StopRun e) {
      // The objective met the target.
    }
    if (reached[0] > 0) {
      // The step that evaluated the target objective started from parameters of step k−1.
      m.put("stepsToTarget", reached[0] - 1);
      m.put("secondsToTarget", at[0]);
      m.put("finalGapToMl", (at[1] - target) / Math.abs(target));
    } else {
      m.put("stepsToTarget", null);
      m.put("secondsToTarget", null);
      m.put("finalGapToMl", (result.objective() - target) / Math.abs(target));
    }
    return m;
  }

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

  /**
   * {@code --warmup-jobs} untimed 1 % descent steps, then one full-batch step and one floor pass
   * for every 50 of them. Spark's scheduler (job submission, task launch, result handling) runs
   * interpreted for the first few hundred jobs of a JVM: a 1 % step took about 15 ms cold and
   * 5 ms after 2,000 jobs on {@code local[2]}. The full-batch kernel needs its own passes before
   * the compiler is done with it (1M × 100: 0.134 s a step after 9 warm-up steps, 0.100 s after
   * 30 more, 0.093 s after 60). A training run of thousands of steps spends nearly all of them warm, so every
   * measurement, MLlib's included (it runs through the same scheduler), is taken after this.
   *
   * <p>The 1 % steps are timed by quarters of the warm-up and printed (ms a step): a fourth
   * quarter well below the third says the JVM was still getting faster when the timing began
   * (Spark's empty job kept getting cheaper past 4,000 jobs in session 12).
   *
   * @return the warm-up's 1 % steps, ms a step, by quarter (null: a quarter of no steps)
   */
  private Double[] warmUpSpark(JavaRDD<DataBlock> blocks, long[] partitionRows, int d) {
    Double[] warmupQuarters = new Double[4];
    if (warmupJobs == 0) {
      return warmupQuarters;
    }
    long n = Arrays.stream(partitionRows).sum();
    MiniBatchPlan small = new MiniBatchPlan(partitionRows, Math.max(1, Math.round(0.01 * n)));
    long start = System.nanoTime();
    long[] counter = {0};
    int done = 0;
    for (int q = 0; q < warmupQuarters.length; q++) {
      int jobs = (int) ((long) warmupJobs * (q + 1) / warmupQuarters.length) - done;
      long t0 = System.nanoTime();
      descent(blocks, small, d, counter, BatchObjective.CLOSURE_LIMIT, jobs);
      warmupQuarters[q] = jobs == 0 ? null : (System.nanoTime() - t0) / 1e6 / jobs;
      done += jobs;
    }
    int full = Math.max(1, warmupJobs / 50);
    descent(blocks, new MiniBatchPlan(partitionRows, n), d, new long[] {0},
        BatchObjective.CLOSURE_LIMIT, full);
    for (int i = 0; i < full; i++) {
      floorPass(blocks);
    }
    StringBuilder quarters = new StringBuilder();
    for (Double ms : warmupQuarters) {
      quarters.append(quarters.length() == 0 ? "" : ", ")
          .append(ms == null ? "-" : String.format(Locale.ROOT, "%.1f", ms));
    }
    System.out.printf(Locale.ROOT, "warm-up: %d untimed 1 %% descent steps (ms a step by quarter:"
        + " %s), %d full-batch steps and %d floor passes in %.1f s%n", warmupJobs, quarters, full,
        full, (System.nanoTime() - start) / 1e9);
    return warmupQuarters;
  }

  /**
   * {@code --steps} 1 % steps of plain SGD through {@link Trainer}, the loop a training run takes
   * (the step's job, then the schedule, the optimizer, the divergence and stop checks and the
   * listener), where the {@code descent_1pct_step} body calls the objective and updates the
   * parameters by hand. The listener ends the run after the last step, so no final objective
   * pass is timed with it; what a call sets up before its first step (the configuration's checks,
   * the plan, the optimizer's state) is shared by its steps, as a training run shares it.
   */
  private void trainerSteps(TrainingData td, long batch) {
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .fitIntercept(false).optimizer("sgd").learningRate(0.1).batchSize(batch)
        .maxSteps((long) steps + 1).minStepSize(0).gradTol(0).build();
    long last = steps;
    TrainingListener listener = r -> {
      if (r.step() == last) {
        throw new StopRun();
      }
    };
    try {
      new Trainer(config, listener).train(td);
    } catch (StopRun e) {
      return;
    }
    throw new IllegalStateException("the Trainer stopped before step " + last);
  }

  /**
   * A full collection once the data is cached, before anything is timed: building the cache
   * leaves gigabytes of garbage (growing row buffers, the blocks' copies) that the collector would
   * otherwise work through, on one of the two cores, during the first timed steps. Hygiene only:
   * the slow first size of {@code --scaling} (0.11–0.14 s against 0.09 s a 1M step) stayed slow
   * with it and was the compiler's warm-up ({@link #warmUpSpark}).
   */
  private static void settleHeap() {
    System.gc();
  }

  /** {@code steps} floor passes, timed like {@code steps} descent steps. */
  private void floorPasses(JavaRDD<DataBlock> blocks) {
    for (int i = 0; i < steps; i++) {
      floorPass(blocks);
    }
  }

  /** The median of {@code t} (sorted in place). */
  static double median(double[] t) {
    Arrays.sort(t);
    int m = t.length / 2;
    return t.length % 2 == 1 ? t[m] : 0.5 * (t[m - 1] + t[m]);
  }

  /**
   * Fails unless every partition of every data set is held in memory: blocks that Spark evicted
   * or spilled to disk would be timed as recomputation or disk reads, not as a pass over cached
   * data.
   */
  private static void requireInMemory(List<TrainingData> data) {
    for (TrainingData td : data) {
      org.apache.spark.storage.RDDInfo info = storageInfo(td.blocks().rdd());
      if (info == null || info.numCachedPartitions() != info.numPartitions()
          || info.diskSize() > 0) {
        String held = info == null ? "no partition cached"
            : info.numCachedPartitions() + " of " + info.numPartitions() + " partitions cached, "
                + info.diskSize() + " bytes on disk";
        throw new IllegalStateException("--scaling caches every size at once, and the "
            + td.totalRows() + "-row data no longer fits in memory (" + held + "): give the JVM"
            + " more heap (DESCENT_JAVA_OPTS=-Xmx19g for 1M+2M+4M rows of 100 features) or"
            + " fewer sizes");
      }
    }
  }

  /** {@code steps} empty jobs ({@link #emptyJob}), timed like {@code steps} descent steps. */
  private void emptyJobs(JavaRDD<DataBlock> blocks) {
    for (int i = 0; i < steps; i++) {
      emptyJob(blocks);
    }
  }

  /**
   * A job shaped like a step (the same {@link Aggregation} at the same depth, one task a cached
   * partition, a result sent back) that counts the blocks' rows and reads none of their arrays:
   * what Spark's scheduling alone costs a step, the part of a 1 % step that descent cannot cut.
   */
  private static void emptyJob(JavaRDD<DataBlock> blocks) {
    blocks.context().setJobDescription("descent bench: empty job");
    double rows = Aggregation.aggregate(blocks, 0.0, (s, b) -> s + b.numRows(), Double::sum,
        stepDepth(blocks, 1));
    if (rows < 1) {
      throw new IllegalStateException("no rows in the cached blocks");
    }
  }

  /** The {@code treeAggregate} depth a training step on these blocks uses by default. */
  private static int stepDepth(JavaRDD<DataBlock> blocks, int numParams) {
    return TrainingConfig.aggregationDepth(TrainingConfig.DEFAULT_AGGREGATION_DEPTH,
        blocks.getNumPartitions(), numParams);
  }

  /**
   * The floor: one job over the cached blocks, shaped like a descent step (the same
   * {@link Aggregation} at the same depth) but without parameters, that reads every array of
   * every block once ({@link #streamBlock}). A step cannot read its data faster than this.
   */
  private static void floorPass(JavaRDD<DataBlock> blocks) {
    blocks.context().setJobDescription("descent bench: floor pass");
    double sum = Aggregation.aggregate(blocks, 0.0, (s, b) -> s + streamBlock(b), Double::sum,
        stepDepth(blocks, 1));
    if (Double.isNaN(sum)) {
      throw new IllegalStateException("NaN in the data");
    }
  }

  /**
   * Every stored number of the block (values, labels, weights, CSR indices) summed in one pass
   * per array, so the pass reads the same bytes as a full-batch gradient once.
   */
  static double streamBlock(DataBlock b) {
    double s = PlainPass.sum(b.values()) + PlainPass.sum(b.labels());
    if (b.weights() != null) {
      s += PlainPass.sum(b.weights());
    }
    if (!b.isDense()) {
      s += streamSum(b.indices()) + streamSum(b.indptr());
    }
    return s;
  }

  /** Σ v[i] of an index array (integer adds, which the JIT vectorizes). */
  static double streamSum(int[] v) {
    long s = 0;
    for (int x : v) {
      s += x;
    }
    return s;
  }

  /** How the raw array bytes of the data are made up. */
  private static String rawNote(TrainingData td) {
    return "labels, values and CSR indices of the blocks (dense 8nd+8n, CSR 12nnz+4(n+blocks)+8n),"
        + " n=" + td.totalRows() + " d=" + td.numFeatures();
  }

  /** "k of p partitions cached", from Spark's storage info. */
  private static String cachedPartitionsNote(org.apache.spark.rdd.RDD<?> rdd) {
    org.apache.spark.storage.RDDInfo info = storageInfo(rdd);
    return info == null ? "not cached"
        : info.numCachedPartitions() + " of " + info.numPartitions() + " partitions cached";
  }

  /** Spark's storage info of {@code rdd}, or null when none of it is cached. */
  private static org.apache.spark.storage.RDDInfo storageInfo(org.apache.spark.rdd.RDD<?> rdd) {
    for (org.apache.spark.storage.RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info;
      }
    }
    return null;
  }

  /** The generated rows, one {@link RowBuffer} per partition. */
  private static JavaRDD<RowBuffer> generatedRows(JavaSparkContext jsc, long n, int d, int p,
      long s) {
    return jsc.parallelize(range(p), p).mapPartitions(it -> {
      int part = it.next();
      RowBuffer b = new RowBuffer();
      SyntheticRows.generate(part, SyntheticRows.partitionRows(n, p, part), d, s,
          (x, y) -> {
            for (int j = 0; j < x.length; j++) {
              b.addFeature(j, x[j]);
            }
            b.endRow(y);
          });
      return Collections.singletonList(b).iterator();
    }, true);
  }

  /**
   * {@code --scaling}: generates and caches the data of every row count at once, then times the
   * full-batch step (one step is one epoch) and the floor of each size in turn, round-robin, one
   * run of {@code --steps} each per round, and reports the median of the rounds. Seconds per
   * million rows of every size are compared with the smallest size's: a deviation of 0 is
   * perfectly linear. Timing the sizes in turn, rather than one after the other, spreads the
   * machine's drift (±20 % over minutes here) over all of them instead of over the ratio.
   *
   * <p>Each size's empty job is timed in the same rounds, because the deviation counts what an
   * epoch pays once as if it were paid per row: Spark's job (2.7–4.5 ms from submission to a
   * task's first block and 1.0–2.8 ms after its last on {@code local[2]}) is a tenth or more of
   * a 1M epoch and a twenty-fifth of a 4M one, so a fold proportional to the rows (as measured,
   * within 0.4 %) still reads −8 to −12 % at 4M. The net deviation (the epoch less the empty
   * job) and the least-squares lines show how much of the deviation that is. The deviation by
   * round compares the sizes' epochs of the same round (see {@link RoundRatios}).
   */
  private int runScaling(SparkSession spark) throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Long> sizes = new ArrayList<>(scaling);
    Collections.sort(sizes);
    List<TrainingData> data = new ArrayList<>();
    List<ScalingPoint> points = new ArrayList<>();
    List<RoundRatios> byRound = new ArrayList<>();
    long[] counter = {0};
    Double steal;
    Double[] warmupQuarters;
    try {
      for (long n : sizes) {
        data.add(TrainingData.fromRows(generatedRows(jsc, n, features, partitions, seed),
            features, seed, true, "generated rows (" + n + ")"));
      }
      requireInMemory(data);
      settleHeap();
      TrainingData smallest = data.get(0);
      warmupQuarters = warmUpSpark(smallest.blocks(), smallest.partitionRows(), features);
      // Per size, its epoch, its floor and Spark's empty job, all in each round (see
      // roundRobinTimes).
      int k = data.size();
      Body[] bodies = new Body[3 * k];
      for (int i = 0; i < k; i++) {
        TrainingData td = data.get(i);
        JavaRDD<DataBlock> blocks = td.blocks();
        MiniBatchPlan plan = new MiniBatchPlan(td.partitionRows(), td.totalRows());
        bodies[3 * i] = () -> descent(blocks, plan, features, counter,
            BatchObjective.CLOSURE_LIMIT);
        bodies[3 * i + 1] = () -> floorPasses(blocks);
        bodies[3 * i + 2] = () -> emptyJobs(blocks);
      }
      CpuSteal stealBefore = CpuSteal.read();
      double[][] times = roundRobinTimes(steps, bodies);
      steal = CpuSteal.share(stealBefore, CpuSteal.read());
      double[] medians = medians(times);
      requireInMemory(data);
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
        System.out.printf(Locale.ROOT, "%,d rows: %.4f s/epoch, %.4f s per million rows, floor"
            + " %.4f s, Spark's empty job %.4f s, cached %.4f x raw%n", point.rows(),
            point.secondsPerEpoch(), point.secondsPerMillionRows(), point.floorSeconds(),
            point.jobSeconds(), (double) point.cachedBytes() / point.rawBytes());
      }
    } finally {
      for (TrainingData td : data) {
        td.unpersist();
      }
    }
    // Each size against the smallest, once, for the table, the CSV and the JSON.
    ScalingPoint smallest = points.get(0);
    int count = points.size();
    double[] deviation = new double[count];
    double[] roundDeviation = new double[count];
    double[] floorDeviation = new double[count];
    double[] netDeviation = new double[count];
    for (int i = 0; i < count; i++) {
      ScalingPoint p = points.get(i);
      deviation[i] = p.secondsPerMillionRows() / smallest.secondsPerMillionRows() - 1.0;
      roundDeviation[i] = byRound.get(i).median() - 1.0;
      floorDeviation[i] = p.floorSecondsPerMillionRows() / smallest.floorSecondsPerMillionRows()
          - 1.0;
      netDeviation[i] = p.netSecondsPerMillionRows() / smallest.netSecondsPerMillionRows() - 1.0;
    }
    double maxDeviation = largest(deviation);
    double maxNetDeviation = largest(netDeviation);
    double maxRoundDeviation = largest(roundDeviation);
    System.out.printf(Locale.ROOT, "%n%12s %10s %12s %10s %10s %10s %10s %10s %10s %14s %10s%n",
        "rows", "s/epoch", "s/1M rows", "deviation", "dev/round", "floor s", "floor dev",
        "job s", "net dev", "cached bytes", "ratio_raw");
    for (int i = 0; i < count; i++) {
      ScalingPoint p = points.get(i);
      System.out.printf(Locale.ROOT, "%12d %10.4f %12.4f %+9.1f%% %+9.1f%% %10.4f %+9.1f%%"
          + " %10.4f %+9.1f%% %14d %10.4f%n", p.rows(), p.secondsPerEpoch(),
          p.secondsPerMillionRows(), 100 * deviation[i], 100 * roundDeviation[i],
          p.floorSeconds(), 100 * floorDeviation[i], p.jobSeconds(), 100 * netDeviation[i],
          p.cachedBytes(), (double) p.cachedBytes() / p.rawBytes());
    }
    // The lines through the sizes split each time into what an epoch pays once and what it pays
    // per row; they need two distinct sizes.
    Map<String, Line> lines = new LinkedHashMap<>();
    if (points.stream().mapToLong(ScalingPoint::rows).distinct().count() >= 2) {
      double[] millions = points.stream().mapToDouble(p -> p.rows() / 1e6).toArray();
      lines.put("epoch", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::secondsPerEpoch).toArray()));
      lines.put("floor", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::floorSeconds).toArray()));
      lines.put("emptyJob", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::jobSeconds).toArray()));
      for (Map.Entry<String, Line> e : lines.entrySet()) {
        System.out.printf(Locale.ROOT, "%-8s = %7.2f ms + %7.2f ms per million rows%n",
            e.getKey(), 1e3 * e.getValue().fixed(), 1e3 * e.getValue().perUnit());
      }
    }
    System.out.printf(Locale.ROOT, "net dev: the epoch less Spark's empty job of the same size,"
        + " per million rows, against the smallest size's (max %+.1f%%); floor dev: the floor"
        + " pass's seconds per million rows against the smallest size's; dev/round: the median"
        + " over the rounds of the same deviation within each round (max %+.1f%%)%n",
        100 * maxNetDeviation, 100 * maxRoundDeviation);
    HugePages pages = HugePages.current();
    System.out.printf(Locale.ROOT, "%d features, %d partitions, master %s, %s, CPU steal during"
        + " the rounds %s; max deviation of seconds per million rows from the smallest size's:"
        + " %+.1f%%%n", features, partitions, jsc.master(), pages.describe(), percent(steal),
        100 * maxDeviation);
    List<BenchTargets.Target> targets = BenchTargets.scaling(maxDeviation, maxRoundDeviation);
    boolean targetsApply = BenchTargets.scalingApplies(smallest.rows(),
        points.get(count - 1).rows(), features, jsc.master());
    BenchTargets.print(System.out, targets, targetsApply, BenchTargets.SCALING_DATA);
    if (output != null) {
      Files.createDirectories(output);
      StringBuilder csv = new StringBuilder("rows,seconds_per_epoch,seconds_per_million_rows,"
          + "deviation,deviation_by_round,floor_seconds,floor_deviation,job_seconds,"
          + "net_deviation,cached_bytes,raw_bytes,cached_ratio\n");
      List<Map<String, Object>> list = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ScalingPoint p = points.get(i);
        double ratio = (double) p.cachedBytes() / p.rawBytes();
        csv.append(String.format(Locale.ROOT,
            "%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%d,%d,%.9g%n", p.rows(),
            p.secondsPerEpoch(), p.secondsPerMillionRows(), deviation[i], roundDeviation[i],
            p.floorSeconds(), floorDeviation[i], p.jobSeconds(), netDeviation[i],
            p.cachedBytes(), p.rawBytes(), ratio));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", p.rows());
        m.put("secondsPerEpoch", p.secondsPerEpoch());
        m.put("secondsPerMillionRows", p.secondsPerMillionRows());
        m.put("deviation", deviation[i]);
        m.put("deviationByRound", roundDeviation[i]);
        m.put("perRowRatioByRound", byRound.get(i).toJson());
        m.put("floorSeconds", p.floorSeconds());
        m.put("floorDeviation", floorDeviation[i]);
        m.put("jobSeconds", p.jobSeconds());
        m.put("netDeviation", netDeviation[i]);
        m.put("cachedBytes", p.cachedBytes());
        m.put("rawBytes", p.rawBytes());
        m.put("cachedRatio", ratio);
        list.add(m);
      }
      Files.writeString(output.resolve("scaling.csv"), csv.toString(), StandardCharsets.UTF_8);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("features", features);
      json.put("partitions", partitions);
      json.put("master", jsc.master());
      json.put("sparkVersion", spark.version());
      json.put("javaVersion", System.getProperty("java.version"));
      json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
      json.put("transparentHugePages", pages.toJson());
      json.put("cpuStealDuringRounds", steal);
      json.put("repetitions", repetitions);
      json.put("warmup", warmup);
      json.put("warmupJobs", warmupJobs);
      json.put("warmupStepMsByQuarter", Arrays.asList(warmupQuarters));
      json.put("steps", steps);
      json.put("sizes", list);
      json.put("maxDeviation", maxDeviation);
      json.put("maxNetDeviation", maxNetDeviation);
      json.put("maxDeviationByRound", maxRoundDeviation);
      Map<String, Object> fits = new LinkedHashMap<>();
      lines.forEach((name, line) -> fits.put(name, line.toJson()));
      json.put("lines", fits);
      json.put("targets", BenchTargets.toJson(targets, targetsApply,
          BenchTargets.SCALING_DATA));
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(output.resolve("scaling.json").toFile(), json);
      System.out.printf("wrote %s and %s%n", output.resolve("scaling.csv"),
          output.resolve("scaling.json"));
    }
    return 0;
  }

  /** The rows of a descent block as MLlib points (labels ±1 → 0/1). */
  static java.util.Iterator<LabeledPoint> toPoints(DataBlock b) {
    List<LabeledPoint> out = new ArrayList<>(b.numRows());
    int d = b.numFeatures();
    double[] y = b.labels();
    double[] v = b.values();
    for (int i = 0; i < b.numRows(); i++) {
      Vector x;
      if (b.isDense()) {
        x = Vectors.dense(Arrays.copyOfRange(v, i * d, (i + 1) * d));
      } else {
        int from = b.indptr()[i];
        int to = b.indptr()[i + 1];
        x = Vectors.sparse(d, Arrays.copyOfRange(b.indices(), from, to),
            Arrays.copyOfRange(v, from, to));
      }
      out.add(new LabeledPoint(y[i] > 0 ? 1.0 : 0.0, x));
    }
    return out.iterator();
  }

  private static List<Integer> range(int n) {
    List<Integer> r = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      r.add(i);
    }
    return r;
  }

  /** The synthetic data: standard normal features, label sign(w·x + noise), w_j = (j % 7 − 3)/3. */
  static final class SyntheticRows {
    private SyntheticRows() {}

    /** Receives one generated row (the array is fresh for every row). */
    @FunctionalInterface
    interface Sink {
      void row(double[] x, double label);
    }

    /** Rows of partition {@code part} when {@code n} rows are split over {@code p}. */
    static long partitionRows(long n, int p, int part) {
      return n / p + (part < n % p ? 1 : 0);
    }

    static double weight(int j) {
      return ((j % 7) - 3) / 3.0;
    }

    /** Generates the partition's rows from a SplittableRandom seeded by (seed, partition). */
    static void generate(int part, long count, int d, long seed, Sink sink) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + part);
      for (long i = 0; i < count; i++) {
        double[] x = new double[d];
        double margin = 0.0;
        for (int j = 0; j < d; j++) {
          x[j] = random.nextGaussian();
          margin += weight(j) * x[j];
        }
        margin += random.nextGaussian();
        sink.row(x, margin > 0 ? 1.0 : -1.0);
      }
    }
  }
}
