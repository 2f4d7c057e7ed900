package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import descent.jobs.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent bench} on a tiny generated data set, in-process on the shared session. */
class BenchSmokeTest {
  @TempDir Path dir;

  /** On Linux the CPU steal of the timed rounds is a share of their CPU time. */
  private static void assertStealShare(JsonNode steal, JsonNode root) {
    if (Files.isReadable(Path.of("/proc/stat"))) {
      assertTrue(steal.isNumber() && steal.asDouble() >= 0 && steal.asDouble() <= 1,
          root::toString);
    }
  }

  @Test
  @Timeout(120)
  void benchWritesPositiveTimesAndRatios() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--rows", "2000", "--features", "10", "--repetitions", "1",
        "--warmup", "0", "--warmup-jobs", "3", "--steps", "2", "--race", "lbfgs,newton",
        "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    // Three warm-up steps by quarters: none in the first, one in each of the others.
    assertTrue(r.stdout().matches("(?s).*warm-up: 3 untimed 1 % descent steps \\(ms a step by"
        + " quarter: -, [0-9.]+, [0-9.]+, [0-9.]+\\), 1 full-batch steps.*"), r::all);
    Path csv = dir.resolve("bench.csv");
    Path json = dir.resolve("bench.json");
    assertTrue(Files.exists(csv), r::all);
    assertTrue(Files.exists(json), r::all);

    List<String> lines = Files.readAllLines(csv);
    assertEquals("name,seconds,ratio_to_mllib,ratio_to_floor,bytes,ratio_to_raw", lines.get(0));
    assertEquals(16, lines.size(), () -> String.join("\n", lines));
    for (String line : lines.subList(1, 13)) {
      String[] f = line.split(",", -1);
      assertEquals(6, f.length, line);
      double seconds = Double.parseDouble(f[1]);
      assertTrue(seconds > 0 && Double.isFinite(seconds), line);
      double floorRatio = Double.parseDouble(f[3]);
      assertTrue(floorRatio > 0 && Double.isFinite(floorRatio), line);
      if (!f[0].equals("ml_logreg_fit") && !f[0].equals("mllib_sgd_count_per_call")) {
        double mllibRatio = Double.parseDouble(f[2]);
        assertTrue(mllibRatio > 0 && Double.isFinite(mllibRatio), line);
      }
    }

