package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train}, {@code evaluate} and {@code predict} end to end in-process, on the shared
 * local session: heart_scale against its reference optimum, and exact linear data read from CSV
 * and Parquet.
 */
class CliTrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** heart_scale, logistic, regL2 = 1/270, no intercept: the optimum of ../shared/data/README.md. */
  private static final double HEART_OPTIMUM = 0.363802961141248;
  private static final String HEART_REG = "0.0037037037037037";
  private static final int HEART_STEPS = 400;

  @TempDir static Path shared;
  private static Path heart;
  private static Path heartModel;
  private static Cli.Result heartTrain;

  @TempDir Path dir;

  @BeforeAll
  static void trainHeartScale() {
    TestSpark.session();
    heart = TestSpark.sharedData("heart_scale");
    assertTrue(Files.exists(heart), heart + " is missing");
    heartModel = shared.resolve("heart-model");
    heartTrain = Cli.run("train", "--data", heart.toString(), "--model", "logistic",
        "--reg-l2", HEART_REG, "--lr", "3", "--max-steps", Integer.toString(HEART_STEPS),
        "--output", heartModel.toString());
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private static JsonNode readJson(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  // ---- heart_scale: train ----

  @Test
  void trainHeartScaleWritesModelAtTheOptimum() throws IOException {
    assertEquals(0, heartTrain.exitCode(), heartTrain::all);
    JsonNode model = readJson(heartModel.resolve("model.json"));
    assertEquals("logistic", model.get("modelType").asText());
    assertEquals(13, model.get("numFeatures").asInt());
    assertEquals(13, model.get("coefficients").size());
    for (JsonNode c : model.get("coefficients")) {
      assertTrue(c.isNumber() && Double.isFinite(c.asDouble()), model::toString);
    }
    assertEquals(0.0, model.get("intercept").asDouble());
    assertFalse(model.get("fitIntercept").asBoolean());
    JsonNode training = model.get("training");
    assertEquals("max_steps", training.get("stopReason").asText());
    assertEquals(HEART_STEPS, training.get("steps").asLong());
    assertEquals(270, training.get("rows").asLong());
    double objective = training.get("objective").asDouble();
    assertEquals(HEART_OPTIMUM, objective, 1e-6 * HEART_OPTIMUM,
        () -> "relative gap " + (objective - HEART_OPTIMUM) / HEART_OPTIMUM);
    assertTrue(objective >= HEART_OPTIMUM - 1e-12, "below the optimum: " + objective);
    assertTrue(heartTrain.stdout().contains("stopped by max_steps"), heartTrain::all);
  }

  @Test
  void trainHeartScaleWritesOneMetricsRowPerStep() throws IOException {
    assertEquals(0, heartTrain.exitCode(), heartTrain::all);
    List<String> lines = Files.readAllLines(heartModel.resolve("metrics.csv"));
    assertEquals(MetricsWriter.HEADER, lines.get(0));
    assertEquals(1 + HEART_STEPS, lines.size());
    List<String> header = List.of(MetricsWriter.HEADER.split(","));
    int rows = header.indexOf("rows");
    int loss = header.indexOf("loss");
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      assertEquals(header.size(), cells.length, lines.get(i));
      assertEquals(i, Long.parseLong(cells[0]), "step column of row " + i);
      assertEquals(270, Long.parseLong(cells[rows]), "full batch reads every row");
    }
    // Full-batch gradient descent at a stable learning rate: the loss of the last step is below
    // the first and above the optimum.
    double first = Double.parseDouble(lines.get(1).split(",")[loss]);
    double last = Double.parseDouble(lines.get(HEART_STEPS).split(",")[loss]);
    assertTrue(last < first, first + " -> " + last);
    assertTrue(last >= HEART_OPTIMUM - 1e-12, "loss below the optimum: " + last);
    assertFalse(Files.exists(heartModel.resolve(".metrics.csv.partial")));
    assertFalse(Files.exists(heartModel.resolve(".metrics.jsonl.partial")));
  }

  // ---- heart_scale: evaluate ----

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

  @Test
  void evaluateHeartScaleMatchesTheTrainingObjective() throws IOException {
    assertEquals(0, heartTrain.exitCode(), heartTrain::all);
    Cli.Result r = Cli.run("evaluate", "--data", heart.toString(), "--model",
        heartModel.toString());
    assertEquals(0, r.exitCode(), r::all);
    Map<String, Double> m = metrics(r.stdout());
    double trained = readJson(heartModel.resolve("model.json")).get("training").get("objective")
        .asDouble();
    assertNotNull(m.get("objective"), r::all);
    assertEquals(trained, m.get("objective"), 1e-9 * trained, r::all);
    assertEquals(270.0, m.get("rows"), r::all);
    assertNotNull(m.get("accuracy"), r::all);
    assertTrue(m.get("accuracy") > 0.8 && m.get("accuracy") <= 1.0, r::all);
    assertNotNull(m.get("auc"), r::all);
    assertTrue(m.get("auc") > 0.85 && m.get("auc") <= 1.0, r::all);
    assertNotNull(m.get("logloss"), r::all);
    assertTrue(m.get("logloss") < m.get("objective"), "the objective adds the L2 penalty");
  }

  // ---- heart_scale: predict ----

  /** Every line of the part-* files under {@code dir}, in file name order. */
  private static List<String> readParts(Path dir) throws IOException {
    List<Path> parts;
    try (Stream<Path> s = Files.list(dir)) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    assertFalse(parts.isEmpty(), "no part files in " + dir);
    List<String> lines = new ArrayList<>();
    for (Path p : parts) {
      lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
    return lines;
  }

  @Test
  void predictHeartScaleWritesOneProbabilityPerRowInInputOrder() throws IOException {
    assertEquals(0, heartTrain.exitCode(), heartTrain::all);
    Path out = dir.resolve("predictions");
    Cli.Result r = Cli.run("predict", "--data", heart.toString(), "--model",
        heartModel.toString(), "--output", out.toString());
    assertEquals(0, r.exitCode(), r::all);
    List<String> lines = readParts(out);
    assertEquals(270, lines.size());
    Pattern format = Pattern.compile("([01]),(\\S+)");
    for (String line : lines) {
      Matcher m = format.matcher(line);
      assertTrue(m.matches(), "bad prediction line: " + line);
      double p = Double.parseDouble(m.group(2));
      assertTrue(p > 0 && p < 1, line);
      assertEquals(p > 0.5 ? "1" : "0", m.group(1), line);
    }

    // The first line is the first row of heart_scale: P(y=+1) = 1/(1+exp(-w·x1)).
    JsonNode coef = readJson(heartModel.resolve("model.json")).get("coefficients");
    String first = Files.readAllLines(heart).get(0).trim();
    double margin = 0;
    String[] tokens = first.split("\\s+");
    for (int t = 1; t < tokens.length; t++) {
      String[] iv = tokens[t].split(":");
      margin += coef.get(Integer.parseInt(iv[0]) - 1).asDouble() * Double.parseDouble(iv[1]);
    }
    double expected = 1.0 / (1.0 + Math.exp(-margin));
    double actual = Double.parseDouble(lines.get(0).split(",")[1]);
    assertEquals(expected, actual, 1e-12, lines.get(0));
  }

  @Test
  void predictRefusesAnExistingOutput() throws IOException {
    assertEquals(0, heartTrain.exitCode(), heartTrain::all);
    Path out = Files.createDirectories(dir.resolve("exists"));
    Cli.Result r = Cli.run("predict", "--data", heart.toString(), "--model",
        heartModel.toString(), "--output", out.toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("already exists"), r::all);
  }

  // ---- exact linear data: CSV and Parquet ----

  /** 20 rows (x1, x2) in [-1, 1] and y = 2·x1 − 3·x2 + 1 exactly. */
  private static double[][] linearRows() {
    Random random = new Random(20240601);
    double[][] rows = new double[20][];
    for (int i = 0; i < rows.length; i++) {
      double x1 = Math.round((2 * random.nextDouble() - 1) * 1000) / 1000.0;
      double x2 = Math.round((2 * random.nextDouble() - 1) * 1000) / 1000.0;
      rows[i] = new double[] {2 * x1 - 3 * x2 + 1, x1, x2};
    }
    return rows;
  }

  private Cli.Result trainLinear(Path data, String format, Path output) {
    return Cli.run("train", "--data", data.toString(), "--format", format, "--model", "linear",
        "--intercept", "--lr", "0.5", "--max-steps", "3000", "--min-step-size", "1e-10",
        "--output", output.toString(), "--progress-seconds", "1000");
  }

  private static void assertRecovered(Cli.Result r, Path output) throws IOException {
    assertEquals(0, r.exitCode(), r::all);
    JsonNode model = readJson(output.resolve("model.json"));
    assertEquals("linear", model.get("modelType").asText());
    assertEquals(2, model.get("numFeatures").asInt());
    assertTrue(model.get("fitIntercept").asBoolean());
    assertEquals(2.0, model.get("coefficients").get(0).asDouble(), 1e-3, model::toString);
    assertEquals(-3.0, model.get("coefficients").get(1).asDouble(), 1e-3, model::toString);
    assertEquals(1.0, model.get("intercept").asDouble(), 1e-3, model::toString);
    assertEquals(20, model.get("training").get("rows").asLong());
    // The fit is exact: the run ends by --min-step-size well inside the 3000-step budget.
    assertEquals("min_step_size", model.get("training").get("stopReason").asText(),
        model::toString);
    assertTrue(model.get("training").get("objective").asDouble() < 1e-6, model::toString);
  }

  @Test
  void trainCsvWithHeaderRecoversTheLinearFunction() throws IOException {
    StringBuilder csv = new StringBuilder("label,x1,x2\n");
    for (double[] row : linearRows()) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%s%n", row[0], row[1], row[2]));
    }
    Path data = Files.writeString(dir.resolve("linear.csv"), csv.toString());
    Path output = dir.resolve("csv-model");
    Cli.Result r = trainLinear(data, "csv", output);
    assertRecovered(r, output);
    JsonNode training = readJson(output.resolve("model.json")).get("training");
    assertEquals("csv", training.get("format").asText());

    // evaluate reads the same CSV (header skipped) and finds the training objective; the fit is
    // exact, so the RMSE is about 0 and R² about 1.
    Cli.Result e = Cli.run("evaluate", "--data", data.toString(), "--format", "csv", "--model",
        output.toString());
    assertEquals(0, e.exitCode(), e::all);
    Map<String, Double> m = metrics(e.stdout());
    assertEquals(20.0, m.get("rows"), e::all);
    assertEquals(training.get("objective").asDouble(), m.get("objective"), 1e-12, e::all);
    assertTrue(m.get("rmse") < 1e-4, e::all);
    assertEquals(1.0, m.get("r2"), 1e-6, e::all);
  }

  @Test
  void trainParquetRecoversTheLinearFunction() throws IOException {
    SparkSession spark = TestSpark.session();
    StructType schema = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", new VectorUDT(), false, Metadata.empty())});
    List<Row> rows = new ArrayList<>();
    for (double[] row : linearRows()) {
      rows.add(RowFactory.create(row[0], Vectors.dense(row[1], row[2])));
    }
    Path data = dir.resolve("linear.parquet");
    spark.createDataFrame(rows, schema).write().parquet(data.toString());
    Path output = dir.resolve("parquet-model");
    Cli.Result r = trainLinear(data, "parquet", output);
    assertRecovered(r, output);
    assertEquals("parquet", readJson(output.resolve("model.json")).get("training")
        .get("format").asText());
  }

  // ---- second-order optimizers ----

  @Test
  void lbfgsReachesTheHeartScaleOptimumAndStopsByItself() throws IOException {
    Path output = dir.resolve("lbfgs");
    Cli.Result r = Cli.run("train", "--data", heart.toString(), "--model", "logistic",
        "--reg-l2", HEART_REG, "--optimizer", "lbfgs", "--history", "5", "--max-steps", "500",
        "--output", output.toString());
    assertEquals(0, r.exitCode(), r::all);
    JsonNode training = readJson(output.resolve("model.json")).get("training");
    double objective = training.get("objective").asDouble();
    assertEquals(HEART_OPTIMUM, objective, 1e-9 * HEART_OPTIMUM);
    assertEquals("no_progress", training.get("stopReason").asText());
    assertEquals(1.0, training.get("learningRate").asDouble(), "lbfgs's default first trial step");
    assertTrue(training.get("steps").asLong() < 500, training::toString);
  }

  @Test
  void historyIsAnLbfgsOption() {
    Cli.Result r = Cli.run("train", "--data", heart.toString(), "--model", "logistic",
        "--optimizer", "newton", "--history", "5", "--output", dir.resolve("x").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--history does not apply to --optimizer newton"), r::all);
    assertFalse(Files.exists(dir.resolve("x")));
  }

  // ---- regularization, averaging, validation ----

  @Test
  void elasticNetAveragingAndValidationFromTheCommandLine() throws IOException {
    Path output = dir.resolve("enet");
    Cli.Result r = Cli.run("train", "--data", heart.toString(), "--model", "logistic",
        "--reg", "0.05", "--elastic-net", "1", "--lr", "3", "--max-steps", "300",
        "--average", "tail", "--average-last", "50", "--validation-fraction", "0.25",
        "--eval-every", "10", "--clip-norm", "10", "--output", output.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("validation: "), r::all);
    JsonNode model = readJson(output.resolve("model.json"));
    JsonNode training = model.get("training");
    assertEquals(0.05, training.get("regL1").asDouble(), 1e-15);
    assertEquals(0.0, training.get("regL2").asDouble(), 0.0);
    assertEquals("polyak from step 251 over 50 iterates", training.get("parameters").asText());
    assertTrue(training.get("bestValidationLoss").asDouble() > 0, training::toString);
    // Averaging L1-thresholded iterates keeps the coefficients that stayed zero at zero.
    int zeros = 0;
    for (JsonNode c : model.get("coefficients")) {
      zeros += c.asDouble() == 0.0 ? 1 : 0;
    }
    assertTrue(zeros >= 1, model::toString);
    long rows = training.get("rows").asLong();
    assertTrue(rows > 170 && rows < 240, "about 3/4 of 270 rows train: " + rows);
  }

  @Test
  void conflictingRegularizationAndValidationOptionsAreRefused() {
    String[][] cases = {
        {"--reg", "0.1", "--reg-l2", "0.1"}, {"give --reg (with --elastic-net) or --reg-l2"},
        {"--elastic-net", "0.5"}, {"--elastic-net needs --reg"},
        {"--patience", "3"}, {"--patience needs validation data"},
        {"--validation-fraction", "0.2", "--test", heart.toString()}, {"not both"},
        {"--average", "ema", "--average-last", "5"}, {"--average ema takes --average-decay only"},
        {"--optimizer", "lbfgs", "--clip-norm", "1"}, {"first-order optimizers"}};
    for (int i = 0; i < cases.length; i += 2) {
      List<String> args = new ArrayList<>(List.of("train", "--data", heart.toString(), "--model",
          "logistic", "--output", dir.resolve("refused").toString()));
      args.addAll(List.of(cases[i]));
      Cli.Result r = Cli.run(args.toArray(new String[0]));
      assertEquals(1, r.exitCode(), r::all);
      String expected = cases[i + 1][0];
      assertTrue(r.err().contains(expected), () -> expected + " missing from " + r.all());
      assertFalse(Files.exists(dir.resolve("refused")));
    }
  }

  // ---- help ----

  @Test
  void trainHelpListsTheOptions() {
    Cli.Result r = Cli.run("train", "--help");
    assertEquals(0, r.exitCode(), r::all);
    for (String option : List.of("--lr", "--batch-size", "--reg-l2", "--max-steps", "--data",
        "--output", "--model")) {
      assertTrue(r.out().contains(option), () -> option + " missing from:\n" + r.out());
    }
  }
}
