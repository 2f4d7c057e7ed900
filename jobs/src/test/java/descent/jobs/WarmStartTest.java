package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.LinearModel;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --initial-model}: plain SGD at full batch with a constant rate is the same
 * iteration whether it runs 100 steps or 50 and then 50 more from the saved model, so the two
 * end at the same parameters, bit for bit; a model that does not fit the run is one error line
 * naming the file and the mismatch, and nothing is trained.
 */
class WarmStartTest {
  private static final String PREFIX = "descent: error: ";

  @TempDir static Path shared;
  private static Path heart;
  private static Path heart50;

  @TempDir Path dir;

  @BeforeAll
  static void trainFiftySteps() {
    TestSpark.session();
    heart = TestSpark.sharedData("heart_scale");
    heart50 = shared.resolve("heart-50");
    Cli.Result r = train(heart, heart50, "--model", "logistic", "--intercept", "--max-steps",
        "50");
    assertEquals(0, r.exitCode(), r::all);
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  /** Plain SGD at a constant rate (1 unless given), full batch, with a penalty. */
  private static Cli.Result train(Path data, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(),
        "--output", output.toString(), "--optimizer", "sgd", "--schedule", "constant",
        "--reg-l2", "1e-3", "--progress", "off"));
    args.addAll(List.of(extra));
    if (!args.contains("--lr")) {
      args.addAll(List.of("--lr", "1"));
    }
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void fiftyStepsThenFiftyMoreFromTheModelEqualOneHundredSteps() throws IOException {
    Path hundred = dir.resolve("heart-100");
    assertEquals(0, train(heart, hundred, "--model", "logistic", "--intercept", "--max-steps",
        "100").exitCode());
    Path warm = dir.resolve("heart-50+50");
    Cli.Result r = train(heart, warm, "--model", "logistic", "--intercept", "--max-steps", "50",
        "--initial-model", heart50.toString());
    assertEquals(0, r.exitCode(), r::all);

    LinearModel once = LinearModel.load(hundred);
    LinearModel twice = LinearModel.load(warm);
    assertArrayEquals(once.params(), twice.params(), "the same 100 SGD steps");
    assertEquals(once.training().get("objective"), twice.training().get("objective"));
    assertFalse(java.util.Arrays.equals(LinearModel.load(heart50).params(), twice.params()));
    assertEquals(heart50.resolve("model.json").toAbsolutePath().normalize().toString(),
        twice.training().get("initialModel"));
    assertEquals(50, twice.training().get("initialModelSteps"));
    assertFalse(once.training().containsKey("initialModel"));
  }

  @Test
  void aSoftmaxModelBringsItsClassCount() throws IOException {
    Path iris = TestSpark.sharedData("iris.libsvm");
    Path ten = dir.resolve("iris-10");
    Path five = dir.resolve("iris-5");
    Path warm = dir.resolve("iris-5+5");
    assertEquals(0, train(iris, ten, "--model", "softmax", "--max-steps", "10", "--lr", "0.1")
        .exitCode());
    assertEquals(0, train(iris, five, "--model", "softmax", "--max-steps", "5", "--lr", "0.1")
        .exitCode());
    // The model.json file itself, no --num-classes: K = 3 comes from the model.
    Cli.Result r = train(iris, warm, "--model", "softmax", "--max-steps", "5", "--lr", "0.1",
        "--initial-model", five.resolve("model.json").toString());
    assertEquals(0, r.exitCode(), r::all);
    assertArrayEquals(LinearModel.load(ten).params(), LinearModel.load(warm).params());
    assertEquals(3, LinearModel.load(warm).numOutputs());
  }

  private void assertRefused(Cli.Result r, String message) {
    assertEquals(1, r.exitCode(), r::all);
    assertEquals(PREFIX + message, r.err().strip(), r::all);
    assertFalse(Files.exists(dir.resolve("out").resolve("model.json")), "nothing was trained");
  }

  @Test
  void aModelThatDoesNotFitTheRunIsOneErrorNamingTheFileAndTheMismatch() throws IOException {
    Path out = dir.resolve("out");
    String file = heart50.resolve("model.json").toString();
    String doesNotFit = file + ": the --initial-model does not fit this run: ";
    assertRefused(train(heart, out, "--model", "linear", "--intercept",
        "--initial-model", heart50.toString()),
        doesNotFit + "it is a logistic model; this run trains linear");
    assertRefused(train(heart, out, "--model", "logistic", "--initial-model", heart50.toString()),
        doesNotFit + "it has an intercept; this run fits none (add --intercept)");
    assertRefused(train(heart, out, "--model", "logistic", "--intercept", "--num-features",
        "12", "--initial-model", heart50.toString()),
        doesNotFit + "it has 13 features; --num-features is 12");
    assertRefused(train(heart, out, "--model", "softmax", "--num-classes", "4",
        "--initial-model", heart50.toString()),
        doesNotFit + "it is a logistic model; this run trains softmax; it has an intercept;"
            + " this run fits none (add --intercept)");
    assertRefused(train(heart, out, "--model", "logistic", "--intercept", "--initial-params",
        "1,2", "--initial-model", heart50.toString()),
        "give --initial-params or --initial-model, not both");
    assertRefused(train(heart, out, "--model", "logistic", "--initial-model",
        dir.resolve("nowhere").toString()),
        dir.resolve("nowhere") + ": model file not found");
    // Data wider than the model: the reader names the model's feature count.
    Path wide = dir.resolve("wide.libsvm");
    Files.writeString(wide, "+1 1:0.5 14:1\n-1 2:0.5\n");
    Cli.Result r = train(wide, out, "--model", "logistic", "--intercept", "--initial-model",
        heart50.toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("feature index 14 exceeds the feature count of the"
        + " --initial-model 13"), r::all);
  }

  @Test
  void aSoftmaxModelOfAnotherClassCountIsRefused() {
    Path iris = TestSpark.sharedData("iris.libsvm");
    Path three = dir.resolve("iris-3");
    assertEquals(0, train(iris, three, "--model", "softmax", "--max-steps", "1").exitCode());
    Path out = dir.resolve("out");
    assertRefused(train(iris, out, "--model", "softmax", "--num-classes", "4",
        "--initial-model", three.toString()),
        three.resolve("model.json") + ": the --initial-model does not fit this run: it has 3"
            + " classes; --num-classes is 4");
  }
}
