package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SVM and Huber models from the command line: {@code train} writes their model type (and
 * Huber's δ) to model.json, {@code evaluate} prints accuracy and AUC for the SVMs and RMSE and
 * R² for Huber, and {@code predict} writes {@code class,margin} for the SVMs and the fitted value
 * for Huber.
 */
class SvmAndHuberCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** LIBLINEAR's L2R_L2LOSS_SVC optimum on heart_scale at C = 1 (see SvmAndHuberOnRealDataTest). */
  private static final double HEART_SQUARED_HINGE_OPTIMUM = 0.448647127543963;
  private static final String HEART_REG = "0.0037037037037037037";

  @TempDir static Path shared;
  private static Path heart;
  private static Path lpsa;

  @TempDir Path dir;

  @BeforeAll
  static void data() {
    TestSpark.session();
    heart = TestSpark.sharedData("heart_scale");
    lpsa = TestSpark.sharedData("lpsa.libsvm");
    assertTrue(Files.exists(heart) && Files.exists(lpsa), "../shared/data is missing");
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private static Cli.Result run(String... args) {
    Cli.Result r = Cli.run(args);
    assertEquals(0, r.exitCode(), r::all);
    return r;
  }

  /** The "name value" lines evaluate prints. */
  private static Map<String, Double> metrics(String stdout) {
    Map<String, Double> m = new HashMap<>();
    Matcher matcher = Pattern.compile("(?m)^(\\w+)\\s+(\\S+)\\s*$").matcher(stdout);
    while (matcher.find()) {
      try {
        m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
      } catch (NumberFormatException e) {
        // not a metric line
      }
    }
    return m;
  }

  /** Every line of the part-* files under {@code out}, in file name order. */
  private static List<String> predictions(Path out) throws IOException {
    List<Path> parts;
    try (Stream<Path> s = Files.list(out)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path p : parts) {
      lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
    return lines;
  }

  /** {@code w·x + b} of the first row of a LIBSVM file under a model.json. */
  private static double firstMargin(Path data, JsonNode model) throws IOException {
    JsonNode w = model.get("coefficients");
    String[] tokens = Files.readAllLines(data).get(0).trim().split("\\s+");
    double m = model.get("intercept").asDouble();
    for (int t = 1; t < tokens.length; t++) {
      String[] iv = tokens[t].split(":");
      m += w.get(Integer.parseInt(iv[0]) - 1).asDouble() * Double.parseDouble(iv[1]);
    }
    return m;
  }

  @Test
  void squaredHingeWithNewtonReachesTheOptimumAndReportsAccuracy() throws IOException {
    Path model = dir.resolve("model");
    run("train", "--data", heart.toString(), "--model", "squared-hinge", "--optimizer",
        "newton", "--reg-l2", HEART_REG, "--max-steps", "50", "--tol", "1e-12",
        "--eval-every", "1", "--progress-seconds", "1000", "--output", model.toString());
    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("squared-hinge", json.get("modelType").asText());
    assertFalse(json.has("huberDelta"), "only Huber models record δ");
    double objective = json.get("training").get("objective").asDouble();
    assertEquals(HEART_SQUARED_HINGE_OPTIMUM, objective, 1e-9 * HEART_SQUARED_HINGE_OPTIMUM);

    Cli.Result e = run("evaluate", "--data", heart.toString(), "--model", model.toString());
    Map<String, Double> m = metrics(e.stdout());
    assertEquals(java.util.Set.of("rows", "objective", "accuracy", "auc"), m.keySet(), e::all);
    assertEquals(objective, m.get("objective"), 1e-12 * objective, e::all);
    assertTrue(m.get("accuracy") > 0.8 && m.get("auc") > 0.85, e::all);
  }

  @Test
  void hingeTrainsWithAveragedSgdAndPredictsClassAndMargin() throws IOException {
    Path model = dir.resolve("model");
    run("train", "--data", heart.toString(), "--model", "hinge", "--reg-l2", HEART_REG,
        "--schedule", "inverse-time", "--lr", "1", "--decay", "0.01", "--max-steps", "60",
        "--average", "polyak", "--average-start", "30", "--progress-seconds", "1000",
        "--output", model.toString());
    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("hinge", json.get("modelType").asText());

    Cli.Result e = run("evaluate", "--data", heart.toString(), "--model", model.toString());
    Map<String, Double> m = metrics(e.stdout());
    assertEquals(java.util.Set.of("rows", "objective", "accuracy", "auc"), m.keySet(), e::all);
    assertTrue(m.get("accuracy") > 0.8, e::all);

    Path out = dir.resolve("predictions");
    run("predict", "--data", heart.toString(), "--model", model.toString(), "--output",
        out.toString());
    List<String> lines = predictions(out);
    assertEquals(270, lines.size());
    Pattern format = Pattern.compile("([01]),(\\S+)");
    for (String line : lines) {
      Matcher p = format.matcher(line);
      assertTrue(p.matches(), "bad prediction line: " + line);
      assertEquals(Double.parseDouble(p.group(2)) > 0 ? "1" : "0", p.group(1), line);
    }
    assertEquals(firstMargin(heart, json), Double.parseDouble(lines.get(0).split(",")[1]),
        1e-12, lines.get(0));
  }

  @Test
  void huberRecordsDeltaReportsRmseAndPredictsValues() throws IOException {
    Path model = dir.resolve("model");
    run("train", "--data", lpsa.toString(), "--model", "huber", "--huber-delta", "0.5",
        "--intercept", "--optimizer", "newton", "--reg-l2", "1e-3", "--max-steps", "50",
        "--tol", "1e-12", "--eval-every", "1", "--progress-seconds", "1000", "--output",
        model.toString());
    JsonNode json = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("huber", json.get("modelType").asText());
    assertEquals(0.5, json.get("huberDelta").asDouble(), 0.0);

    Cli.Result e = run("evaluate", "--data", lpsa.toString(), "--model", model.toString());
    Map<String, Double> m = metrics(e.stdout());
    assertEquals(java.util.Set.of("rows", "objective", "rmse", "r2"), m.keySet(), e::all);
    // The objective is Huber's with the model's δ = 0.5, as in training.
    assertEquals(json.get("training").get("objective").asDouble(), m.get("objective"), 1e-12,
        e::all);
    assertTrue(m.get("r2") > 0.6 && m.get("rmse") < 0.8, e::all);

    Path out = dir.resolve("predictions");
    run("predict", "--data", lpsa.toString(), "--model", model.toString(), "--output",
        out.toString());
    List<String> lines = predictions(out);
    assertEquals(67, lines.size());
    assertEquals(firstMargin(lpsa, json), Double.parseDouble(lines.get(0)), 1e-12, lines.get(0));
  }

  @Test
  void huberDeltaIsRefusedForOtherModelsAndNewtonForTheHinge() {
    Cli.Result r = Cli.run("train", "--data", lpsa.toString(), "--model", "linear",
        "--huber-delta", "2", "--output", dir.resolve("model").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertEquals("descent: error: --huber-delta applies to --model huber only\n", r.err(),
        r::all);
    r = Cli.run("train", "--data", heart.toString(), "--model", "hinge", "--optimizer", "newton",
        "--output", dir.resolve("model").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertEquals(1, r.err().lines().count(), r::all);
    assertTrue(r.err().contains("--model squared-hinge"), r::all);
    assertFalse(Files.exists(dir.resolve("model").resolve("model.json")));
  }
}
