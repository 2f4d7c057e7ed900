package descent.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TrainingData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison's figures as the reader gets them: the printed table (environment, times and
 * ratios, the full step against the floor round by round, cached bytes, targets), and with
 * {@code --output} the same in {@code bench.csv} and {@code bench.json}.
 *
 * @param warmupQuarters the warm-up's 1 % steps, ms a step by quarter ({@link WarmUp#run})
 * @param steal the CPU steal share during the timed rounds, null where unknown
 * @param race each raced optimizer's JSON object ({@link Race#run})
 * @param heap the driver heap over {@code --sparse}'s run of 1 % steps, null where not run
 * @param targetsApply whether the run's data are those the targets are stated for
 * @param statedFor what the targets are stated for, in words
 */
record ComparisonReport(BenchData data, Environment env, BenchCommand settings,
    Double[] warmupQuarters, Double steal, List<Result> results, List<Memory> memory,
    double lrObjective, double lrFit, List<Map<String, Object>> race, RoundRatios fullToFloor,
    SoakRun.Heap heap, List<BenchTargets.Target> targets, boolean targetsApply,
    String statedFor) {

  /** Prints the table, the memory table and the targets. */
  void print(PrintStream out) {
    out.println(env.describe());
    out.printf(Locale.ROOT,
        "median of %d rounds after %d warm-up, each round timing every step kind once in an order"
            + " of its own; steps per run %d; CPU steal during these rounds %s; ratio_mllib = /"
            + " MLlib's matching step, or / Spark ML LogisticRegression fit for *_to_ml_objective"
            + " (floor: / MLlib full step)%n", settings.repetitions(), settings.warmup,
        settings.steps, Environment.percent(steal));
    out.printf(Locale.ROOT, "%-28s %12s %12s %12s  %s%n", "name", "seconds", "ratio_mllib",
        "ratio_floor", "note");
    for (Result r : results) {
      out.println(r.row());
    }
    out.printf(Locale.ROOT, "ml_logreg objective (mean log-loss + 1e-4/2 ||w||^2): %.15g%n",
        lrObjective);
    out.printf(Locale.ROOT, "descent_full_step / floor_pass of the same round: median"
        + " %.3f, range %.3f-%.3f over %d rounds%n", fullToFloor.median(), fullToFloor.min(),
        fullToFloor.max(), fullToFloor.ratios().length);
    out.printf(Locale.ROOT, "%-28s %14s %10s  %s%n", "memory", "bytes", "ratio_raw", "note");
    for (Memory m : memory) {
      out.println(m.row());
    }
    if (heap != null) {
      out.println(heap.describe("driver heap over 1 % steps (Adam, cosine, through Trainer)"));
    }
    BenchTargets.print(out, targets, targetsApply, statedFor);
  }

  /** Writes {@code bench.csv} and {@code bench.json} into {@code dir}, and says so on out. */
  void write(Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench.csv"), csv(), StandardCharsets.UTF_8);
    new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("bench.json").toFile(), toJson());
    out.printf("wrote %s and %s%n", dir.resolve("bench.csv"), dir.resolve("bench.json"));
  }

  /** bench.csv: one line a result, then one a memory entry. */
  String csv() {
    StringBuilder csv = new StringBuilder(
        "name,seconds,ratio_to_mllib,ratio_to_floor,bytes,ratio_to_raw\n");
    for (Result r : results) {
      csv.append(r.csv());
    }
    for (Memory m : memory) {
      csv.append(m.csv());
    }
    return csv.toString();
  }

  /** bench.json's object. */
  Map<String, Object> toJson() {
    TrainingData td = data.training();
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("source", data.source());
    shape.put("rows", td.totalRows());
    shape.put("features", td.numFeatures());
    shape.put("partitions", td.partitionRows().length);
    if (data.source().equals(BenchData.SPARSE_SOURCE)) {
      shape.put("meanNonzerosPerRow", settings.nnz);
      shape.put("zipfExponent", settings.zipf);
    }
    json.put("data", shape);
    json.put("environment", env.toJson(steal));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("repetitions", settings.repetitions());
    s.put("warmup", settings.warmup);
    s.put("warmupJobs", settings.warmupJobs);
    s.put("warmupStepMsByQuarter", Arrays.asList(warmupQuarters));
    s.put("steps", settings.steps);
    s.put("seed", settings.seed);
    s.put("sparse", settings.sparse);
    if (settings.sparse) {
      s.put("heapSteps", settings.heapSteps);
    }
    json.put("settings", s);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Result r : results) {
      list.add(r.toJson());
    }
    json.put("results", list);
    List<Map<String, Object>> mem = new ArrayList<>();
    for (Memory m : memory) {
      mem.add(m.toJson());
    }
    json.put("memory", mem);
    json.put("mlLogisticRegressionObjective", lrObjective);
    json.put("mlLogisticRegressionFitSeconds", lrFit);
    json.put("race", race);
    json.put("fullStepToFloorByRound", fullToFloor.toJson());
    if (heap != null) {
      json.put("driverHeap", heap.toJson());
    }
    json.put("targets", BenchTargets.toJson(targets, targetsApply, statedFor));
    return json;
  }
}
