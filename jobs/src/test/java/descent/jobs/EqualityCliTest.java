package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train --equality FILE}: the model meets the constraints and model.json, the
 * console and the report carry each constraint's multiplier; a bad file, an index beyond the
 * data's features and the settings without the file are errors before training, with no model
 * written.
 */
class EqualityCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private Path constraints(String... lines) throws IOException {
    Path file = dir.resolve("constraints.txt");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private Cli.Result train(Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data",
        TestSpark.sharedData("lpsa.libsvm").toString(), "--num-features", "8", "--model",
        "linear", "--intercept", "--reg-l2", "1e-3", "--optimizer", "newton", "--max-steps",
        "100", "--output", output.toString(), "--progress", "off"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void theModelMeetsTheConstraintsAndReportsTheirMultipliers() throws IOException {
    Path file = constraints("# budget and difference", "1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 = 1",
        "1:1 2:-1 = 0.2");
    Path output = dir.resolve("run");
    Cli.Result r = train(output, "--equality", file.toString(), "--constraint-tol", "1e-10",
        "--report");
    assertEquals(0, r.exitCode(), r::all);
    JsonNode model = JSON.readTree(output.resolve("model.json").toFile());
    JsonNode w = model.get("coefficients");
    double sum = 0;
    for (JsonNode c : w) {
      sum += c.asDouble();
    }
    assertEquals(1.0, sum, 1e-10);
    assertEquals(0.2, w.get(0).asDouble() - w.get(1).asDouble(), 1e-10);
    JsonNode e = model.get("training").get("equality");
    assertEquals(file.toString(), e.get("source").asText());
    assertEquals(List.of(2, 3), List.of(e.get("lines").get(0).asInt(),
        e.get("lines").get(1).asInt()));
    assertEquals(1.0, e.get("values").get(0).asDouble());
    assertEquals(2, e.get("multipliers").size());
    assertTrue(e.get("satisfied").asBoolean());
    assertTrue(e.get("residualNorm").asDouble() <= 1e-10);
    assertEquals(1e-10, e.get("constraintTol").asDouble());
    assertTrue(e.get("outerIterations").asLong() >= 2);
    assertEquals("dense", model.get("training").path("driverStep").asText("dense"));
    double lambda = e.get("multipliers").get(0).asDouble();
    assertTrue(r.stdout().contains(String.format(java.util.Locale.ROOT,
        "  line 2: = 1.00000, multiplier %.9g", lambda)), r::all);
    assertTrue(r.stdout().contains("equality constraints: ||A w - c|| = "), r::all);
    String html = Files.readString(output.resolve("report.html"));
    assertTrue(html.contains("<h2>Equality constraints</h2>"));
    assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.6g", lambda)), html);

    // The same run without the constraints reaches a lower objective, and its budget is off.
    Path free = dir.resolve("free");
    assertEquals(0, train(free).exitCode());
    JsonNode unconstrained = JSON.readTree(free.resolve("model.json").toFile());
    assertFalse(unconstrained.get("training").has("equality"));
    assertTrue(unconstrained.get("training").get("objective").asDouble()
        < model.get("training").get("objective").asDouble());
  }

  private void assertRefused(Cli.Result r, Path output, String message) {
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("descent: error: " + message), r::all);
    assertFalse(Files.exists(output.resolve("model.json")));
  }

  @Test
  void aBadLineIsAnErrorNamingTheFileAndLine() throws IOException {
    Path file = constraints("1:1 2:1 = 1", "3:x = 0");
    Path output = dir.resolve("bad");
    assertRefused(train(output, "--equality", file.toString()), output, "--equality " + file
        + " line 2: the value of index 3 'x' is not a number");
  }

  @Test
  void anInfeasibleFileIsRefused() throws IOException {
    Path file = constraints("1:1 2:1 = 1", "1:2 2:2 = 1");
    Path output = dir.resolve("infeasible");
    assertRefused(train(output, "--equality", file.toString()), output, "--equality " + file
        + ": the constraints are infeasible: line 2's coefficients are 2×line 1, but its value"
        + " 1 is not the same combination of theirs (2)");
  }

  @Test
  void anIndexBeyondTheFeaturesIsRefusedBeforeTraining() throws IOException {
    Path file = constraints("1:1 9:1 = 1");
    Path output = dir.resolve("wide");
    assertRefused(train(output, "--equality", file.toString()), output, "--equality " + file
        + " line 1: index 9 is beyond the model's 8 coefficients (8 features)");
  }

  @Test
  void theSettingsNeedTheFile() {
    Path output = dir.resolve("settings");
    assertRefused(train(output, "--constraint-tol", "1e-8"), output,
        "--constraint-tol needs --equality");
    assertRefused(train(output, "--equality-penalty", "100"), output,
        "--equality-penalty needs --equality");
  }

  @Test
  void aMissingFileIsNamed() {
    Path output = dir.resolve("missing");
    Path file = dir.resolve("nowhere.txt");
    assertRefused(train(output, "--equality", file.toString()), output, "--equality " + file
        + ": cannot read the constraints (NoSuchFileException: " + file + ")");
  }
}
