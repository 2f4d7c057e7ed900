package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import picocli.CommandLine;

/**
 * {@code descent bench --local-rounds}: its options parse and are checked, and a tiny table (a
 * small grid on 2,000 generated rows, one run each, a job delay of 2 ms) runs to the end and
 * writes its files, and so does a tiny table on the CTR-like sparse rows, whose targets are
 * judged (per-row SGD, dense rows only, unmeasured). Not a timing: the targets are stated for
 * larger data and printed for reference.
 */
class LocalRoundsBenchTest {
  @TempDir Path dir;

  private static BenchCommand parse(String... args) {
    BenchCommand c = new BenchCommand();
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void optionsParseWithTheirDefaults() {
    BenchCommand c = parse("--local-rounds", "--job-delay-ms", "0,20", "--rows", "1000");
    assertTrue(c.localRounds);
    assertEquals(List.of(0L, 20L), c.jobDelays());
    assertEquals(3, c.repetitions(), "three runs a setting by default");
    assertEquals(List.of(BenchCommand.SYNC_GRID.split(",")), c.syncGrid());
    assertEquals(List.of(BenchCommand.ROUND_GRID.split(",")), c.roundGrid());
    assertEquals(List.of(10_000, 100_000), c.perRowSteps());
    assertEquals(1000, c.rows());

    BenchCommand sparse = parse("--local-rounds", "--sparse");
    assertEquals(BenchCommand.LOCAL_ROUNDS_SPARSE_ROWS, sparse.rows());
    assertEquals(BenchCommand.LOCAL_ROUNDS_SPARSE_FEATURES, sparse.features());
    assertEquals(List.of(), sparse.perRowSteps(), "per-row SGD takes dense rows only");
    assertEquals(List.of(BenchCommand.SPARSE_SYNC_GRID.split(",")), sparse.syncGrid());
    assertEquals(List.of(BenchCommand.SPARSE_ROUND_GRID.split(",")), sparse.roundGrid());
    assertEquals(List.of(0L), sparse.jobDelays());
    assertEquals(BenchCommand.SPARSE_ROWS, parse("--sparse").rows(),
        "the sparse comparison keeps its size");

    BenchCommand d = parse("--local-rounds", "--per-row-steps", "0", "--repetitions", "5");
    assertEquals(List.of(0L, 5L, 20L), d.jobDelays());
    assertEquals(List.of(), d.perRowSteps(), "0 skips the per-row measurement");
    assertEquals(5, d.repetitions());
    assertEquals(5, parse().repetitions(), "the comparison keeps its five");
    assertEquals(2000, parse().raceSteps());
    assertEquals(5000, d.raceSteps());

    LocalRoundsRun.RoundSetting r = LocalRoundsRun.RoundSetting.parse("100:0.5");
    assertEquals(100, r.h());
    assertEquals(0.5, r.innerLr());
    assertEquals("H 100, inner lr 0.5", r.label());
    assertEquals("H 10, inner lr 1, cosine 500",
        LocalRoundsRun.RoundSetting.parse("10:1:500").label());
    LocalRoundsRun.RoundSetting small = LocalRoundsRun.RoundSetting.parse("2000:0.7:10000@0.0005");
    assertEquals(0.0005, small.batchFraction());
    assertEquals("H 2000, inner lr 0.7, cosine 10000, batches of 0.05 %", small.label());
    assertEquals(null, r.batchFraction(), "1 % batches unless told");
    assertEquals("lr 2, cosine 1000", LocalRoundsRun.SyncSetting.parse("2:1000").label());
    assertEquals("lr 0.5", LocalRoundsRun.SyncSetting.parse("0.5").label());
    for (String bad : new String[] {"0", "1:0", "x", "1:2:3"}) {
      assertThrows(IllegalArgumentException.class, () -> LocalRoundsRun.SyncSetting.parse(bad),
          bad);
    }
    for (String bad : new String[] {"1:1", "100", "100:0", "x:1", "10:1:0", "10:1:2:3",
        "10:1@0", "10:1:5@1.5", "10:1@x"}) {
      assertThrows(IllegalArgumentException.class, () -> LocalRoundsRun.RoundSetting.parse(bad),
          bad);
    }
  }

  @Test
  void badOptionsAreRefusedBeforeSparkStarts() {
    for (String[] bad : new String[][] {
        {"bench", "--local-rounds", "--job-delay-ms", "-1"},
        {"bench", "--local-rounds", "--round-grid", "1:1"},
        {"bench", "--local-rounds", "--sync-grid", "0"},
        {"bench", "--local-rounds", "--per-row-steps", "1"},
        {"bench", "--local-rounds", "--rows", "50"},
        {"bench", "--local-rounds", "--sparse", "--per-row-steps", "1000"},
        {"bench", "--local-rounds", "--soak", "100"},
        {"bench", "--job-delay-ms", "20"}}) {
      Cli.Result r = Cli.run(bad);
      assertEquals(1, r.exitCode(), r::all);
      assertTrue(r.err().contains("--"), r::all);
    }
  }

  @Test
  void gridMarksEachMethodsFastestSetting() {
    List<LocalRoundsRun.Setting> grid = LocalRoundsRun.grid(10_000, List.of("1", "2"),
        List.of("10:1"), 2000);
    assertEquals(4, grid.size());
    assertEquals(100L, grid.get(0).config().batchSize());
    assertEquals(10, grid.get(2).config().localSteps().steps());
    assertEquals("lbfgs", grid.get(3).config().optimizer().name());
    List<LocalRoundsRun.Setting> cosine = LocalRoundsRun.grid(10_000, List.of("1:300"),
        List.of("100:1:3000", "100:1:2950"), 2000);
    assertEquals(300, cosine.get(0).config().maxSteps(), "past T the rate is 0");
    assertEquals(30, cosine.get(1).config().maxSteps(), "3,000 inner steps in rounds of 100");
    assertEquals(30, cosine.get(2).config().maxSteps(), "round 30 starts at inner step 2,900");
    assertEquals(2000, grid.get(0).config().maxSteps(), "a constant rate runs the budget");
    Race.Point p = new Race.Point(1, 1, 1, 0);
    Race.Approach hit = new Race.Approach(p, p, List.of(p));
    Race.Approach miss = new Race.Approach(null, p, List.of(p));
    List<LocalRoundsRun.Outcome> outcomes = List.of(
        new LocalRoundsRun.Outcome(grid.get(0), List.of(hit), 2.0),
        new LocalRoundsRun.Outcome(grid.get(1), List.of(hit), 1.0),
        new LocalRoundsRun.Outcome(grid.get(2), List.of(miss), null),
        new LocalRoundsRun.Outcome(grid.get(3), List.of(hit), 0.5));
    var best = LocalRoundsRun.best(outcomes);
    assertEquals("lr 2", best.get(LocalRoundsRun.SYNC).setting().label());
    assertNull(best.get(LocalRoundsRun.ROUNDS).median(), "none reached: not a time");
    var targets = BenchTargets.localRounds(null, 1.0, 0.5, 6e6, false);
    assertNull(targets.get(0).met());
    assertTrue(targets.get(2).met(), "6M rows/s is within 0.2 s per million rows");
    assertFalse(BenchTargets.localRounds(0.3, 1.0, 0.5, 4e6, false).get(0).met());
  }

  @Test
  @Timeout(300)
  void tinySparseTableRunsAndJudgesItsTargets() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--local-rounds", "--sparse", "--rows", "3000",
        "--features", "1024", "--nnz", "8", "--repetitions", "1", "--warmup-jobs", "0",
        "--sync-grid", "2:300", "--round-grid", "10:1:300", "--race-steps", "300",
        "--job-delay-ms", "0", "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    String out = r.stdout();
    assertTrue(out.contains("data: generated CTR-like, 3000 rows x 1024 features"), out);
    assertTrue(out.contains(", sparse, "), out);
    assertTrue(out.contains("sync 1% SGD    lr 2, cosine 300"), out);
    assertTrue(out.contains("local rounds   H 10, inner lr 1, cosine 300"), out);
    assertTrue(out.contains("per-row SGD: skipped, it applies to dense rows only"), out);
    assertTrue(out.contains("targets (stated for " + BenchTargets.LOCAL_ROUNDS_SPARSE_DATA
        + "); this run's data differ, so for reference only"), out);

    JsonNode root = new ObjectMapper().readTree(dir.resolve("rounds.json").toFile());
    assertEquals("generated CTR-like", root.get("data").get("source").asText());
    assertEquals(3, root.get("grid").size(), root::toString);
    assertEquals(0, root.get("perRowSgd").size(), root::toString);
    JsonNode targets = root.get("targets");
    assertEquals(BenchTargets.LOCAL_ROUNDS_SPARSE_DATA, targets.get("statedFor").asText());
    assertFalse(targets.get("applyToThisRun").asBoolean());
    assertEquals(3, targets.get("targets").size(), root::toString);
    JsonNode lbfgsTarget = targets.get("targets").get(1);
    assertEquals("local rounds / L-BFGS, s to 1e-3", lbfgsTarget.get("name").asText());
    assertEquals(1.0, lbfgsTarget.get("limit").asDouble());
    JsonNode lbfgs = root.get("grid").get(2);
    assertTrue(lbfgs.get("runs").get(0).get("gap").asDouble() <= 1e-3, root::toString);
    JsonNode rounds = root.get("grid").get(1);
    if (rounds.get("medianSecondsToTarget").isNull()) {
      assertTrue(lbfgsTarget.get("met").isNull(), "unreached: neither met nor missed");
    } else {
      assertEquals(lbfgsTarget.get("value").asDouble() <= 1.0,
          lbfgsTarget.get("met").asBoolean(), root::toString);
    }
    JsonNode perRow = targets.get("targets").get(2);
    assertTrue(perRow.get("met").isNull(), root::toString);
    assertTrue(perRow.get("note").asText().contains("dense rows only"), root::toString);
    List<String> curves = Files.readAllLines(dir.resolve("rounds-curves.csv"));
    assertEquals("method,setting,seconds,steps,rows,gap", curves.get(0));
    assertTrue(curves.size() > 3, () -> String.join("\n", curves));
  }

