package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.LinearModel;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train --model mlp}, {@code predict}, {@code evaluate} and {@code gradcheck} on
 * iris: model.json holds the layers; predict writes the probabilities that a forward pass written
 * here from model.json's layers gives; evaluate reproduces the training objective; a resumed run
 * writes the same model bit for bit; a warm start from a network of other layers is refused
 * naming both; gradcheck reports every layer; Newton and stray layout options are refused before
 * Spark starts.
 */
class MlpCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Path iris;
  private static Path model;
  private static Cli.Result train;

  @TempDir Path dir;

  static String[] trainArgs(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", iris.toString(), "--model",
        "mlp", "--hidden", "8", "--activation", "tanh", "--optimizer", "adam", "--lr", "0.02",
        "--batch-size", "30", "--reg-l2", "1e-3", "--seed", "3", "--progress", "off",
        "--output", output.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @BeforeAll
  static void trainIris() {
    TestSpark.session();
    iris = TestSpark.sharedData("iris.libsvm");
    model = shared.resolve("iris-mlp");
    train = Cli.run(trainArgs(model, "--epochs", "100"));
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  /** The rows of iris as (label, features). */
  private static double[][] irisRows() throws IOException {
    return Files.readAllLines(iris).stream().map(line -> {
      String[] f = line.trim().split("\\s+");
      double[] row = new double[5];
      row[0] = Double.parseDouble(f[0]);
      for (int i = 1; i < f.length; i++) {
        String[] kv = f[i].split(":");
        row[Integer.parseInt(kv[0])] = Double.parseDouble(kv[1]);
      }
      return row;
    }).toArray(double[][]::new);
  }

  /** The class probabilities of {@code x} from model.json's layers, one loop per formula. */
  private static double[] forward(JsonNode m, double[] row) {
    double[] a = java.util.Arrays.copyOfRange(row, 1, row.length);
    for (JsonNode layer : m.get("layers")) {
      double[] z = new double[layer.get("units").asInt()];
      for (int u = 0; u < z.length; u++) {
        double s = layer.get("biases").get(u).asDouble();
        for (int j = 0; j < a.length; j++) {
          s += layer.get("weights").get(u).get(j).asDouble() * a[j];
        }
        z[u] = layer.get("activation").asText().equals("tanh") ? Math.tanh(s) : s;
      }
      a = z;
    }
    double sum = 0.0;
    for (double v : a) {
      sum += Math.exp(v);
    }
    for (int c = 0; c < a.length; c++) {
      a[c] = Math.exp(a[c]) / sum;
    }
    return a;
  }

  @Test
  void modelJsonHoldsTheLayersAndTheNetworkFitsIris() throws IOException {
    assertEquals(0, train.exitCode(), train::all);
    assertTrue(train.stdout().contains("classes: 3 (labels 0..2)"), train::all);
    JsonNode m = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("mlp", m.get("modelType").asText());
    assertEquals("softmax", m.get("outputLoss").asText());
    assertEquals(3, m.get("numClasses").asInt());
    assertEquals(2, m.get("layers").size());
    assertEquals(4, m.get("layers").get(0).get("inputs").asInt());
    assertEquals(8, m.get("layers").get(0).get("units").asInt());
    assertEquals(8, m.get("layers").get(0).get("weights").size());
    assertEquals(3, m.get("layers").get(1).get("biases").size());
    // Below the linear softmax model's optimum on the same penalty (0.0957).
    double objective = m.get("training").get("objective").asDouble();
    assertTrue(objective < 0.0957, "objective " + objective);
  }

  @Test
  void predictWritesWhatTheSavedLayersComputeAndEvaluateTheTrainingObjective()
      throws IOException {
    Path out = dir.resolve("predictions");
    Cli.Result r = Cli.run("predict", "--data", iris.toString(), "--model", model.toString(),
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r::all);
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
          .toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    JsonNode m = JSON.readTree(model.resolve("model.json").toFile());
    double[][] rows = irisRows();
    assertEquals(rows.length, lines.size());
    int correct = 0;
    for (int i = 0; i < rows.length; i++) {
      String[] f = lines.get(i).split(",");
      double[] p = forward(m, rows[i]);
      for (int c = 0; c < 3; c++) {
        assertEquals(p[c], Double.parseDouble(f[1 + c]), 1e-12, "row " + i + " class " + c);
      }
      correct += Integer.parseInt(f[0]) == (int) rows[i][0] ? 1 : 0;
    }
    Cli.Result e = Cli.run("evaluate", "--data", iris.toString(), "--model", model.toString());
    assertEquals(0, e.exitCode(), e::all);
    double accuracy = metric(e, "accuracy");
    assertEquals(correct / 150.0, accuracy, 1e-15);
    assertTrue(accuracy >= 0.97, "accuracy " + accuracy);
    double trained = m.get("training").get("objective").asDouble();
    assertEquals(trained, metric(e, "objective"), 1e-13 * trained);
  }

  private static double metric(Cli.Result r, String name) {
    return Double.parseDouble(r.stdout().lines().filter(l -> l.startsWith(name + " "))
        .findFirst().orElseThrow().split("\\s+")[1]);
  }

  @Test
  void aResumedRunWritesTheSameNetworkBitForBit() throws IOException {
    Path checkpoints = dir.resolve("checkpoints");
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    assertEquals(0, Cli.run(trainArgs(straight, "--max-steps", "25")).exitCode());
    assertEquals(0, Cli.run(trainArgs(dir.resolve("first"), "--max-steps", "12",
        "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "5")).exitCode());
    Cli.Result r = Cli.run(trainArgs(resumed, "--max-steps", "25", "--checkpoint-dir",
        checkpoints.toString(), "--checkpoint-every", "5", "--resume"));
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("resumed from step 10"), r::all);
    assertArrayEquals(LinearModel.load(straight).params(), LinearModel.load(resumed).params(),
        0.0);
  }

  @Test
  void aWarmStartContinuesFromTheSavedNetworkAndRefusesOtherLayers() throws IOException {
    List<String> tiny = new ArrayList<>(List.of(trainArgs(dir.resolve("warm"), "--max-steps",
        "1", "--initial-model", model.toString())));
    tiny.set(tiny.indexOf("--lr") + 1, "1e-300");
    Cli.Result warm = Cli.run(tiny.toArray(String[]::new));
    assertEquals(0, warm.exitCode(), warm::all);
    // A step of rate 1e-300 leaves the saved network where it was.
    assertArrayEquals(LinearModel.load(model).params(),
        LinearModel.load(dir.resolve("warm")).params(), 1e-290);
    List<String> other = new ArrayList<>(List.of(trainArgs(dir.resolve("other"), "--max-steps",
        "1", "--initial-model", model.toString())));
    other.set(other.indexOf("--hidden") + 1, "8,2");
    Cli.Result r = Cli.run(other.toArray(String[]::new));
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("its layers are hidden 8, tanh, softmax output; this run has"
        + " hidden 8,2, tanh, softmax output"), r::all);
  }

  @Test
  void earlyStoppingKeepsTheBestValidationNetwork() throws IOException {
    Path out = dir.resolve("early");
    Cli.Result r = Cli.run(trainArgs(out, "--epochs", "400", "--validation-fraction", "0.3",
        "--patience", "3", "--eval-every", "5"));
    assertEquals(0, r.exitCode(), r::all);
    JsonNode m = JSON.readTree(out.resolve("model.json").toFile());
    assertEquals("early_stopping", m.get("training").get("stopReason").asText(), r::all);
    assertTrue(m.get("training").get("parameters").asText().startsWith("best validation loss"),
        r::all);
  }

  @Test
  void gradcheckReportsEveryLayer() {
    Cli.Result r = Cli.run("gradcheck", "--data", iris.toString(), "--model", "mlp", "--hidden",
        "5,3", "--activation", "sigmoid", "--reg-l2", "1e-3");
    assertEquals(0, r.exitCode(), r::all);
    for (String layer : new String[] {"5x4 weights + 5 biases", "3x5 weights + 3 biases",
        "3x3 weights + 3 biases"}) {
      assertTrue(r.stdout().contains(layer), r::all);
    }
    assertTrue(r.stdout().contains("worst relative error"), r::all);
  }

  @Test
  void newtonAndStrayLayoutOptionsAreRefusedBeforeSparkStarts() {
    Cli.Result newton = Cli.run("train", "--data", "/nonexistent", "--model", "mlp", "--hidden",
        "4", "--optimizer", "newton", "--output", dir.resolve("n").toString());
    assertEquals(1, newton.exitCode(), newton::all);
    assertTrue(newton.err().contains("--optimizer newton needs the Hessian of a convex"
        + " objective; a network's objective is not convex"), newton::all);
    Cli.Result stray = Cli.run("train", "--data", "/nonexistent", "--model", "logistic",
        "--hidden", "4", "--output", dir.resolve("s").toString());
    assertEquals(1, stray.exitCode(), stray::all);
    assertTrue(stray.err().contains("--hidden, --activation and --output-loss apply to --model"
        + " mlp only"), stray::all);
  }
}
