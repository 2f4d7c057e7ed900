package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train --model mlp --batch-norm} on iris: model.json holds each hidden layer's
 * γ and its inference statistics; {@code predict} writes the probabilities that a forward pass
 * written here from model.json computes, normalizing with those statistics; {@code evaluate}
 * reproduces the training objective; {@code gradcheck --batch-norm} checks β and γ; the option is
 * refused off networks before Spark starts.
 */
class BatchNormCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  /** The class probabilities of {@code x} from model.json's layers, one loop per formula. */
  private static double[] forward(JsonNode m, double[] x) {
    double[] a = x;
    for (JsonNode layer : m.get("layers")) {
      JsonNode norm = layer.get("batchNorm");
      double[] z = new double[layer.get("units").asInt()];
      for (int u = 0; u < z.length; u++) {
        double s = 0.0;
        for (int j = 0; j < a.length; j++) {
          s += layer.get("weights").get(u).get(j).asDouble() * a[j];
        }
        double beta = layer.get("biases").get(u).asDouble();
        if (norm == null) {
          z[u] = s + beta;
        } else {
          double xhat = (s - norm.get("mean").get(u).asDouble())
              / Math.sqrt(norm.get("variance").get(u).asDouble() + norm.get("eps").asDouble());
          z[u] = Math.tanh(norm.get("gamma").get(u).asDouble() * xhat + beta);
        }
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
  void predictAndEvaluateNormalizeWithTheSavedStatistics() throws IOException {
    Path iris = TestSpark.sharedData("iris.libsvm");
    Path model = dir.resolve("model");
    Cli.Result train = Cli.run("train", "--data", iris.toString(), "--model", "mlp", "--hidden",
        "6,5", "--activation", "tanh", "--batch-norm", "--optimizer", "adam", "--lr", "0.05",
        "--batch-size", "50", "--max-steps", "60", "--seed", "3", "--progress", "off",
        "--output", model.toString());
    assertEquals(0, train.exitCode(), train::all);
    JsonNode m = JSON.readTree(model.resolve("model.json").toFile());
    for (int l = 0; l < 2; l++) {
      JsonNode norm = m.get("layers").get(l).get("batchNorm");
      assertEquals(l == 0 ? 6 : 5, norm.get("gamma").size());
      assertEquals(l == 0 ? 6 : 5, norm.get("variance").size());
    }
    assertTrue(m.get("layers").get(2).get("batchNorm") == null, "no normalization of outputs");
    Path out = dir.resolve("predictions");
    Cli.Result predict = Cli.run("predict", "--data", iris.toString(), "--model",
        model.toString(), "--output", out.toString());
    assertEquals(0, predict.exitCode(), predict::all);
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted()
          .toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    List<String> rows = Files.readAllLines(iris);
    assertEquals(rows.size(), lines.size());
    int correct = 0;
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).trim().split("\\s+");
      double[] x = new double[4];
      for (int k = 1; k < f.length; k++) {
        String[] kv = f[k].split(":");
        x[Integer.parseInt(kv[0]) - 1] = Double.parseDouble(kv[1]);
      }
      double[] p = forward(m, x);
      String[] predicted = lines.get(i).split(",");
      for (int c = 0; c < 3; c++) {
        assertEquals(p[c], Double.parseDouble(predicted[1 + c]), 1e-12, "row " + i);
      }
      correct += Integer.parseInt(predicted[0]) == Integer.parseInt(f[0]) ? 1 : 0;
    }
    assertTrue(correct >= 140, correct + " of 150 right");
    Cli.Result evaluate = Cli.run("evaluate", "--data", iris.toString(), "--model",
        model.toString());
    assertEquals(0, evaluate.exitCode(), evaluate::all);
    double objective = m.get("training").get("objective").asDouble();
    double evaluated = Double.parseDouble(evaluate.stdout().lines()
        .filter(l -> l.startsWith("objective ")).findFirst().orElseThrow().split("\\s+")[1]);
    assertEquals(objective, evaluated, 1e-13 * objective);
  }

  @Test
  void gradcheckChecksBetaAndGammaOfEveryNormalizedLayer() {
    Cli.Result r = Cli.run("gradcheck", "--data", TestSpark.sharedData("iris.libsvm")
        .toString(), "--model", "mlp", "--hidden", "5,3", "--activation", "relu",
        "--batch-norm", "--reg-l2", "1e-3");
    assertEquals(0, r.exitCode(), r::all);
    for (String layer : new String[] {"5x4 weights + 5 β + 5 γ", "3x5 weights + 3 β + 3 γ",
        "3x3 weights + 3 biases"}) {
      assertTrue(r.stdout().contains(layer), r::all);
    }
    double worst = Double.parseDouble(r.stdout().lines()
        .filter(l -> l.startsWith("worst relative error")).findFirst().orElseThrow()
        .split("\\s+")[3]);
    assertTrue(worst < 1e-6, r::all);
  }

  @Test
  void batchNormIsRefusedOffNetworksAndWithLocalStepsBeforeSparkStarts() {
    Cli.Result linear = Cli.run("train", "--data", "/nonexistent", "--model", "logistic",
        "--batch-norm", "--output", dir.resolve("l").toString());
    assertEquals(1, linear.exitCode(), linear::all);
    assertTrue(linear.err().contains("--hidden, --activation, --output-loss and --batch-norm"
        + " apply to --model mlp only"), linear::all);
    Cli.Result rounds = Cli.run("train", "--data", "/nonexistent", "--model", "mlp", "--hidden",
        "4", "--batch-norm", "--local-steps", "8", "--output", dir.resolve("r").toString());
    assertEquals(1, rounds.exitCode(), rounds::all);
    assertTrue(rounds.err().contains("--batch-norm normalizes with the statistics of each"
        + " step's whole mini-batch"), rounds::all);
  }
}