    for (String line : lines.subList(13, 16)) {
      String[] f = line.split(",", -1);
      assertEquals(6, f.length, line);
      assertTrue(Long.parseLong(f[4]) > 0, line);
      double rawRatio = Double.parseDouble(f[5]);
      assertTrue(rawRatio > 0 && Double.isFinite(rawRatio), line);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("floor_pass,")), () -> String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("descent_1pct_trainer_step,")),
        () -> String.join("\n", lines));

    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertEquals(2000, root.get("data").get("rows").asLong());
    assertEquals(10, root.get("data").get("features").asInt());
    assertTrue(root.get("environment").get("sparkVersion").asText().startsWith("4."));
    // The test JVM has jdk.incubator.vector (surefire's argLine, as Spark's launcher adds it).
    assertTrue(root.get("environment").get("logisticSimdLanes").asInt() >= 2, root::toString);
    JsonNode quarters = root.get("settings").get("warmupStepMsByQuarter");
    assertEquals(4, quarters.size(), root::toString);
    assertTrue(quarters.get(0).isNull(), root::toString);
    for (int q = 1; q < 4; q++) {
      assertTrue(quarters.get(q).asDouble() > 0, root::toString);
    }
    assertStealShare(root.get("environment").get("cpuStealDuringSteps"), root);
    // The test JVM runs without -XX:+UseTransparentHugePages; the heap is on huge pages only
    // where the kernel gives them to every mapping.
    JsonNode pages = root.get("environment").get("transparentHugePages");
    assertEquals(false, pages.get("jvmFlag").asBoolean(), root::toString);
    assertEquals(pages.get("system").asText().equals("always"), pages.get("heap").asBoolean(),
        root::toString);
    JsonNode results = root.get("results");
    assertEquals(12, results.size());
    for (JsonNode res : results) {
      double s = res.get("seconds").asDouble();
      assertTrue(s > 0 && Double.isFinite(s), res::toString);
      assertTrue(res.has("ratioToMllib") && res.has("ratioToFloor"), res::toString);
      assertTrue(res.get("ratioToFloor").asDouble() > 0, res::toString);
    }
    // Both second-order methods reach Spark ML's objective (within 1e-6) on this small problem.
    JsonNode race = root.get("race");
    assertEquals(2, race.size());
    for (JsonNode entry : race) {
      assertTrue(entry.get("secondsToTarget").asDouble() > 0, entry::toString);
      assertTrue(entry.get("finalGapToMl").asDouble() <= 1e-6, entry::toString);
    }
    // One round: the full step against the floor of that round, the same as the medians' ratio.
    JsonNode byRound = root.get("fullStepToFloorByRound");
    assertEquals(1, byRound.get("ratios").size(), root::toString);
    double fullToFloor = 0.0;
    for (JsonNode res : results) {
      if (res.get("name").asText().equals("descent_full_step")) {
        fullToFloor = res.get("ratioToFloor").asDouble();
      }
    }
    assertEquals(fullToFloor, byRound.get("median").asDouble(), 1e-12 * fullToFloor,
        root::toString);
    assertTrue(r.stdout().contains("descent_full_step / floor_pass of the same round"), r::all);
    // The targets, judged on this run's medians: stated for 1M x 100, so for reference here.
    JsonNode targets = root.get("targets");
    assertFalse(targets.get("applyToThisRun").asBoolean(), root::toString);
    assertEquals(5, targets.get("targets").size(), root::toString);
    JsonNode floorTarget = targets.get("targets").get(1);
    assertEquals("descent_full_step / floor_pass", floorTarget.get("name").asText());
    assertEquals(fullToFloor, floorTarget.get("value").asDouble(), 1e-12 * fullToFloor);
    assertEquals(fullToFloor <= 1.5, floorTarget.get("met").asBoolean(), root::toString);
    // Both racers got there: the race target is the faster one's time against the fit's.
    assertTrue(targets.get("targets").get(3).get("value").asDouble() > 0, root::toString);
    assertTrue(r.stdout().contains("this run's data differ, so for reference only"), r::all);
    double objective = root.get("mlLogisticRegressionObjective").asDouble();
    assertTrue(objective > 0 && objective < Math.log(2), "objective " + objective);

    // Cached bytes come from Spark's storage info; dense blocks cost little beyond their arrays.
    JsonNode memory = root.get("memory");
    assertEquals(3, memory.size(), memory::toString);
    assertEquals("raw_arrays", memory.get(0).get("name").asText());
    assertEquals(8L * 2000 * 10 + 8L * 2000, memory.get(0).get("bytes").asLong());
    assertEquals("descent_cached_blocks", memory.get(1).get("name").asText());
    double descentRatio = memory.get(1).get("ratioToRaw").asDouble();
    assertTrue(descentRatio >= 1.0 && descentRatio <= 1.05, memory::toString);
    // The cached-bytes target judges the same measurement the memory table shows.
    assertEquals(descentRatio, targets.get("targets").get(4).get("value").asDouble(), 0.0,
        root::toString);
    assertEquals("mllib_cached_points", memory.get(2).get("name").asText());
    assertTrue(memory.get(2).get("ratioToRaw").asDouble() > 1.0, memory::toString);
    boolean floor = false;
    boolean emptyJob = false;
    for (JsonNode res : results) {
      floor |= res.get("name").asText().equals("floor_pass");
      emptyJob |= res.get("name").asText().equals("spark_empty_job");
    }
    assertTrue(floor, results::toString);
    assertTrue(emptyJob, results::toString);
  }

  @Test
  @Timeout(120)
  void scalingReportsSecondsPerMillionRowsAndDeviation() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--scaling", "2000,4000", "--features", "5",
        "--repetitions", "1", "--warmup", "0", "--warmup-jobs", "2", "--steps", "1",
        "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("max deviation"), r::all);
    List<String> lines = Files.readAllLines(dir.resolve("scaling.csv"));
    assertEquals("rows,seconds_per_epoch,seconds_per_million_rows,deviation,deviation_by_round,"
        + "floor_seconds,floor_deviation,job_seconds,net_deviation,cached_bytes,raw_bytes,"
        + "cached_ratio", lines.get(0));
    assertEquals(3, lines.size(), () -> String.join("\n", lines));
    JsonNode root = new ObjectMapper().readTree(dir.resolve("scaling.json").toFile());
    assertStealShare(root.get("cpuStealDuringRounds"), root);
    JsonNode sizes = root.get("sizes");
    assertEquals(2000, sizes.get(0).get("rows").asLong());
    assertEquals(4000, sizes.get(1).get("rows").asLong());
    assertEquals(0.0, sizes.get(0).get("deviation").asDouble());
    assertEquals(0.0, sizes.get(0).get("netDeviation").asDouble());
    assertEquals(0.0, sizes.get(0).get("floorDeviation").asDouble());
    assertEquals(0.0, sizes.get(0).get("deviationByRound").asDouble());
    // One round: the same-round deviation is the deviation of the medians.
    assertEquals(sizes.get(1).get("deviation").asDouble(),
        sizes.get(1).get("deviationByRound").asDouble(), 1e-12, sizes::toString);
    for (JsonNode size : sizes) {
      assertTrue(size.get("jobSeconds").asDouble() > 0, size::toString);
      assertTrue(size.get("secondsPerEpoch").asDouble() > 0, size::toString);
      assertTrue(size.get("secondsPerMillionRows").asDouble() > 0, size::toString);
      assertEquals(8L * size.get("rows").asLong() * 6, size.get("rawBytes").asLong());
      assertTrue(size.get("cachedRatio").asDouble() >= 1.0, size::toString);
    }
    assertTrue(Double.isFinite(root.get("maxDeviation").asDouble()), root::toString);
    assertTrue(Double.isFinite(root.get("maxNetDeviation").asDouble()), root::toString);
    // Two sizes: each line passes through both of its points.
    JsonNode epoch = root.get("lines").get("epoch");
    for (JsonNode size : sizes) {
      double millions = size.get("rows").asLong() / 1e6;
      assertEquals(size.get("secondsPerEpoch").asDouble(), epoch.get("fixedSeconds").asDouble()
          + millions * epoch.get("secondsPerMillionRows").asDouble(), 1e-12, root::toString);
    }
    assertTrue(root.get("lines").has("floor"), root::toString);
    assertTrue(root.get("lines").has("emptyJob"), root::toString);
    assertTrue(r.stdout().contains("net dev"), r::all);
    JsonNode targets = root.get("targets");
    assertFalse(targets.get("applyToThisRun").asBoolean(), root::toString);
    assertEquals(Math.abs(root.get("maxDeviation").asDouble()) <= 0.15,
        targets.get("targets").get(0).get("met").asBoolean(), root::toString);
  }

  /**
   * {@code --mlp} on 1000 generated rows of 3 classes: both step times, Spark ML's training loss
   * as descent's forward pass computes it at Spark's weights (which must agree with Spark's own
   * objective history), and every setting of the grid timed to that loss.
   */
  @Test
  @Timeout(180)
  void mlpTimesAStepAndTheTimeToSparkMlsTrainingLoss() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--mlp", "8", "--rows", "1000", "--features", "10",
        "--classes", "3", "--repetitions", "1", "--warmup", "0", "--steps", "10",
        "--mlp-grid", "adam:0.05:100,lbfgs", "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    JsonNode root = new ObjectMapper().readTree(dir.resolve("mlp.json").toFile());
    assertEquals("[10,8,3]", root.get("layers").toString(), root::toString);
    assertEquals(10 * 8 + 8 * 3 + 8 + 3, root.get("parameters").asInt(), root::toString);
    assertEquals(3, root.get("data").get("classes").asInt(), root::toString);
    double pass = root.get("descentPassSeconds").asDouble();
    double iteration = root.get("sparkGdIterationSeconds").asDouble();
    assertTrue(pass > 0 && Double.isFinite(iteration), root::toString);
    assertEquals(pass / iteration, root.get("stepRatio").asDouble(), 1e-12 * Math.abs(pass
        / iteration), root::toString);
    // gd's loss falls every iteration here, so the loss at Spark's final weights lies below the
    // history's last entry (the loss before the last step), by less than a step's fall.
    double loss = root.get("sparkTrainingLoss").asDouble();
    double last = root.get("sparkObjectiveHistoryLast").asDouble();
    assertTrue(loss < last && loss > last - 0.05, root::toString);
    assertEquals(20, root.get("sparkIterations").asInt(), root::toString);
    JsonNode grid = root.get("grid");
    assertEquals(2, grid.size(), root::toString);
    for (JsonNode g : grid) {
      assertEquals(1, g.get("reachedInRuns").asInt(), g::toString);
      assertTrue(g.get("secondsToTarget").asDouble() > 0, g::toString);
    }
    double ratio = root.get("timeToLossRatio").asDouble();
    assertTrue(ratio > 0 && Double.isFinite(ratio), root::toString);
    assertTrue(r.stdout().contains("descent / Spark ML, time to Spark's training loss: "), r::all);
  }

  @Test
  void mlpOptionsAreRefusedBeforeSparkStarts() {
    Cli.Result r = Cli.run("bench", "--mlp", "8", "--classes", "1", "--mlp-grid", "adam:x");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--classes must be at least 2, got 1"), r::all);
    assertTrue(r.err().contains("--mlp-grid adam:x: the learning rate or batch of 'adam:x' is"
        + " not a number"), r::all);
    Cli.Result stray = Cli.run("bench", "--mlp-grid", "lbfgs");
    assertEquals(1, stray.exitCode(), stray::all);
    assertTrue(stray.err().contains("--classes, --mlp-step-size and --mlp-grid apply to --mlp"),
        stray::all);
  }

  @Test
  void negativeWarmupJobsAreRefusedBeforeSparkStarts() {
    Cli.Result r = Cli.run("bench", "--warmup-jobs", "-1");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--warmup-jobs must be >= 0, got -1"), r::all);
  }

  @Test
  void scalingRefusesData() {
    Cli.Result r = Cli.run("bench", "--scaling", "1000", "--data", "x.libsvm");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--scaling"), r::all);
  }

  @Test
  @Timeout(120)
  void soakModeReportsTheDriverHeap() {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--rows", "2000", "--features", "5", "--soak", "60");
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("soak: 60 steps") && r.stdout().contains("MiB"), r::all);
  }
}
