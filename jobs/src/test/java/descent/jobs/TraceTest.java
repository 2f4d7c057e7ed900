package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --trace} on the classic three-point line fit (weight 0.5, 2.3, 2.9; height 1.4,
 * 1.9, 3.2: {@code docs/examples/three-points.csv}), from slope 1 and intercept 0 as in the
 * classic walk-through. By hand, with residuals y − x = (0.9, −0.4, 0.3): ∂SSR/∂intercept
 * = −2·0.8 = −1.6 and ∂SSR/∂slope = −2·(0.5·0.9 − 2.3·0.4 + 2.9·0.3) = −0.8. descent's
 * objective is F = SSR/(2n) = SSR/6, so its derivatives are −0.2666… and −0.1333…, and lr 0.06
 * on F is the walk-through's 0.01 on SSR: step sizes −0.016 and −0.008, new intercept 0.016 and
 * slope 1.008. The loss before the step is (0.81 + 0.16 + 0.09)/6.
 */
class TraceTest {
  static final Path EXAMPLE = Paths.get("..", "docs", "examples", "three-points.csv");

  @TempDir Path dir;

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private static double cell(String trace, int step, String parameter, int column) {
    Matcher block = Pattern.compile("(?s)^step " + step + "  .*?(?=^step |\\z)", Pattern.MULTILINE)
        .matcher(trace);
    assertTrue(block.find(), "no step " + step + " in\n" + trace);
    Matcher row = Pattern.compile("(?m)^  " + parameter + "\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)$")
        .matcher(block.group());
    assertTrue(row.find(), "no row " + parameter + " in\n" + block.group());
    return Double.parseDouble(row.group(column));
  }

  @Test
  void firstStepEqualsTheHandComputedWalkThrough() throws Exception {
    assertTrue(Files.exists(EXAMPLE), EXAMPLE.toAbsolutePath() + " is missing");
    Cli.Result r = Cli.run("train", "--data", EXAMPLE.toString(), "--format", "csv",
        "--model", "linear", "--intercept", "--initial-params", "1,0", "--lr", "0.06",
        "--partitions", "1", "--max-steps", "3", "--trace", "--output", dir.resolve("m").toString());
    assertEquals(0, r.exitCode(), r::all);
    String out = r.stdout();
    Matcher head = Pattern.compile("(?m)^step 1  loss (\\S+)  lr (\\S+)$").matcher(out);
    assertTrue(head.find(), out);
    assertEquals(1.06 / 6, Double.parseDouble(head.group(1)), 1e-9, "loss before step 1");
    assertEquals(0.06, Double.parseDouble(head.group(2)), 0.0);
    assertTrue(out.contains("  parameter  derivative"), out);

    assertEquals(-0.8 / 6, cell(out, 1, "w1", 1), 1e-9, "derivative of the slope");
    assertEquals(-0.008, cell(out, 1, "w1", 2), 1e-12, "step size of the slope");
    assertEquals(1.008, cell(out, 1, "w1", 3), 1e-12, "new slope");
    assertEquals(-1.6 / 6, cell(out, 1, "intercept", 1), 1e-9, "derivative of the intercept");
    assertEquals(-0.016, cell(out, 1, "intercept", 2), 1e-12, "step size of the intercept");
    assertEquals(0.016, cell(out, 1, "intercept", 3), 1e-12, "new intercept");

    // Step 2 starts where step 1 ended: residuals y − (1.008x + 0.016).
    double[] x = {0.5, 2.3, 2.9};
    double[] y = {1.4, 1.9, 3.2};
    double dSlope = 0;
    double dIntercept = 0;
    for (int i = 0; i < 3; i++) {
      double residual = y[i] - (1.008 * x[i] + 0.016);
      dSlope -= x[i] * residual / 3;
      dIntercept -= residual / 3;
    }
    assertEquals(dSlope, cell(out, 2, "w1", 1), 1e-9);
    assertEquals(dIntercept, cell(out, 2, "intercept", 1), 1e-9);
    assertEquals(0.016 - 0.06 * dIntercept, cell(out, 2, "intercept", 3), 1e-9);
    assertTrue(out.contains("step 3  loss"), out);
    assertFalse(out.contains("step 1/3"), "--trace replaces the progress lines");
  }

  @Test
  void initialParamsOfTheWrongLengthAreNamed() {
    Cli.Result r = Cli.run("train", "--data", EXAMPLE.toString(), "--format", "csv",
        "--model", "linear", "--intercept", "--initial-params", "1", "--max-steps", "1",
        "--output", dir.resolve("m").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("initial parameters have 1 values; the model has 2"), r::all);
  }
}
