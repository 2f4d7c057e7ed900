package descent.jobs;

import descent.driver.StepReport;
import descent.driver.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints a progress line every few seconds (step, epoch, loss, learning rate, gradient norm,
 * rows/s) and writes every step to a metrics CSV file.
 */
final class ProgressListener implements TrainingListener, AutoCloseable {
  static final String METRICS_HEADER =
      "step,epoch,loss,learning_rate,gradient_norm,step_norm,rows,step_seconds,elapsed_seconds";

  private final PrintStream out;
  private final double intervalSeconds;
  private final BufferedWriter metrics;
  private double lastPrint = Double.NEGATIVE_INFINITY;
  private long rowsSeen;
  private StepReport last;

  ProgressListener(PrintStream out, double intervalSeconds, Path metricsFile) throws IOException {
    this.out = out;
    this.intervalSeconds = intervalSeconds;
    this.metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8);
    metrics.write(METRICS_HEADER);
    metrics.newLine();
  }

  @Override
  public void onStep(StepReport r) {
    rowsSeen += r.rows();
    last = r;
    try {
      metrics.write(String.format(Locale.ROOT, "%d,%.6f,%.17g,%.17g,%.17g,%.17g,%d,%.6f,%.6f",
          r.step(), r.epoch(), r.loss(), r.learningRate(), r.gradientNorm(), r.stepNorm(),
          r.rows(), r.stepSeconds(), r.elapsedSeconds()));
      metrics.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (r.step() == 1 || r.elapsedSeconds() - lastPrint >= intervalSeconds) {
      print(r);
    }
  }

  private void print(StepReport r) {
    lastPrint = r.elapsedSeconds();
    double rate = r.elapsedSeconds() > 0 ? rowsSeen / r.elapsedSeconds() : 0;
    out.printf(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.8g  lr %.4g  |g| %.3e  rows/s %,.0f%n",
        r.step(), r.maxSteps(), r.epoch(), r.loss(), r.learningRate(), r.gradientNorm(), rate);
    out.flush();
  }

  /** Prints the last step if its line was not printed yet. */
  void finish() {
    if (last != null && last.elapsedSeconds() != lastPrint) {
      print(last);
    }
  }

  @Override
  public void close() throws IOException {
    metrics.close();
  }
}
