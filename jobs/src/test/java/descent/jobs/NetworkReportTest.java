package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --report} and {@code descent report} on a network's run ({@code --model mlp} on
 * iris, with validation data): the page draws its loss at every step and its validation loss
 * where it was evaluated, its run table carries the network's objective and optimizer from
 * model.json, and a report that overlays it with a linear softmax run has one series of each run
 * in every chart.
 */
class NetworkReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int NETWORK_STEPS = 40;
  static final int LINEAR_STEPS = 25;

  @TempDir Path dir;

  @Test
  void aNetworksRunReportsAloneAndBesideALinearRun() throws IOException {
    SparkSession.setActiveSession(TestSpark.session());
    Path iris = TestSpark.sharedData("iris.libsvm");
    Path network = dir.resolve("network");
    Path linear = dir.resolve("linear");
    Cli.Result net = Cli.run("train", "--data", iris.toString(), "--model", "mlp", "--hidden",
        "8", "--activation", "tanh", "--optimizer", "adam", "--lr", "0.02", "--batch-size", "30",
        "--validation-fraction", "0.2", "--max-steps", String.valueOf(NETWORK_STEPS), "--seed",
        "3", "--progress", "off", "--report", "--output", network.toString());
    assertEquals(0, net.exitCode(), net::all);
    Cli.Result lin = Cli.run("train", "--data", iris.toString(), "--model", "softmax",
        "--intercept", "--optimizer", "adam", "--lr", "0.05", "--max-steps",
        String.valueOf(LINEAR_STEPS), "--progress", "off", "--output", linear.toString());
    assertEquals(0, lin.exitCode(), lin::all);

    // The run's own page: loss and validation loss at every step, each chart's PNG beside it.
    JsonNode own = ReportTest.reportData(Files.readString(network.resolve("report.html")));
    RunMetrics metrics = RunMetrics.read(network);
    JsonNode lossChart = own.get("charts").get(0);
    assertEquals("loss-step", lossChart.get("id").asText());
    List<String> names = new ArrayList<>();
    for (JsonNode s : lossChart.get("series")) {
      names.add(s.get("name").asText());
    }
    assertEquals(List.of("network", "network (validation)"), names);
    double[] loss = metrics.column("loss");
    JsonNode trainingLoss = lossChart.get("series").get(0).get("y");
    assertEquals(NETWORK_STEPS, trainingLoss.size());
    for (int i = 0; i < NETWORK_STEPS; i++) {
      assertEquals(loss[i], trainingLoss.get(i).asDouble(), 0.0);
    }
    // The validation loss at the steps that evaluated it, in order.
    List<Double> evaluated = new ArrayList<>();
    for (double v : metrics.column("validation_loss")) {
      if (Double.isFinite(v)) {
        evaluated.add(v);
      }
    }
    assertTrue(evaluated.size() >= 2, "validation losses " + evaluated);
    JsonNode validation = lossChart.get("series").get(1).get("y");
    assertEquals(evaluated.size(), validation.size());
    for (int i = 0; i < evaluated.size(); i++) {
      assertEquals(evaluated.get(i), validation.get(i).asDouble(), 0.0);
    }
    for (JsonNode chart : own.get("charts")) {
      Path png = network.resolve(chart.get("png").asText());
      assertNotNull(ImageIO.read(png.toFile()), png + " does not decode");
    }
    // The run table: model.json's objective and the optimizer's settings.
    String page = Files.readString(network.resolve("report.html"), StandardCharsets.UTF_8);
    JsonNode training = JSON.readTree(network.resolve("model.json").toFile()).get("training");
    String objective = String.format(Locale.ROOT, "%.6g", training.get("objective").asDouble());
    assertTrue(page.contains("<td>" + objective + "</td>"), "objective " + objective);
    assertTrue(page.contains("Adam("), "the optimizer's settings");

    // Beside a linear run: one series of each run in every chart, each with its own steps.
    Path comparison = dir.resolve("comparison").resolve("report.html");
    Cli.Result report = Cli.run("report", network.toString(), linear.toString(), "--output",
        comparison.toString());
    assertEquals(0, report.exitCode(), report::all);
    JsonNode both = ReportTest.reportData(Files.readString(comparison));
    for (JsonNode chart : both.get("charts")) {
      List<String> runs = new ArrayList<>();
      for (JsonNode s : chart.get("series")) {
        String run = s.get("run").asText();
        if (!runs.contains(run)) {
          runs.add(run);
        }
        if (!s.get("dashed").asBoolean()) {
          assertEquals(run.equals("network") ? NETWORK_STEPS : LINEAR_STEPS,
              s.get("x").size(), chart.get("id").asText() + " " + s.get("name").asText());
        }
      }
      assertEquals(List.of("network", "linear"), runs, chart.get("id").asText());
    }
  }
}
