package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Two short heart_scale runs shared by the report tests, trained once per test JVM under
 * {@code target/report-runs}: plain SGD with {@code train --report}, and Adam; and the report
 * that overlays both, written by {@code descent report}. Their step counts differ so that a
 * series with the wrong run's points shows.
 */
final class ReportRuns {
  static final int SGD_STEPS = 30;
  static final int ADAM_STEPS = 45;

  final Path sgd;
  final Path adam;
  final Path comparison;
  final Cli.Result sgdTrain;
  final Cli.Result adamTrain;
  final Cli.Result report;

  private static ReportRuns runs;

  private ReportRuns(Path base) {
    Path heart = TestSpark.sharedData("heart_scale");
    assertTrue(Files.exists(heart), heart + " is missing");
    sgd = base.resolve("sgd");
    adam = base.resolve("adam");
    comparison = base.resolve("comparison").resolve("report.html");
    sgdTrain = Cli.run("train", "--data", heart.toString(), "--model", "logistic", "--reg-l2",
        "0.01", "--lr", "2", "--batch-size", "90", "--max-steps", Integer.toString(SGD_STEPS),
        "--progress", "lines", "--report", "--output", sgd.toString());
    adamTrain = Cli.run("train", "--data", heart.toString(), "--model", "logistic", "--reg-l2",
        "0.01", "--optimizer", "adam", "--lr", "0.05", "--max-steps", Integer.toString(ADAM_STEPS),
        "--output", adam.toString());
    report = Cli.run("report", sgd.toString(), adam.toString(), "--output", comparison.toString());
    assertEquals(0, sgdTrain.exitCode(), sgdTrain::all);
    assertEquals(0, adamTrain.exitCode(), adamTrain::all);
    assertEquals(0, report.exitCode(), report::all);
  }

  /** The runs, trained on first use. */
  static synchronized ReportRuns get() throws IOException {
    SparkSession.setActiveSession(TestSpark.session());
    if (runs == null) {
      Path base = Paths.get("target", "report-runs").toAbsolutePath();
      if (Files.exists(base)) {
        try (Stream<Path> files = Files.walk(base)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(base);
      runs = new ReportRuns(base);
    }
    return runs;
  }
}
