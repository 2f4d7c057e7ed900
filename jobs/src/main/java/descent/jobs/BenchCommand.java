package descent.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import descent.core.MiniBatchPlan;
import descent.core.RowBuffer;
import descent.driver.ModelType;
import descent.driver.Objective;
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
 * {@code LogisticRegression} fit, and a floor (one plain pass summing the cached blocks), on the
 * same data in the same session. Every time is the median of {@code --repetitions} runs after
 * {@code --warmup} runs.
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

  @Option(names = "--soak", description = "instead of the table: run this many 1 % steps and"
      + " report the driver heap after GC once Spark's UI retention is full and at the end"
      + " (exit 1 when it grew); e.g. --soak 20000 --rows 20000 --features 20")
  Long soak;

  @picocli.CommandLine.Mixin SparkOptions sparkOptions;

  /** One line of the table. */
  record Result(String name, double seconds, Double ratioToMllib, double ratioToFloor,
      String note) {}

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
      return run(session.spark());
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
      JavaRDD<RowBuffer> buffers = parts.mapPartitions(it -> {
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
      td = TrainingData.fromRows(buffers, d, seed, true, "generated rows");
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

    // ---- timings ----
    JavaRDD<DataBlock> blocks = td.blocks();
    double floor = median(() -> {
      double sum = blocks.map(BenchCommand::sumBlock).reduce(Double::sum);
      if (Double.isNaN(sum)) {
        throw new IllegalStateException("NaN in the data");
      }
    }, 1);

    double mllibFull = median(() -> mllib(mllibData, d, 1.0), steps);
    double mllibSmall = median(() -> mllib(mllibData, d, 0.01), steps);

    long[] partitionRows = td.partitionRows();
    MiniBatchPlan fullPlan = new MiniBatchPlan(partitionRows, n);
    long smallBatch = Math.max(1, Math.round(0.01 * n));
    MiniBatchPlan smallPlan = new MiniBatchPlan(partitionRows, smallBatch);
    long[] stepCounter = {0};
    double descentFull = median(() -> descent(blocks, fullPlan, d, stepCounter), steps);
    double descentSmall = median(() -> descent(blocks, smallPlan, d, stepCounter), steps);

    double[][] lrCoefficients = new double[1][];
    double lrFit = median(() -> lrCoefficients[0] = fitLogisticRegression(frame), 1);
    double lrObjective = Objective.full(blocks, new LogisticLoss(), lrCoefficients[0], false,
        1e-4, 2);

    List<Result> results = new ArrayList<>();
    List<Map<String, Object>> raceResults = new ArrayList<>();
    for (String r : race) {
      if (r.equals("none")) {
        continue;
      }
      RaceEntry entry = RaceEntry.parse(r);
      Map<String, Object> m = race(entry, td, lrObjective);
      raceResults.add(m);
      Object seconds = m.get("secondsToTarget");
      results.add(new Result("descent_" + entry.label() + "_to_ml_objective",
          seconds == null ? Double.NaN : (Double) seconds,
          seconds == null ? null : (Double) seconds / lrFit,
          seconds == null ? Double.NaN : (Double) seconds / floor,
          String.format(Locale.ROOT, "%s steps, gap to ml %.2e%s",
              m.get("stepsToTarget"), m.get("finalGapToMl"),
              seconds == null ? ", target not reached in " + raceSteps + " steps" : "")));
    }
    results.add(new Result("mllib_sgd_full_step", mllibFull, 1.0, mllibFull / floor,
        "runMiniBatchSGD fraction 1.0, per step"));
    results.add(new Result("mllib_sgd_1pct_step", mllibSmall, 1.0, mllibSmall / floor,
        "runMiniBatchSGD fraction 0.01, per step"));
    results.add(new Result("descent_full_step", descentFull, descentFull / mllibFull,
        descentFull / floor, "batch " + n + ", per step"));
    results.add(new Result("descent_1pct_step", descentSmall, descentSmall / mllibSmall,
        descentSmall / floor, "batch " + smallBatch + ", per step"));
    results.add(new Result("floor_pass", floor, floor / mllibFull, 1.0,
        "one pass summing the cached blocks"));
    results.add(new Result("ml_logreg_fit", lrFit, null, lrFit / floor,
        String.format(Locale.ROOT, "maxIter 100, objective %.12g", lrObjective)));

    // ---- report ----
    String sparkVersion = spark.version();
    int cores = Runtime.getRuntime().availableProcessors();
    int parallelism = jsc.defaultParallelism();
    String jvm = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + ")";
    System.out.printf(Locale.ROOT, "spark %s, master %s, %d cores (defaultParallelism %d), java %s%n",
        sparkVersion, jsc.master(), cores, parallelism, jvm);
    System.out.printf(Locale.ROOT,
        "median of %d runs after %d warm-up; steps per run %d; ratio_mllib = / MLlib's matching"
            + " step, or / Spark ML LogisticRegression fit for *_to_ml_objective (floor: / MLlib"
            + " full step)%n", repetitions, warmup, steps);
    System.out.printf(Locale.ROOT, "%-22s %12s %12s %12s  %s%n", "name", "seconds",
        "ratio_mllib", "ratio_floor", "note");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-22s %12.6f %12s %12.3f  %s%n", r.name(), r.seconds(),
          r.ratioToMllib() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratioToMllib()),
          r.ratioToFloor(), r.note());
    }
    System.out.printf(Locale.ROOT, "ml_logreg objective (mean log-loss + 1e-4/2 ||w||^2): %.15g%n",
        lrObjective);

    if (output != null) {
      Files.createDirectories(output);
      StringBuilder csv = new StringBuilder("name,seconds,ratio_to_mllib,ratio_to_floor\n");
      for (Result r : results) {
        csv.append(String.format(Locale.ROOT, "%s,%.9g,%s,%.9g%n", r.name(), r.seconds(),
            r.ratioToMllib() == null ? "" : String.format(Locale.ROOT, "%.9g", r.ratioToMllib()),
            r.ratioToFloor()));
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
      json.put("environment", env);
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("repetitions", repetitions);
      settings.put("warmup", warmup);
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
      json.put("mlLogisticRegressionObjective", lrObjective);
      json.put("mlLogisticRegressionFitSeconds", lrFit);
      json.put("race", raceResults);
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(output.resolve("bench.json").toFile(), json);
      System.out.printf("wrote %s and %s%n", output.resolve("bench.csv"),
          output.resolve("bench.json"));
    }

    frame.unpersist();
    mllibData.unpersist(false);
    points.unpersist(false);
    td.unpersist();
    return 0;
  }

  /** A timed body. */
  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  /** Median over the repetitions (after the warm-up runs) of the body's seconds / divisor. */
  private double median(Body body, int divisor) throws Exception {
    for (int i = 0; i < warmup; i++) {
      body.run();
    }
    double[] t = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      body.run();
      t[i] = (System.nanoTime() - start) / 1e9 / divisor;
    }
    Arrays.sort(t);
    int m = t.length / 2;
    return t.length % 2 == 1 ? t[m] : 0.5 * (t[m - 1] + t[m]);
  }

  private void mllib(JavaRDD<Tuple2<Object, Vector>> data, int d, double fraction) {
    Tuple2<Vector, double[]> r = GradientDescent.runMiniBatchSGD(data.rdd(),
        new LogisticGradient(), new SimpleUpdater(), 1.0, steps, 0.0, fraction,
        Vectors.zeros(d), 0.0);
    if (!Double.isFinite(r._1().apply(0))) {
      throw new IllegalStateException("MLlib SGD diverged");
    }
  }

  /** {@code steps} descent steps: gradient, then w -= lr/sqrt(t)·g/weight (as SimpleUpdater). */
  private void descent(JavaRDD<DataBlock> blocks, MiniBatchPlan plan, int d, long[] counter) {
    LogisticLoss loss = new LogisticLoss();
    double[] w = new double[d];
    for (int t = 1; t <= steps; t++) {
      GradientAccumulator acc = Objective.gradient(blocks, plan, counter[0]++, loss, w, false, 2);
      double[] g = acc.gradientSum();
      double scale = 1.0 / Math.sqrt(t) / Math.max(acc.weightSum(), 1.0);
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

  /** Thrown by the race listener to end a run once the target is met. */
  private static final class TargetReached extends RuntimeException {
    TargetReached() {
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
        throw new TargetReached();
      }
    };
    TrainingResult result = null;
    try {
      result = new Trainer(entry.config(1e-4, raceSteps), listener).train(td);
    } catch (TargetReached e) {
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

  /** Every stored double of the block (values and labels), summed with a plain loop. */
  static double sumBlock(DataBlock b) {
    double s = 0.0;
    double[] v = b.values();
    for (int i = 0; i < v.length; i++) {
      s += v[i];
    }
    double[] y = b.labels();
    for (int i = 0; i < y.length; i++) {
      s += y[i];
    }
    return s;
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
