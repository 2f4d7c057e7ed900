package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad inputs and options end {@code descent train} with exit code 1 and an error
 * {@code descent: error: <message>} naming the file, the line and the problem, and write no model.
 * The bad input corpus, one file per case with the exact message of each, is
 * {@link BadInputCorpusTest}; this class keeps the cases it does not hold (unsorted indices,
 * overflow, a NaN label, CSV cells, option errors, divergence).
 */
class CliErrorsTest {
  private static final String PREFIX = "descent: error: ";

  @TempDir Path dir;
  private Path output;

  @BeforeAll
  static void startSpark() {
    TestSpark.session();
  }

  @BeforeEach
  void activeSession() {
    // Commands use the active session and leave it running; make sure this thread has it.
    SparkSession.setActiveSession(TestSpark.session());
    output = dir.resolve("model");
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, lines.length == 0 ? "" : String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
    return file;
  }

  private Cli.Result train(Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(),
        "--output", output.toString(), "--progress-seconds", "1000"));
    args.addAll(List.of(extra));
    if (!args.contains("--model")) {
      args.addAll(List.of("--model", "logistic"));
    }
    if (!args.contains("--max-steps")) {
      args.addAll(List.of("--max-steps", "2"));
    }
    return Cli.run(args.toArray(new String[0]));
  }

  /**
   * The error text of a failed run: asserts a non-zero exit (1: a bad input, not a bad command
   * line), that the text starts with "descent: error: ", and that no model.json was written.
   */
  private String error(Cli.Result r) {
    assertNotEquals(0, r.exitCode(), r::all);
    assertEquals(1, r.exitCode(), r::all);
    String err = r.err().strip();
    assertTrue(err.startsWith(PREFIX), r::all);
    assertFalse(Files.exists(output.resolve("model.json")), "model.json was written");
    return err.substring(PREFIX.length());
  }

  /** Like {@link #error} and also asserts the error is the one line Main documents. */
  private String oneLineError(Cli.Result r) {
    String m = error(r);
    assertFalse(m.contains("\n"), () -> "more than one line:\n" + r.all());
    return m;
  }

  /**
   * Asserts the message holds "<file> line <line>: " and, ignoring case, every part of
   * {@code problem}.
   */
  private static void assertNames(String message, Path file, int line, String... problem) {
    assertTrue(message.contains(file.getFileName() + " line " + line + ": "),
        () -> "expected the file and line " + line + " in: " + message);
    for (String p : problem) {
      assertTrue(message.toLowerCase(Locale.ROOT).contains(p.toLowerCase(Locale.ROOT)),
          () -> "expected '" + p + "' in: " + message);
    }
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
    }
  }

  @Test
  void missingDataFile() {
    Path missing = dir.resolve("no-such-file.libsvm");
    String m = oneLineError(train(missing));
    assertContains(m, missing.toString(), "file not found");
  }

  @Test
  void aPasswordInTheDataUriIsNotPrinted() {
    Cli.Result r = Cli.run("train", "--data", "file://alice:s3cret@localhost" + dir
        + "/no-such-file.libsvm", "--model", "logistic", "--output", output.toString());
    String m = oneLineError(r);
    assertContains(m, "file://alice:***@localhost", "no-such-file.libsvm");
    assertFalse(r.all().contains("s3cret"), r::all);
  }

  @Test
  void unsortedIndices() throws IOException {
    Path f = write("unsorted.libsvm", "1 1:0.5 2:1", "-1 3:0.25 2:1");
    assertNames(error(train(f)), f, 2, "ascending", "2 after 3");
  }

  @Test
  void overflowingFeatureIsInfinite() throws IOException {
    Path f = write("overflow.libsvm", "1 1:0.5 2:1", "-1 2:1e400");
    assertNames(error(train(f)), f, 2, "feature 2", "infinite", "1e400");
  }

  @Test
  void nanLabel() throws IOException {
    Path f = write("nanlabel.libsvm", "1 1:0.5 2:1", "NaN 1:0.25");
    assertNames(error(train(f, "--model", "linear")), f, 2, "label", "NaN");
  }

  @Test
  void emptyCsvFile() throws IOException {
    Path f = write("empty.csv");
    String m = oneLineError(train(f, "--format", "csv", "--model", "linear"));
    assertContains(m, f.getFileName().toString());
    assertTrue(m.contains("no rows") || m.contains("empty"), m);
  }

  @Test
  void csvNonNumericCell() throws IOException {
    Path f = write("cell.csv", "label,x1,x2", "1.0,0.5,0.25", "2.0,0.5,oops");
    assertNames(error(train(f, "--format", "csv", "--model", "linear")), f, 3,
        "column 3", "'oops'", "is not a number");
  }

  // Option errors are found before the data is read: the data path here does not even exist, so
  // the message must name the option, not the file.

  private String optionError(String... options) {
    Path missing = dir.resolve("never-read.libsvm");
    String m = oneLineError(train(missing, options));
    assertFalse(m.contains("file not found"), m);
    return m;
  }

  @Test
  void zeroLearningRate() {
    assertContains(optionError("--lr", "0"), "--lr", "positive", "0.0");
  }

  @Test
  void negativeLearningRate() {
    assertContains(optionError("--lr", "-1"), "--lr", "positive", "-1.0");
  }

  @Test
  void zeroBatchSize() {
    assertContains(optionError("--batch-size", "0"), "--batch-size", "positive");
  }

  @Test
  void zeroMaxSteps() {
    assertContains(optionError("--max-steps", "0"), "--max-steps", "positive");
  }

  @Test
  void divergingRunNamesStepLossAndLearningRate() {
    Path lpsa = TestSpark.sharedData("lpsa.libsvm");
    assertTrue(Files.exists(lpsa), lpsa + " is missing");
    Cli.Result r = train(lpsa, "--model", "linear", "--intercept", "--lr", "100",
        "--max-steps", "50");
    String m = oneLineError(r);
    assertTrue(Pattern.compile("\\bstep \\d+\\b").matcher(m).find(), m);
    assertTrue(Pattern.compile("\\bloss (\\d|Infinity|NaN)").matcher(m).find(), m);
    assertContains(m, "diverged", "learning rate", "--lr 100");
    assertFalse(Files.exists(output.resolve("metrics.csv")), "metrics.csv was written");
    assertFalse(Files.exists(output.resolve(".metrics.csv.partial")), "partial metrics left behind");
    assertFalse(Files.exists(output.resolve("metrics.jsonl")), "metrics.jsonl was written");
    assertFalse(Files.exists(output.resolve(".metrics.jsonl.partial")), "partial metrics left behind");
  }

  @Test
  void divergingSmallFile() throws IOException {
    Path f = write("large.libsvm", "1000 1:300 2:-200", "-500 1:-100 2:400", "20 1:50 2:60");
    String m = oneLineError(train(f, "--model", "linear", "--lr", "100", "--max-steps", "20"));
    assertTrue(Pattern.compile("\\bstep \\d+\\b").matcher(m).find(), m);
    assertContains(m, "loss", "learning rate");
  }
}
