package descent.jobs.bench;

import descent.jobs.DataReader;
import descent.jobs.SparkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent bench}: times descent's gradient step against MLlib's
 * {@code GradientDescent.runMiniBatchSGD} (full batch and 1 %), Spark ML's
 * {@code LogisticRegression} fit, and a memory-bandwidth floor (one job streaming every cached
 * array of the blocks through eight running sums), on the same data in the same session, and
 * compares the bytes Spark caches for descent's blocks and for MLlib's points with the raw
 * arrays ({@link ComparisonRun}). Every time is the median of {@code --repetitions} runs after
 * {@code --warmup} runs. With {@code --scaling} it instead times descent's full-batch epoch at
 * several row counts ({@link ScalingRun}); with {@code --soak}, a long run's driver heap
 * ({@link SoakRun}); with {@code --local-rounds}, the time to the optimum of rounds of local
 * steps against synchronous SGD and L-BFGS ({@link LocalRoundsRun}). It exists so that a claim about descent's speed is a command anyone can
 * rerun on the same data, with the figures it is judged by ({@link BenchTargets}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time descent's gradient steps against Spark MLlib on the same data.")
public final class BenchCommand implements Callable<Integer> {

  /** Generated rows and features of the dense comparison, and of {@code --sparse}. */
  static final long DENSE_ROWS = 200_000;
  static final int DENSE_FEATURES = 100;
  static final long SPARSE_ROWS = 2_000_000;
  static final int SPARSE_FEATURES = 1 << 22;
  /** The dense comparison's racers, and {@code --sparse}'s (Newton is for modest d only). */
  static final String DENSE_RACE = "lbfgs,newton,nesterov:4:1000,lamb:0.05:1000,adam:0.2:1000";
  static final String SPARSE_RACE = "lbfgs";
  /** {@code --local-rounds}' defaults. */
  static final String JOB_DELAYS = "0,5,20";
  static final String SYNC_GRID = "4:3000,8:3000";
  static final String ROUND_GRID = "100:2:3000,1000:1:20000";
  static final String PER_ROW_STEPS = "10000,100000";
  static final int MLP_CLASSES = 10;
  static final double MLP_STEP_SIZE = 2.0;
  static final String MLP_GRID = "adam:0.01:1000,adam:0.003:1000,lbfgs";
  /**
   * {@code --local-rounds --sparse}'s defaults: the CTR-like rows of {@code --sparse} at a size
   * whose table finishes in minutes on two cores, and grids that reach 1e-3 on them (Zipf
   * features make plain SGD slow to converge: the rounds need hundreds of epochs, so long
   * rounds, and one synchronous setting, whose 3,000 steps cost a job each).
   */
  static final long LOCAL_ROUNDS_SPARSE_ROWS = 500_000;
  static final int LOCAL_ROUNDS_SPARSE_FEATURES = 1 << 16;
  static final String SPARSE_JOB_DELAYS = "0";
  static final String SPARSE_SYNC_GRID = "8:3000";
  static final String SPARSE_ROUND_GRID = "1000:1:20000,1000:2:40000";

  @Option(names = "--rows", description = "generated rows (default: " + DENSE_ROWS
      + "; --sparse " + SPARSE_ROWS + "; --local-rounds --sparse " + LOCAL_ROUNDS_SPARSE_ROWS
      + ")")
  Long rows;

  @Option(names = "--features", description = "generated features (default: " + DENSE_FEATURES
      + "; --sparse " + SPARSE_FEATURES + ", 2^22; --local-rounds --sparse "
      + LOCAL_ROUNDS_SPARSE_FEATURES + ", 2^16)")
  Integer features;

  @Option(names = "--sparse", description = "the wide sparse comparison: CTR-like generated"
      + " rows (Zipf-distributed features, logistic labels of a known sparse weight vector) or"
      + " --data, the sparse targets, and the driver heap over --heap-steps 1 %% steps")
  boolean sparse;

  @Option(names = "--nnz", defaultValue = "40", description = "--sparse: mean nonzeros a"
      + " generated row, each row between half and 1.5 times it (default: ${DEFAULT-VALUE})")
  int nnz;

  @Option(names = "--zipf", defaultValue = "1.1", description = "--sparse: exponent s of the"
      + " features' Zipf frequencies, P(rank k) ~ 1/k^s (default: ${DEFAULT-VALUE})")
  double zipf;

  @Option(names = "--heap-steps", defaultValue = "20000", description = "--sparse: 1 %% steps"
      + " of the driver heap's run (0 skips it) (default: ${DEFAULT-VALUE})")
  long heapSteps;

  @Option(names = "--partitions", defaultValue = "2", description = "partitions (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--repetitions", description = "timed runs; the median is reported"
      + " (default: 5; --local-rounds 3)")
  Integer repetitions;

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

  @Option(names = "--hash-features", paramLabel = "BITS", description = "with --data: hash the"
      + " LIBSVM indices into 2^BITS features, as train does")
  Integer hashFeatures;

  @Option(names = "--output", description = "directory for bench.csv and bench.json")
  Path output;

  @Option(names = "--race", split = ",",
      description = "optimizers timed from zero to Spark ML's objective within 1e-6 relative,"
          + " full batch: name[:lr[:T]] with T the steps of a cosine schedule, 'nesterov' for sgd"
          + " with Nesterov momentum 0.9 (default: " + DENSE_RACE + "; --sparse " + SPARSE_RACE
          + "; 'none' to skip)")
  List<String> race;

  @Option(names = "--race-steps",
      description = "step budget of each raced optimizer, and with --local-rounds of each run"
          + " (steps or rounds) (default: 2000; --local-rounds 5000)")
  Long raceSteps;

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

  @Option(names = "--local-rounds", description = "instead of the comparison: seconds to"
      + " within 1e-3 of the optimum for rounds of local steps, synchronous 1 %% SGD and L-BFGS"
      + " (each at the best of a small grid), again under each --job-delay-ms, and per-row SGD's"
      + " rows a second")
  boolean localRounds;

  @Option(names = "--job-delay-ms", split = ",", paramLabel = "MS",
      description = "--local-rounds: delays per Spark job, as a cluster's scheduler adds (every"
          + " task of every job over the data waits MS first); the best settings race again"
          + " under each (default: " + JOB_DELAYS + "; with --sparse " + SPARSE_JOB_DELAYS
          + ")")
  List<Long> jobDelay;

  @Option(names = "--sync-grid", split = ",", paramLabel = "LR[:T]",
      description = "--local-rounds: the grid of synchronous 1 %% SGD, learning rate LR,"
          + " constant or annealed by a cosine over T steps (default: " + SYNC_GRID
          + "; with --sparse " + SPARSE_SYNC_GRID + ")")
  List<String> syncGrid;

  @Option(names = "--round-grid", split = ",", paramLabel = "H:LR[:T][@B]",
      description = "--local-rounds: the grid of local rounds, H inner steps of 1 %% batches (or"
          + " of the fraction B of the rows) at inner rate LR, constant or annealed by a cosine"
          + " over T inner steps, outer SGD at rate 1 (default: " + ROUND_GRID + "; with --sparse "
          + SPARSE_ROUND_GRID + ")")
  List<String> roundGrid;

  @Option(names = "--per-row-steps", split = ",", paramLabel = "H",
      description = "--local-rounds: H of the per-row SGD measurement (batch 1, dense rows"
          + " only), each timed over at least 4,000,000 rows; 0 skips it (default: "
          + PER_ROW_STEPS + "; with --sparse none)")
  List<Integer> perRowSteps;

  @Option(names = "--mlp", split = ",", paramLabel = "N1,N2,...", description = "instead of the"
      + " comparison: a network of these hidden widths (sigmoid, softmax output) against Spark"
      + " ML's MultilayerPerceptronClassifier with the same layers (gd solver), on the same rows:"
      + " one full-batch gradient pass against one gd iteration, and descent's time to the"
      + " training loss of Spark's fit of 2·--steps iterations against that fit's")
  List<Integer> mlp;

  @Option(names = "--classes", description = "--mlp: classes of the generated rows, the output"
      + " layer's units (default: " + MLP_CLASSES + ")")
  Integer classes;

  @Option(names = "--mlp-step-size", description = "--mlp: the step size of Spark ML's gd"
      + " solver (default: " + MLP_STEP_SIZE + ")")
  Double mlpStepSize;

  @Option(names = "--mlp-grid", split = ",", paramLabel = "OPT[:LR[:BATCH]]", description =
      "--mlp: descent's settings timed to Spark ML's training loss, each an optimizer, its"
      + " learning rate and the rows of a mini-batch (full batch when absent or 0); the"
      + " fastest counts (default: " + MLP_GRID + ")")
  List<String> mlpGrid;

  @Mixin SparkOptions sparkOptions;


  /** The step budget of a raced run: {@code --race-steps}, else 2000, or 5000 with --local-rounds. */
  long raceSteps() {
    return raceSteps != null ? raceSteps : localRounds ? 5000 : 2000;
  }

  /** Timed runs: {@code --repetitions}, else 5, or 3 with {@code --local-rounds}. */
  int repetitions() {
    return repetitions != null ? repetitions : localRounds ? 3 : 5;
  }

  /** {@code --job-delay-ms}, else its default (with {@code --sparse} its own). */
  List<Long> jobDelays() {
    return jobDelay != null ? jobDelay : java.util.Arrays.stream(
        (sparse ? SPARSE_JOB_DELAYS : JOB_DELAYS).split(",")).map(Long::valueOf).toList();
  }

  /** {@code --sync-grid}, else its default (with {@code --sparse} its own). */
  List<String> syncGrid() {
    return syncGrid != null ? syncGrid : List.of((sparse ? SPARSE_SYNC_GRID : SYNC_GRID)
        .split(","));
  }

  /** {@code --round-grid}, else its default (with {@code --sparse} its own). */
  List<String> roundGrid() {
    return roundGrid != null ? roundGrid : List.of((sparse ? SPARSE_ROUND_GRID : ROUND_GRID)
        .split(","));
  }

  /**
   * {@code --per-row-steps} without its zeros, else its default: none with {@code --sparse},
   * whose rows per-row SGD does not take.
   */
  List<Integer> perRowSteps() {
    return perRowSteps != null ? perRowSteps.stream().filter(h -> h != 0).toList()
        : sparse ? List.of() : java.util.Arrays.stream(PER_ROW_STEPS.split(",")).map(Integer::valueOf).toList();
  }

  /** {@code --classes}, else its default. */
  int classes() {
    return classes != null ? classes : MLP_CLASSES;
  }

  /** {@code --mlp-step-size}, else its default. */
  double mlpStepSize() {
    return mlpStepSize != null ? mlpStepSize : MLP_STEP_SIZE;
  }

  /** {@code --mlp-grid}, else its default. */
  List<String> mlpGrid() {
    return mlpGrid != null ? mlpGrid : List.of(MLP_GRID.split(","));
  }

  /** Generated rows: {@code --rows}, else the default of the comparison. */
  long rows() {
    return rows != null ? rows
        : sparse ? (localRounds ? LOCAL_ROUNDS_SPARSE_ROWS : SPARSE_ROWS) : DENSE_ROWS;
  }

  /** Generated features: {@code --features}, else the default of the comparison. */
  int features() {
    return features != null ? features
        : sparse ? (localRounds ? LOCAL_ROUNDS_SPARSE_FEATURES : SPARSE_FEATURES)
        : DENSE_FEATURES;
  }

  /** The racers: {@code --race}, else the default of the comparison. */
  List<String> race() {
    return race != null ? race : List.of((sparse ? SPARSE_RACE : DENSE_RACE).split(","));
  }

  /**
   * The racers for a logistic model of {@code numFeatures} features (and an intercept): the
   * default race leaves Newton's method out when its Hessian would pass
   * {@link descent.driver.optim.Newton#MAX_PARAMETERS} parameters; a Newton racer asked for by
   * {@code --race} is refused.
   */
  List<String> race(int numFeatures) {
    if (numFeatures + 1 <= descent.driver.optim.Newton.MAX_PARAMETERS) {
      return race();
    }
    if (race != null) {
      for (String r : race) {
        if (!r.equals("none") && RaceEntry.parse(r).optimizer().equals("newton")) {
          throw new IllegalArgumentException("--race " + r + ": newton keeps a Hessian of the"
              + " model's " + (numFeatures + 1) + " parameters squared; it takes at most "
              + descent.driver.optim.Newton.MAX_PARAMETERS + ". Leave it out of --race for "
              + numFeatures + " features");
        }
      }
      return race;
    }
    return race().stream().filter(r -> !r.startsWith("newton")).toList();
  }

  /** The model's features when known before the data is read, else 0. */
  int knownFeatures() {
    if (data == null) {
      return features();
    }
    return hashFeatures != null ? 1 << Math.min(30, Math.max(0, hashFeatures)) : numFeatures;
  }

  /** The rounds every timing of this run takes: {@code --repetitions}, {@code --warmup}, {@code --seed}. */
  Rounds rounds() {
    return new Rounds(repetitions(), warmup, seed);
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (rows() < 1) {
      problems.add("--rows must be positive, got " + rows());
    }
    if (features() < 1 || features() > descent.core.LibSvmParser.MAX_FEATURES) {
      problems.add("--features must be from 1 to " + descent.core.LibSvmParser.MAX_FEATURES
          + ", got " + features());
    }
    if (sparse) {
      if (nnz < 1 || nnz > features()) {
        problems.add("--nnz must be from 1 to --features (" + features() + "), got " + nnz);
      }
      if (!(zipf > 0) || Double.isInfinite(zipf)) {
        problems.add("--zipf must be a positive number, got " + zipf);
      }
      if (heapSteps != 0 && heapSteps < 2) {
        problems.add("--heap-steps must be 0 (skip) or at least 2, got " + heapSteps);
      }
      if (soak != null || scaling != null) {
        problems.add("--sparse is a comparison of its own; give it without --soak or --scaling");
      }
    }
    if (hashFeatures != null) {
      if (data == null) {
        problems.add("--hash-features applies to --data");
      }
      if (hashFeatures < 1 || hashFeatures > descent.core.FeatureHashing.MAX_BITS) {
        problems.add("--hash-features must be from 1 to " + descent.core.FeatureHashing.MAX_BITS
            + " (2^BITS features), got " + hashFeatures);
      }
    }
    if (partitions < 1) {
      problems.add("--partitions must be positive, got " + partitions);
    }
    if (repetitions() < 1) {
      problems.add("--repetitions must be positive, got " + repetitions());
    }
    if (localRounds) {
      if (soak != null || scaling != null) {
        problems.add("--local-rounds is a table of its own; give it without --soak or"
            + " --scaling");
      }
      if (sparse && !perRowSteps().isEmpty()) {
        problems.add("--per-row-steps applies to dense rows only (per-row SGD does not take"
            + " --sparse rows); give --per-row-steps 0 or leave it out");
      }
      if (rows() < 100) {
        problems.add("--local-rounds needs at least 100 rows (a 1 % batch of one row), got "
            + rows());
      }
      for (long ms : jobDelays()) {
        if (ms < 0) {
          problems.add("--job-delay-ms must be >= 0, got " + ms);
        }
      }
      for (String r : syncGrid()) {
        try {
          LocalRoundsRun.SyncSetting.parse(r);
        } catch (IllegalArgumentException e) {
          problems.add("--sync-grid: " + e.getMessage());
        }
      }
      for (String r : roundGrid()) {
        try {
          LocalRoundsRun.RoundSetting.parse(r);
        } catch (IllegalArgumentException e) {
          problems.add("--round-grid: " + e.getMessage());
        }
      }
      if (syncGrid().isEmpty() || roundGrid().isEmpty()) {
        problems.add("--sync-grid and --round-grid need at least one setting each");
      }
      for (int h : perRowSteps()) {
        if (h < 2) {
          problems.add("--per-row-steps must be at least 2 inner steps a round (0 skips),"
              + " got " + h);
        }
      }
    } else if (jobDelay != null || syncGrid != null || roundGrid != null
        || perRowSteps != null) {
      problems.add("--job-delay-ms, --sync-grid, --round-grid and --per-row-steps apply to"
          + " --local-rounds");
    }
    if (mlp != null) {
      if (sparse || soak != null || scaling != null || localRounds) {
        problems.add("--mlp is a table of its own; give it without --sparse, --soak, --scaling"
            + " or --local-rounds");
      }
      if (mlp.isEmpty() || mlp.stream().anyMatch(h -> h < 1)) {
        problems.add("--mlp must be positive hidden widths, got " + mlp);
      }
      if (classes() < 2) {
        problems.add("--classes must be at least 2, got " + classes());
      }
      if (!(mlpStepSize() > 0) || Double.isInfinite(mlpStepSize())) {
        problems.add("--mlp-step-size must be a positive number, got " + mlpStepSize());
      }
      if (mlpGrid().isEmpty()) {
        problems.add("--mlp-grid needs at least one setting");
      }
      // The grid's settings checked on a network of one unit: the widths are checked above.
      for (String g : mlpGrid()) {
        try {
          MlpRun.Setting s = MlpRun.Setting.parse(g);
          if (s.batch() < 0) {
            problems.add("--mlp-grid " + g + ": the batch must be positive (0: full batch)");
          }
          s.config(new int[] {1}, 2, 1, seed).validate();
        } catch (IllegalArgumentException e) {
          problems.add("--mlp-grid " + g + ": " + e.getMessage());
        }
      }
    } else if (mlpGrid != null || classes != null || mlpStepSize != null) {
      problems.add("--classes, --mlp-step-size and --mlp-grid apply to --mlp");
    }
    if (warmup < 0) {
      problems.add("--warmup must be >= 0, got " + warmup);
    }
    if (steps < 1) {
      problems.add("--steps must be positive, got " + steps);
    }
    if (raceSteps() < 1) {
      problems.add("--race-steps must be positive, got " + raceSteps());
    }
    boolean racersParse = true;
    for (String r : race()) {
      if (r.equals("none")) {
        continue;
      }
      try {
        RaceEntry.parse(r).config(1e-4, 1).validate();
      } catch (IllegalArgumentException e) {
        problems.add("--race " + r + ": " + e.getMessage());
        racersParse = false;
      }
    }
    if (racersParse && knownFeatures() > 0) {
      try {
        race(knownFeatures());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
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
    try (SparkOptions.Session session = sparkOptions.session("descent bench", "local[2]")) {
      return mlp != null ? new MlpRun(this, System.out).run(session.spark())
          : scaling != null ? new ScalingRun(this, System.out).run(session.spark())
          : localRounds ? new LocalRoundsRun(this, System.out).run(session.spark())
          : new ComparisonRun(this, System.out).run(session.spark());
    }
  }
}
