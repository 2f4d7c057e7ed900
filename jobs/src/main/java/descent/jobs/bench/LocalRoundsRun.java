package descent.jobs.bench;

import descent.core.DataBlock;
import descent.driver.ModelType;
import descent.driver.StepReport;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import descent.driver.schedule.ScheduleSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench --local-rounds}: how long rounds of local steps take to the model, against
 * synchronous 1 % mini-batch SGD and L-BFGS on the same cached data in the same session. Each
 * method trains from zero until the full objective is within 1e-3 (relative) of the optimum,
 * which an L-BFGS run to convergence found first; each grid setting of each method runs
 * {@code --repetitions} times in an order shuffled each repetition ({@link Rounds#order}), and
 * the table has the medians, each method judged at its best setting ({@link Race#toTarget}).
 * Then the best settings race again with every job's tasks delayed by each
 * {@code --job-delay-ms} (a cluster's scheduler, modelled), and per-row SGD (batch 1, rounds of
 * {@code --per-row-steps} H; dense rows only) is timed in rows a second. Last, the targets
 * ({@link BenchTargets}). With {@code --sparse} the data are the CTR-like rows of
 * {@link SparseRows}.
 */
final class LocalRoundsRun {
  /** The relative gap to the optimum a method must reach. */
  static final double TOLERANCE = 1e-3;
  /** The L2 penalty of every run, as the comparison's race. */
  static final double REG_L2 = 1e-4;
  /** The optimum's L-BFGS steps: far more than it needs to converge on these data. */
  static final long OPTIMUM_STEPS = 300;
  /** The rows each per-row SGD measurement reads, at least three rounds. */
  static final long PER_ROW_ROWS = 4_000_000;
  /** The inner rate of the per-row SGD measurement. */
  static final double PER_ROW_LR = 0.01;

  static final String SYNC = "sync 1% SGD";
  static final String ROUNDS = "local rounds";
  static final String LBFGS = "L-BFGS";

  /** One setting of the grid: its method, its label in the table and its configuration. */
  record Setting(String method, String label, TrainingConfig config) {}

  /** A setting's repetitions and their median seconds (null where not reached in most). */
  record Outcome(Setting setting, List<Race.Approach> runs, Double median) {
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", setting.method());
      m.put("setting", setting.label());
      m.put("medianSecondsToTarget", median);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Race.Approach a : runs) {
        Map<String, Object> r = new LinkedHashMap<>();
        Race.Point p = a.reached() != null ? a.reached() : a.last();
        r.put("secondsToTarget", a.seconds());
        r.put("steps", p == null ? null : p.steps());
        r.put("rows", p == null ? null : p.rows());
        r.put("gap", p == null ? null : p.gap());
        list.add(r);
      }
      m.put("runs", list);
      return m;
    }
  }

  /** Per-row SGD at one H: rounds, rows a second (median) and the objective reached. */
  record PerRow(int h, long rounds, double rowsPerSecond, double objective) {}

  private final BenchCommand options;
  private final PrintStream out;

  LocalRoundsRun(BenchCommand options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * The grid of each method for data of {@code n} rows, in the table's order. A setting with a
   * cosine stops at its end (T steps; for rounds, the round whose first inner step reaches T),
   * or at {@code maxSteps} if sooner: past T its rate is 0 and plain SGD no longer moves.
   */
  static List<Setting> grid(long n, List<String> syncSettings, List<String> roundSettings,
      long maxSteps) {
    long batch = Math.max(1, Math.round(0.01 * n));
    List<Setting> grid = new ArrayList<>();
    for (String s : syncSettings) {
      SyncSetting r = SyncSetting.parse(s);
      TrainingConfig.Builder b = base().optimizer("sgd").learningRate(r.lr()).batchSize(batch)
          .maxSteps(r.cosineSteps() == null ? maxSteps : Math.min(maxSteps, r.cosineSteps()));
      if (r.cosineSteps() != null) {
        b.schedule(ScheduleSpec.parse("cosine(t-max=" + r.cosineSteps() + ")"));
      }
      grid.add(new Setting(SYNC, r.label(), b.build()));
    }
    for (String s : roundSettings) {
      RoundSetting r = RoundSetting.parse(s);
      long roundBatch = r.batchFraction() == null ? batch
          : Math.max(1, Math.round(r.batchFraction() * n));
      TrainingConfig.Builder b = base().optimizer("sgd").batchSize(roundBatch).localSteps(r.h())
          .innerLearningRate(r.innerLr()).maxSteps(r.cosineSteps() == null ? maxSteps
              : Math.min(maxSteps, (r.cosineSteps() + r.h() - 1) / r.h()));
      if (r.cosineSteps() != null) {
        b.innerSchedule(ScheduleSpec.parse("cosine(t-max=" + r.cosineSteps() + ")"));
      }
      grid.add(new Setting(ROUNDS, r.label(), b.build()));
    }
    grid.add(new Setting(LBFGS, "defaults", base().optimizer("lbfgs").maxSteps(maxSteps)
        .build()));
    return grid;
  }

  /**
   * One setting of {@code --sync-grid}, {@code LR[:T]}: 1 % mini-batch SGD at rate LR, constant
   * or annealed to 0 by a cosine over T steps.
   */
  record SyncSetting(double lr, Long cosineSteps) {
    static SyncSetting parse(String spec) {
      String[] p = spec.split(":");
      try {
        if (p.length <= 2) {
          SyncSetting r = new SyncSetting(Double.parseDouble(p[0]),
              p.length == 2 ? Long.valueOf(p[1]) : null);
          if (r.lr > 0 && Double.isFinite(r.lr) && (r.cosineSteps == null
              || r.cosineSteps >= 1)) {
            return r;
          }
        }
      } catch (NumberFormatException e) {
        // Refused below.
      }
      throw new IllegalArgumentException("expected LR[:T] with LR > 0 the learning rate and T"
          + " >= 1 the steps of a cosine schedule, got '" + spec + "'");
    }

    String label() {
      return "lr " + number(lr) + (cosineSteps == null ? "" : ", cosine " + cosineSteps);
    }
  }

  /**
   * One setting of {@code --round-grid}, {@code H:LR[:T][@B]}: H inner steps a round of
   * mini-batches of 1 % of the rows (or the fraction B), at inner rate LR, constant or annealed
   * to 0 by a cosine over T inner steps; outer SGD at rate 1 (model averaging).
   */
  record RoundSetting(int h, double innerLr, Long cosineSteps, Double batchFraction) {
    static RoundSetting parse(String spec) {
      int at = spec.indexOf('@');
      String[] p = (at < 0 ? spec : spec.substring(0, at)).split(":");
      try {
        if (p.length == 2 || p.length == 3) {
          RoundSetting r = new RoundSetting(Integer.parseInt(p[0]), Double.parseDouble(p[1]),
              p.length == 3 ? Long.valueOf(p[2]) : null,
              at < 0 ? null : Double.valueOf(spec.substring(at + 1)));
          if (r.h >= 2 && r.innerLr > 0 && Double.isFinite(r.innerLr)
              && (r.cosineSteps == null || r.cosineSteps >= 1)
              && (r.batchFraction == null || r.batchFraction > 0 && r.batchFraction <= 1)) {
            return r;
          }
        }
      } catch (NumberFormatException e) {
        // Refused below.
      }
      throw new IllegalArgumentException("expected H:LR[:T][@B] with H >= 2 inner steps a round,"
          + " LR > 0 the inner rate, T >= 1 the inner steps of a cosine schedule and B in (0, 1]"
          + " the fraction of the rows a mini-batch holds (default 0.01), got '" + spec + "'");
    }

    String label() {
      return "H " + h + ", inner lr " + number(innerLr)
          + (cosineSteps == null ? "" : ", cosine " + cosineSteps)
          + (batchFraction == null ? "" : ", batches of " + number(100 * batchFraction) + " %");
    }
  }

  private static TrainingConfig.Builder base() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).fitIntercept(false)
        .regL2(REG_L2);
  }

  /** Runs the table on {@code spark}; the exit code. */
  int run(SparkSession spark) throws IOException {
    String loadBefore = loadAverage();
    BenchData data = BenchData.load(spark, options);
    TrainingData td = data.training();
    long n = td.totalRows();
    int d = td.numFeatures();
    out.printf(Locale.ROOT, "data: %s, %d rows x %d features in %d partitions%s%n",
        data.source(), n, d, td.partitionRows().length, td.isSparse()
            ? String.format(Locale.ROOT, ", sparse, %.1f nonzeros a row",
                td.storedValues() / (double) n) : "");
    if (td.isSparse() && options.perRowSteps != null && !options.perRowSteps().isEmpty()) {
      data.unpersist();
      throw new IllegalArgumentException("--per-row-steps applies to dense rows only; "
          + data.source() + " is sparse: give --per-row-steps 0");
    }
    WarmUp.settleHeap();
    WarmUp.run(td.blocks(), td.partitionRows(), d, options.warmupJobs, out);
    Environment env = Environment.of(spark);

    long start = System.nanoTime();
    TrainingResult best = new Trainer(base().optimizer("lbfgs").maxSteps(OPTIMUM_STEPS).build(),
        TrainingListener.NONE).train(td);
    double optimum = best.objective();
    out.printf(Locale.ROOT, "optimum: L-BFGS, %d steps (%s), objective %.15g, %.1f s%n",
        best.steps(), best.stopReason().id(), optimum, (System.nanoTime() - start) / 1e9);

    int reps = options.repetitions();
    long evalRows = Math.max(1, n / 10);
    CpuSteal stealBefore = CpuSteal.read();
    List<Setting> grid = grid(n, options.syncGrid(), options.roundGrid(),
        options.raceSteps());
    List<Outcome> outcomes = race(grid, td, td.blocks(), optimum, evalRows, reps,
        options.seed, "", out);
    Map<String, Outcome> bestOf = best(outcomes);

    List<Long> delays = options.jobDelays();
    Map<Long, List<Outcome>> delayed = new LinkedHashMap<>();
    for (long ms : delays) {
      if (ms == 0) {
        delayed.put(0L, new ArrayList<>(bestOf.values()));
        continue;
      }
      List<Setting> settings = new ArrayList<>();
      for (Outcome o : bestOf.values()) {
        settings.add(o.setting());
      }
      delayed.put(ms, race(settings, delayedBy(td, ms), td.blocks(), optimum, evalRows, reps,
          options.seed, ", job delay " + ms + " ms", out));
    }

    List<PerRow> perRow = new ArrayList<>();
    if (td.isSparse()) {
      out.println("per-row SGD: skipped, it applies to dense rows only");
    } else {
      for (int h : options.perRowSteps()) {
        perRow.add(perRow(td, h, reps));
      }
    }
    Double steal = CpuSteal.share(stealBefore, CpuSteal.read());
    String loadAfter = loadAverage();

    Double rounds = median(bestOf.get(ROUNDS));
    Double sync = median(bestOf.get(SYNC));
    Double lbfgs = median(bestOf.get(LBFGS));
    double fastestPerRow = 0;
    for (PerRow p : perRow) {
      fastestPerRow = Math.max(fastestPerRow, p.rowsPerSecond());
    }
    List<BenchTargets.Target> targets = BenchTargets.localRounds(rounds, sync, lbfgs,
        perRow.isEmpty() ? null : fastestPerRow, td.isSparse());
    boolean applies = td.isSparse()
        ? BenchTargets.localRoundsSparseApply(data.source(), n, d, options.nnz, options.zipf,
            env.master())
        : BenchTargets.localRoundsApply(data.source(), n, d, env.master());

    LocalRoundsReport report = new LocalRoundsReport(data.source(), n, d,
        td.partitionRows().length, env, options, optimum, best.steps(), evalRows, outcomes,
        bestOf, delayed, perRow, steal, loadBefore, loadAfter, targets, applies,
        td.isSparse() ? BenchTargets.LOCAL_ROUNDS_SPARSE_DATA : BenchTargets.LOCAL_ROUNDS_DATA);
    report.print(out);
    if (options.output != null) {
      report.write(options.output, out);
    }
    data.unpersist();
    return 0;
  }

  /**
   * Races every setting {@code reps} times, in an order of each repetition's own; the outcomes
   * in the settings' order.
   */
  static List<Outcome> race(List<Setting> settings, TrainingData td,
      JavaRDD<DataBlock> evalBlocks, double optimum, long evalRows, int reps, long seed,
      String delay, PrintStream out) {
    List<List<Race.Approach>> runs = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      runs.add(new ArrayList<>());
    }
    for (int rep = 0; rep < reps; rep++) {
      for (int i : Rounds.order(settings.size(), seed, rep)) {
        Race.Approach a = Race.toTarget(settings.get(i).config(), td, evalBlocks, optimum,
            TOLERANCE, REG_L2, evalRows);
        runs.get(i).add(a);
        Race.Point p = a.reached() != null ? a.reached() : a.last();
        out.printf(Locale.ROOT, "  run %d/%d%s, %s %s: %s%n", rep + 1, reps, delay,
            settings.get(i).method(), settings.get(i).label(), p == null ? "no step"
                : String.format(Locale.ROOT, "%s %.3f s, %d steps, %,d rows, gap %.2e",
                    a.reached() != null ? "reached in" : "not reached in", p.seconds(),
                    p.steps(), p.rows(), p.gap()));
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      double[] seconds = new double[reps];
      for (int rep = 0; rep < reps; rep++) {
        Double s = runs.get(i).get(rep).seconds();
        seconds[rep] = s == null ? Double.POSITIVE_INFINITY : s;
      }
      double m = Rounds.median(seconds);
      outcomes.add(new Outcome(settings.get(i), List.copyOf(runs.get(i)),
          Double.isFinite(m) ? m : null));
    }
    return outcomes;
  }

  /** Each method's fastest setting by median (its first setting where none reached the target). */
  static Map<String, Outcome> best(List<Outcome> outcomes) {
    Map<String, Outcome> best = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      Outcome b = best.get(o.setting().method());
      if (b == null || o.median() != null && (b.median() == null || o.median() < b.median())) {
        best.put(o.setting().method(), o);
      }
    }
    return best;
  }

  private static Double median(Outcome o) {
    return o == null ? null : o.median();
  }

  /**
   * The data read through a view whose every task sleeps {@code ms} first: each job over them
   * starts {@code ms} later, as a cluster's scheduler and task launch would make it. The cores
   * are idle meanwhile, as they are while a cluster's driver schedules.
   */
  static TrainingData delayedBy(TrainingData td, long ms) {
    return td.withBlocks(td.blocks().mapPartitions(it -> {
      Thread.sleep(ms);
      return it;
    }, true));
  }

  /**
   * Per-row SGD in rounds of {@code h}: one untimed run, then {@code reps} runs of at least
   * three rounds and {@link #PER_ROW_ROWS} rows; rows a second over the rounds' own seconds,
   * the median.
   */
  static PerRow perRow(TrainingData td, int h, int reps) {
    long rounds = Math.max(3, (PER_ROW_ROWS + h - 1) / h);
    TrainingConfig config = base().batchSize(1L).localSteps(h).innerLearningRate(PER_ROW_LR)
        .maxSteps(rounds).build();
    double[] rates = new double[reps];
    double objective = Double.NaN;
    for (int rep = -1; rep < reps; rep++) {
      long[] rows = {0};
      double[] seconds = {0};
      TrainingResult r = new Trainer(config, new TrainingListener() {
        @Override
        public void onStep(StepReport s) {
          rows[0] += s.rows();
          seconds[0] += s.stepSeconds();
        }
      }).train(td);
      if (rep >= 0) {
        rates[rep] = rows[0] / seconds[0];
        objective = r.objective();
      }
    }
    return new PerRow(h, rounds, Rounds.median(rates), objective);
  }

  /** The system's load averages over 1, 5 and 15 minutes (Linux), or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", Arrays.asList(f).subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** A rate or a count without trailing zeros. */
  static String number(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }
}
