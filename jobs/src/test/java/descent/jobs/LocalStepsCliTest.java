package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import descent.driver.TestSpark;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "--epochs", "20", "--output", out.toString(), "--progress", "off");
    assertEquals(0, r.exitCode(), r::all);
    JsonNode training = new ObjectMapper().readTree(out.resolve("model.json").toFile())
        .get("training");
    assertEquals(40, training.get("steps").asLong());
    assertEquals(20.0, training.get("epochs").asDouble(), 1e-9);
    assertTrue(training.get("objective").asDouble() < 0.38, training.toString());
    String csv = Files.readString(out.resolve("metrics.csv"));
    assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",135,")), csv);
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
