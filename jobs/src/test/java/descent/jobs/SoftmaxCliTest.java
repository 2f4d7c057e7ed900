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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train --model softmax}, {@code evaluate} and {@code predict} on iris: the class
 * count comes from the labels, model.json holds the 3×4 matrix and 3 intercepts, the objective
 * reaches the README's optimum, and predictions are a class and 3 probabilities per row.
 */
class SoftmaxCliTest {
  private static final double IRIS_OPTIMUM = 0.095730000177826;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Path iris;
  private static Path model;
  private static Cli.Result train;

  @TempDir Path dir;

  @BeforeAll
  static void trainIris() {
    TestSpark.session();
    iris = TestSpark.sharedData("iris.libsvm");
    model = shared.resolve("iris-model");
    train = Cli.run("train", "--data", iris.toString(), "--model", "softmax", "--intercept",
        "--optimizer", "newton", "--reg-l2", "1e-3", "--max-steps", "50", "--tol", "1e-12",
        "--output", model.toString());
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  @Test
  void trainsToTheOptimumAndWritesTheMatrix() throws IOException {
    assertEquals(0, train.exitCode(), train::all);
    assertTrue(train.stdout().contains("classes: 3 (labels 0..2)"), train::all);
    JsonNode m = JSON.readTree(model.resolve("model.json").toFile());
    assertEquals("softmax", m.get("modelType").asText());
    assertEquals(3, m.get("numClasses").asInt());
    assertEquals(3, m.get("coefficientMatrix").size());
    assertEquals(4, m.get("coefficientMatrix").get(0).size());
    assertEquals(3, m.get("intercepts").size());
    double gap = (m.get("training").get("objective").asDouble() - IRIS_OPTIMUM) / IRIS_OPTIMUM;
    assertTrue(gap > -1e-9 && gap < 1e-6, "relative gap " + gap);
  }

  @Test
  void evaluatePrintsTheLogLossAndAccuracy() {
    Cli.Result r = Cli.run("evaluate", "--data", iris.toString(), "--model", model.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("logloss"), r::all);
    double accuracy = Double.parseDouble(r.stdout().lines().filter(l -> l.startsWith("accuracy"))
        .findFirst().orElseThrow().split("\\s+")[1]);
    // A regularized linear softmax separates iris almost perfectly (98 % here).
    assertTrue(accuracy > 0.95 && accuracy <= 1.0, "accuracy " + accuracy);
  }

  @Test
  void predictWritesTheClassAndProbabilitiesThatSumToOne() throws IOException {
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
    List<String> labels = Files.readAllLines(iris);
    assertEquals(labels.size(), lines.size());
    int correct = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      assertEquals(4, f.length, lines.get(i));
      double sum = Double.parseDouble(f[1]) + Double.parseDouble(f[2]) + Double.parseDouble(f[3]);
      assertEquals(1.0, sum, 1e-12);
      int best = 0;
      for (int c = 1; c < 3; c++) {
        if (Double.parseDouble(f[1 + c]) > Double.parseDouble(f[1 + best])) {
          best = c;
        }
      }
      assertEquals(best, Integer.parseInt(f[0]));
      if (f[0].equals(labels.get(i).split(" ")[0])) {
        correct++;
      }
    }
    assertTrue(correct >= 143, correct + " of 150 rows predicted right");
  }

  @Test
  void aLabelOutsideTheGivenClassesNamesTheFileAndLine() {
    Cli.Result r = Cli.run("train", "--data", iris.toString(), "--model", "softmax",
        "--num-classes", "2", "--output", dir.resolve("m").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("iris.libsvm") && r.err().contains("line ")
        && r.err().contains("label 2 is not a class index; a 2-class model takes labels 0..1"),
        r::all);
    assertEquals(1, r.err().lines().count(), r::all);
  }
}
