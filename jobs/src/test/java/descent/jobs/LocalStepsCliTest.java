package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import descent.driver.TestSpark;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --local-steps}: rounds train from the command line, count as the run's steps in
 * {@code model.json} and the metrics, and bad values are refused before Spark reads the data.
 */
class LocalStepsCliTest {
  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    TestSpark.session();
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  @Test
  void roundsTrainAndReportTheirRows() throws Exception {
    Path out = dir.resolve("rounds");
    Cli.Result r = Cli.run("train", "--data", TestSpark.sharedData("heart_scale").toString(),
        "--num-features", "13", "--model", "logistic", "--reg-l2", "0.0037", "--batch-size", "27",
        "--local-steps", "5", "--inner-lr", "0.3", "--inner-schedule", "cosine(t-max=200)",
        "--optimizer", "sgd", "--momentum", "0.9", "--nesterov", "--lr", "0.7",
        "--epochs", "20", "--output", out.toString(), "--progress", "lines", "--report");
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("round 1/40  epoch 0.50"), r::all);
    assertTrue(r.stdout().contains("trained logistic model: 40 rounds (20.00 epochs)"), r::all);
    JsonNode training = new ObjectMapper().readTree(out.resolve("model.json").toFile())
        .get("training");
    assertEquals(40, training.get("steps").asLong());
    assertEquals(20.0, training.get("epochs").asDouble(), 1e-9);
    assertTrue(training.get("objective").asDouble() < 0.38, training.toString());
    // The settings of the rounds, as a user reads them back to rerun the model.
    JsonNode local = training.get("localSteps");
    assertEquals(5, local.get("steps").asInt(), training.toString());
    assertFalse(local.has("after"), training.toString());
    assertEquals("sgd", local.get("innerOptimizer").asText());
    assertEquals(0.3, local.get("innerLearningRate").asDouble());
    assertFalse(local.has("innerMomentum"), training.toString());
    assertTrue(local.get("innerSchedule").asText().startsWith("CosineAnnealing(lr0=0.3, tMax=200"), training.toString());
    String csv = Files.readString(out.resolve("metrics.csv"));
    assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",135,")), csv);
    // A round's record: its inner steps and the rows read so far, after the plain columns.
    List<String> lines = csv.lines().toList();
    assertEquals(MetricsWriter.ROUND_HEADER, lines.get(0));
    assertEquals(MetricsWriter.HEADER + ",inner_steps,rows_seen", lines.get(0));
    for (int i = 1; i < lines.size(); i++) {
      assertTrue(lines.get(i).endsWith(",5," + 135 * i), lines.get(i));
    }
    JsonNode last = new ObjectMapper().readTree(Files.readAllLines(
        out.resolve("metrics.jsonl")).get(39));
    assertEquals(40 * 135, last.get("rows_seen").asLong());
    assertEquals(5, last.get("inner_steps").asLong());
    // The report names the step axes for rounds and adds the loss against the rows seen.
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("\"id\":\"loss-rows\""), "loss against rows seen");
    assertTrue(html.contains("\"title\":\"Loss against round\",\"xLabel\":\"round\""),
        "the step axis is a round axis");
    assertTrue(Files.exists(out.resolve("report-loss-rows.png")));
  }

  @Test
  void aRunWithoutLocalStepsKeepsItsColumnsAndItsCharts() throws Exception {
    Path out = dir.resolve("sync");
    Cli.Result r = Cli.run("train", "--data", TestSpark.sharedData("heart_scale").toString(),
        "--num-features", "13", "--model", "logistic", "--batch-size", "27", "--max-steps", "3",
        "--output", out.toString(), "--progress", "lines", "--report");
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("step 1/3  epoch"), r::all);
    assertFalse(r.stdout().contains("round"), r::all);
    assertEquals(MetricsWriter.HEADER, Files.readAllLines(out.resolve("metrics.csv")).get(0));
    assertFalse(new ObjectMapper().readTree(out.resolve("model.json").toFile()).get("training")
        .has("localSteps"));
    assertFalse(Files.readString(out.resolve("report.html")).contains("loss-rows"));
    assertFalse(Files.exists(out.resolve("report-loss-rows.png")));
  }

  @Test
  void badValuesAreRefusedBeforeTraining() {
    Path out = dir.resolve("bad");
    for (String[] bad : new String[][] {{"--local-steps", "0"},
        {"--local-steps", "10", "--inner-optimizer", "newton"},
        {"--local-steps", "10", "--optimizer", "lbfgs"},
        {"--inner-lr", "0.5"}}) {
      String[] args = new String[bad.length + 8];
      System.arraycopy(new String[] {"train", "--data",
          TestSpark.sharedData("heart_scale").toString(), "--model", "logistic", "--output",
          out.toString(), "--progress=off"}, 0, args, 0, 8);
      System.arraycopy(bad, 0, args, 8, bad.length);
      Cli.Result r = Cli.run(args);
      assertEquals(1, r.exitCode(), r::all);
      assertTrue(r.all().contains("--local-steps") || r.all().contains("--inner-"), r::all);
      assertFalse(Files.exists(out.resolve("model.json")));
    }
  }
}
