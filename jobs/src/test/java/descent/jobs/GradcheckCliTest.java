package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code descent gradcheck} end to end: a passing check prints the table of the worst
 * coordinates and ends with {@code worst relative error E at WHERE}, exit 0; a tolerance no
 * finite difference meets gives exit 1 and one line saying where the gradient differed.
 */
class GradcheckCliTest {
  private static final Pattern FINAL = Pattern.compile("worst relative error (\\S+) at (.+)");

  @BeforeAll
  static void startSpark() {
    TestSpark.session();
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private static Matcher finalLine(Cli.Result r) {
    List<String> lines = r.stdout().lines().toList();
    Matcher m = FINAL.matcher(lines.get(lines.size() - 1));
    assertTrue(m.matches(), "the last line names the worst error: " + r.all());
    return m;
  }

  @Test
  void logisticOnHeartScalePassesAndPrintsTheWorstRelativeError() {
    Cli.Result r = Cli.run("gradcheck", "--data", TestSpark.sharedData("heart_scale").toString(),
        "--model", "logistic", "--intercept", "--reg-l2", "1e-3", "--seed", "3");
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("checked 14 coordinates at a random point (seed 3)"), r::all);
    assertTrue(r.stdout().contains("analytic") && r.stdout().contains("rel.error"), r::all);
    Matcher m = finalLine(r);
    assertTrue(Double.parseDouble(m.group(1)) <= 1e-6, m.group());
    assertTrue(m.group(2).matches("coefficient \\d+ \\(feature \\d+\\)|the intercept"),
        m.group());
  }

  @Test
  void softmaxNamesTheClassAndFeatureAndSamplesCoordinatesOfALargeModel() {
    Cli.Result r = Cli.run("gradcheck", "--data", TestSpark.sharedData("iris.libsvm").toString(),
        "--model", "softmax", "--intercept", "--reg-l2", "1e-3", "--coordinates", "6");
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("15 parameters (3 classes)"), r::all);
    assertTrue(r.stdout().contains("checked 6 coordinates and 3 random directions"), r::all);
    Matcher m = finalLine(r);
    assertTrue(Double.parseDouble(m.group(1)) <= 1e-6, m.group());
    assertTrue(m.group(2).matches("coefficient \\d+ \\(class \\d, feature \\d\\)"
        + "|intercept \\d \\(class \\d\\)|random direction \\d"), m.group());
  }

  @Test
  void aWorstErrorAboveTheToleranceExitsWithOne() {
    Cli.Result r = Cli.run("gradcheck", "--data", TestSpark.sharedData("lpsa.libsvm").toString(),
        "--model", "linear", "--intercept", "--tolerance", "1e-15");
    assertEquals(1, r.exitCode(), r::all);
    finalLine(r);
    assertTrue(r.err().startsWith("descent: gradient check failed: the analytic gradient of the"
        + " linear objective differs from the centred difference by "), r::all);
    assertTrue(r.err().contains("(--tolerance 1.0e-15)"), r::all);
    assertEquals(1, r.err().lines().count(), r::all);
  }

  @Test
  void badOptionsAreNamedBeforeSparkReadsTheData() {
    Cli.Result r = Cli.run("gradcheck", "--data", "no-such-file", "--model", "logistic",
        "--coordinates", "0");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--coordinates must be positive, got 0"), r::all);
    r = Cli.run("gradcheck", "--data", "no-such-file", "--model", "hinged");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("unknown model 'hinged'"), r::all);
  }
}
