package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
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

  @Test
  @Timeout(120)
  void benchWritesPositiveTimesAndRatios() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--rows", "2000", "--features", "10", "--repetitions", "1",
        "--warmup", "0", "--steps", "2", "--race", "lbfgs,newton", "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    Path csv = dir.resolve("bench.csv");
    Path json = dir.resolve("bench.json");
    assertTrue(Files.exists(csv), r::all);
    assertTrue(Files.exists(json), r::all);

    List<String> lines = Files.readAllLines(csv);
    assertEquals("name,seconds,ratio_to_mllib,ratio_to_floor", lines.get(0));
    assertEquals(9, lines.size(), () -> String.join("\n", lines));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(4, f.length, line);
      double seconds = Double.parseDouble(f[1]);
      assertTrue(seconds > 0 && Double.isFinite(seconds), line);
      double floorRatio = Double.parseDouble(f[3]);
      assertTrue(floorRatio > 0 && Double.isFinite(floorRatio), line);
      if (!f[0].equals("ml_logreg_fit")) {
        double mllibRatio = Double.parseDouble(f[2]);
        assertTrue(mllibRatio > 0 && Double.isFinite(mllibRatio), line);
      }
    }

    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertEquals(2000, root.get("data").get("rows").asLong());
    assertEquals(10, root.get("data").get("features").asInt());
    assertTrue(root.get("environment").get("sparkVersion").asText().startsWith("4."));
    JsonNode results = root.get("results");
    assertEquals(8, results.size());
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
    double objective = root.get("mlLogisticRegressionObjective").asDouble();
    assertTrue(objective > 0 && objective < Math.log(2), "objective " + objective);
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