  @Test
  @Timeout(300)
  void tinyTableRunsAndWritesItsFiles() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--local-rounds", "--rows", "2000", "--features", "5",
        "--repetitions", "1", "--warmup-jobs", "0", "--sync-grid", "2:300", "--round-grid", "10:1:300",
        "--race-steps", "300", "--job-delay-ms", "0,2", "--per-row-steps", "100000",
        "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    String out = r.stdout();
    assertTrue(out.contains("seconds from zero to within 1e-03 of the optimum"), out);
    assertTrue(out.contains("sync 1% SGD    lr 2, cosine 300"), out);
    assertTrue(out.contains("local rounds   H 10, inner lr 1, cosine 300"), out);
    assertTrue(out.contains("with a delay per job"), out);
    assertTrue(out.contains("per-row SGD (batch 1"), out);
    assertTrue(out.contains("this run's data differ, so for reference only"), out);

    JsonNode root = new ObjectMapper().readTree(dir.resolve("rounds.json").toFile());
    assertEquals(2000, root.get("data").get("rows").asLong());
    assertEquals(3, root.get("grid").size(), root::toString);
    JsonNode lbfgs = root.get("grid").get(2);
    assertEquals("L-BFGS", lbfgs.get("method").asText());
    assertTrue(lbfgs.get("medianSecondsToTarget").asDouble() > 0, root::toString);
    assertTrue(lbfgs.get("runs").get(0).get("gap").asDouble() <= 1e-3, root::toString);
    assertEquals(2, root.get("jobDelay").size(), root::toString);
    assertEquals(2, root.get("jobDelay").get(1).get("jobDelayMs").asLong());
    assertEquals(3, root.get("jobDelay").get(1).get("best").size(), root::toString);
    assertTrue(root.get("perRowSgd").get(0).get("rowsPerSecond").asDouble() > 0,
        root::toString);
    assertEquals(3, root.get("targets").get("targets").size(), root::toString);
    assertFalse(root.get("targets").get("applyToThisRun").asBoolean());
    List<String> csv = Files.readAllLines(dir.resolve("rounds.csv"));
    assertEquals("job_delay_ms,method,setting,median_seconds,best", csv.get(0));
    assertEquals(1 + 3 + 3, csv.size(), () -> String.join("\n", csv));
    List<String> curves = Files.readAllLines(dir.resolve("rounds-curves.csv"));
    assertEquals("method,setting,seconds,steps,rows,gap", curves.get(0));
    assertTrue(curves.size() > 3, () -> String.join("\n", curves));
  }
}
