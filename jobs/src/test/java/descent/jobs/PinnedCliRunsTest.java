package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.driver.TestSpark;
import descent.driver.ml.DescentLinearRegression;
import descent.driver.ml.DescentLinearRegressionModel;
import descent.driver.ml.DescentLogisticRegression;
import descent.driver.ml.DescentLogisticRegressionModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what the two front ends make of their configuration: runs of {@code descent train} whose
 * options go through schedules (a chain with warmup, plateau with options, one-cycle), the
 * optimizers' default learning rates and the elastic net, and fits of the Spark ML estimators
 * with a schedule, must end with exactly the coefficients and, to 1e-15 relative, the objective
 * recorded in {@code pinned-cli-runs.json}. Reorganizing how options are parsed, checked and
 * defaulted must not change a bit of a model.
 *
 * <p>Run with {@code -Ddescent.pin.write=PATH} to write the records of the current code to PATH
 * (only when a change of the numbers is intended).
 */
class PinnedCliRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECORDS = "/pinned-cli-runs.json";

  private static Path heart;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    TestSpark.session();
    heart = TestSpark.sharedData("heart_scale");
  }

  /** One pinned outcome: the objective and every coefficient and intercept. */
  private record Outcome(double objective, String stopReason, double[] values) {}

  private Outcome train(String name, String... options) {
    SparkSession.setActiveSession(TestSpark.session());
    Path out = dir.resolve(name.replaceAll("[^A-Za-z0-9]+", "-"));
    List<String> args = new ArrayList<>(List.of("train", "--data", heart.toString(), "--model",
        "logistic", "--intercept", "--max-steps", "60", "--progress", "off", "--output",
        out.toString()));
    if (!List.of(options).contains("--reg")) {
      args.addAll(List.of("--reg-l2", "0.0037037037037037"));
    }
    args.addAll(List.of(options));
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertEquals(0, r.exitCode(), r.all());
    try {
      JsonNode model = JSON.readTree(out.resolve("model.json").toFile());
      List<Double> values = new ArrayList<>();
      model.get("coefficients").forEach(row -> {
        if (row.isArray()) {
          row.forEach(v -> values.add(v.doubleValue()));
        } else {
          values.add(row.doubleValue());
        }
      });
      values.add(model.get("intercept").doubleValue());
      JsonNode training = model.get("training");
      return new Outcome(training.get("objective").doubleValue(),
          training.get("stopReason").asText(),
          values.stream().mapToDouble(Double::doubleValue).toArray());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Dataset<Row> heart01() {
    Dataset<Row> df = TestSpark.session().read().format("libsvm").option("numFeatures", "13")
        .load(heart.toString()).repartition(2);
    return df.withColumn("label", functions.when(df.col("label").gt(0), 1.0).otherwise(0.0));
  }

  private static Outcome outcome(Map<String, Object> summary, double[] coefficients,
      double intercept) {
    double[] values = java.util.Arrays.copyOf(coefficients, coefficients.length + 1);
    values[coefficients.length] = intercept;
    return new Outcome(((Number) summary.get("objective")).doubleValue(),
        String.valueOf(summary.get("stopReason")), values);
  }

  private static Outcome logistic(String schedule, double lr) {
    SparkSession.setActiveSession(TestSpark.session());
    DescentLogisticRegressionModel m = new DescentLogisticRegression().setOptimizer("sgd")
        .setLearningRate(lr).setBatchSize(27).setMaxIter(60).setRegParam(1e-3)
        .setStandardization(false).setSchedule(schedule).fit(heart01());
    return outcome(m.trainingSummary(), m.coefficients().toArray(), m.intercept());
  }

  /** The pinned runs by name. */
  private Map<String, Supplier<Outcome>> runs() {
    Map<String, Supplier<Outcome>> runs = new LinkedHashMap<>();
    runs.put("cli sgd momentum, warmup then a chain of linear and cosine", () -> train("chain",
        "--momentum", "0.9", "--lr", "0.5", "--batch-size", "27", "--warmup-steps", "5",
        "--schedule-chain", "linear(tau=20)@20, cosine(t-max=40, eta-min=0.01, lr=0.2)"));
    runs.put("cli adam default lr, plateau with options", () -> train("plateau",
        "--optimizer", "adam", "--batch-size", "27", "--schedule", "plateau", "--factor", "0.5",
        "--plateau-patience", "2", "--threshold-mode", "abs", "--threshold", "1e-3",
        "--min-lr", "1e-3", "--cooldown", "1"));
    runs.put("cli sgd one-cycle", () -> train("one-cycle", "--lr", "0.2", "--batch-size", "27",
        "--schedule", "one-cycle", "--total-steps", "60", "--max-lr", "1", "--pct-start",
        "0.25"));
    runs.put("cli newton default lr", () -> train("newton", "--optimizer", "newton"));
    runs.put("cli lbfgs default lr", () -> train("lbfgs", "--optimizer", "lbfgs"));
    runs.put("cli adam default lr, elastic net", () -> train("elastic-net", "--optimizer",
        "adam", "--batch-size", "27", "--reg", "0.02", "--elastic-net",
        "0.5"));
    runs.put("cli sgd linear decay over its default 100 epochs", () -> train("linear",
        "--lr", "1", "--batch-size", "27", "--schedule", "linear"));
    runs.put("ml logistic sgd, cosine over maxIter", () -> logistic("cosine", 0.5));
    runs.put("ml logistic sgd, step decay", () -> logistic("step(step-size=10, gamma=0.5)", 0.5));
    runs.put("ml linear regression lbfgs default lr", () -> {
      SparkSession.setActiveSession(TestSpark.session());
      DescentLinearRegressionModel m = new DescentLinearRegression().setRegParam(1e-2)
          .setMaxIter(30).fit(heart01());
      return outcome(m.trainingSummary(), m.coefficients().toArray(), m.intercept());
    });
    return runs;
  }

  @Test
  void everyPinnedRunEndsWithItsPinnedModelAndObjective() throws IOException {
    Map<String, Supplier<Outcome>> runs = runs();
    String write = System.getProperty("descent.pin.write");
    if (write != null) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode all = root.putObject("runs");
      runs.forEach((name, run) -> {
        Outcome o = run.get();
        ObjectNode r = all.putObject(name);
        r.put("objective", o.objective());
        r.put("stopReason", o.stopReason());
        ArrayNode bits = r.putArray("bits");
        for (double v : o.values()) {
          bits.add(Long.toHexString(Double.doubleToRawLongBits(v)));
        }
      });
      Files.writeString(Paths.get(write), JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(root));
      return;
    }
    JsonNode root;
    try (InputStream in = PinnedCliRunsTest.class.getResourceAsStream(RECORDS)) {
      assertNotNull(in, RECORDS + " is missing");
      root = JSON.readTree(in);
    }
    assertEquals(root.get("runs").size(), runs.size(), "every pinned run is run");
    for (Map.Entry<String, Supplier<Outcome>> e : runs.entrySet()) {
      String name = e.getKey();
      JsonNode pinned = root.get("runs").get(name);
      assertNotNull(pinned, "no record for " + name);
      Outcome o = e.getValue().get();
      double objective = pinned.get("objective").asDouble();
      assertEquals(objective, o.objective(), 1e-15 * Math.abs(objective), name + ": objective");
      JsonNode bits = pinned.get("bits");
      assertEquals(bits.size(), o.values().length, name);
      for (int j = 0; j < bits.size(); j++) {
        double expected = Double.longBitsToDouble(Long.parseUnsignedLong(bits.get(j).asText(),
            16));
        assertEquals(Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(o.values()[j]),
            name + ": value " + j + " is " + o.values()[j] + ", pinned " + expected);
      }
      assertTrue(o.stopReason().equalsIgnoreCase(pinned.get("stopReason").asText()),
          name + ": stopped by " + o.stopReason());
    }
  }
}
