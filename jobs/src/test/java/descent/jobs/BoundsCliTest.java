package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Box constraints from the command line: {@code --non-negative} and bounds from a file train
 * non-negative least squares to SciPy's optimum and write {@code training.bounds}, and bad
 * bounds stop the run before Spark starts, naming the flag and the coefficient.
 */
class BoundsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** SciPy 1.17 lsq_linear(method="bvls") on lpsa, w ≥ 0, b free (see BoundsOnRealDataTest). */
  private static final double LPSA_NNLS = 0.23932423382337137;
  private static Path lpsa;

  @TempDir Path dir;

  @BeforeAll
  static void data() {
    TestSpark.session();
    lpsa = TestSpark.sharedData("lpsa.libsvm");
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  @Test
  void nonNegativeLeastSquaresFromTheCommandLine() throws Exception {
    Path out = dir.resolve("nnls");
    Cli.Result r = Cli.run("train", "--data", lpsa.toString(), "--num-features", "8",
        "--model", "linear", "--intercept", "--optimizer", "newton", "--non-negative",
        "--max-steps", "50", "--tol", "1e-14", "--eval-every", "1", "--output", out.toString(),
        "--progress", "off");
    assertEquals(0, r.exitCode(), r::all);
    JsonNode model = JSON.readTree(out.resolve("model.json").toFile());
    double objective = model.get("training").get("objective").asDouble();
    assertEquals(LPSA_NNLS, objective, 1e-8 * LPSA_NNLS);
    assertEquals("[0.0]", model.get("training").get("bounds").get("lowerBounds").toString());
    for (JsonNode c : model.get("coefficients")) {
      assertTrue(c.asDouble() >= 0, model.toString());
    }
    // The same box from a file of one value a line, with the intercept bounded too.
    Path lower = dir.resolve("lower.txt");
    Files.writeString(lower, "# lpsa, one per feature\n0\n0\n0\n0\n0\n0\n0\n0\n");
    Path out2 = dir.resolve("file");
    r = Cli.run("train", "--data", lpsa.toString(), "--model", "linear", "--intercept",
        "--optimizer", "lbfgs", "--lower-bounds", lower.toString(), "--upper-bounds", "0.5",
        "--upper-intercept", "2", "--max-steps", "200", "--tol", "1e-14", "--eval-every", "1",
        "--output", out2.toString(), "--progress", "off");
    assertEquals(0, r.exitCode(), r::all);
    JsonNode m2 = JSON.readTree(out2.resolve("model.json").toFile());
    assertEquals(2.0, m2.get("intercept").asDouble(), 0.0);
    assertEquals("[2.0]", m2.get("training").get("bounds").get("upperIntercept").toString());
    for (JsonNode c : m2.get("coefficients")) {
      assertTrue(c.asDouble() >= 0 && c.asDouble() <= 0.5, m2.toString());
    }
  }

  private String error(String... extra) {
    String[] base = {"train", "--data", lpsa.toString(), "--model", "linear", "--intercept",
        "--output", dir.resolve("bad").toString(), "--progress", "off"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    Cli.Result r = Cli.run(args);
    assertEquals(1, r.exitCode(), r::all);
    assertFalse(Files.exists(dir.resolve("bad").resolve("model.json")));
    return r.err();
  }

  @Test
  void badBoundsAreNamedBeforeSparkStarts() {
    assertTrue(error("--lower-bounds", "0,0,0.7", "--upper-bounds", "1,1,0.5")
        .contains("the lower bound 0.7 of coefficient 2 (0-based) is above its upper bound 0.5"
            + " (--lower-bounds, --upper-bounds)"));
    assertTrue(error("--num-features", "8", "--upper-bounds", "1,2,3")
        .contains("--upper-bounds has 3 values; the model has 8 features"));
    // Without --num-features the count is checked once the data is read, before training.
    assertTrue(error("--upper-bounds", "1,2,3")
        .contains("--upper-bounds has 3 values; the model has 8 features"));
    assertTrue(error("--non-negative", "--lower-bounds", "0")
        .contains("give --non-negative or --lower-bounds, not both"));
    assertTrue(error("--non-negative", "--local-steps", "4", "--batch-size", "8")
        .contains("need synchronous steps"));
    assertTrue(error("--lower-bounds", "no-such-file.txt").contains("--lower-bounds"
        + " 'no-such-file.txt' is neither a number, a comma list of numbers, nor a file"));
  }
}
