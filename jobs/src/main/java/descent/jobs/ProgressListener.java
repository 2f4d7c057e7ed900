package descent.jobs;

import descent.driver.StepReport;
import descent.driver.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows where training is: step/total, epoch, loss, learning rate, gradient norm, rows/s and the
 * estimated time left. On a terminal it rewrites one line in place ({@code \r}) a few times a
 * second; otherwise (a log file, a pipe, {@code spark-submit} on a cluster) it prints a plain line
 * every few seconds. The first and the last step are always shown. With rounds of local steps a
 * step of the run is a round, and the line counts {@code round N/M}. The steps of a pre-training
 * stage are shown the same way, as {@code stage s/S step N/M}, each stage's line ended before the
 * next begins.
 */
final class ProgressListener implements TrainingListener {
  /** How progress is shown. */
  enum Mode {
    /** {@link #UPDATE} when the JVM has a console, else {@link #LINES}. */
    AUTO,
    /** One line, rewritten in place. */
    UPDATE,
    /** A new line every interval. */
    LINES,
    /** Nothing. */
    OFF;

    static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "update" -> UPDATE;
        case "lines" -> LINES;
        case "off" -> OFF;
        default -> throw new IllegalArgumentException(
            "--progress " + s + ": expected auto, update, lines or off");
      };
    }

    Mode resolve(boolean console) {
      return this != AUTO ? this : console ? UPDATE : LINES;
    }
  }

  /** Seconds between rewrites of the updating line. */
  static final double UPDATE_SECONDS = 0.2;

  private final PrintStream out;
  private final Mode mode;
  private final double intervalSeconds;
  private final String runUnit;
  private String unit;
  private double lastPrint = Double.NEGATIVE_INFINITY;
  private long rowsSeen;
  private StepReport last;
  private boolean lastShown;
  private int lineLength;

  /**
   * @param mode a resolved mode (not {@link Mode#AUTO})
   * @param intervalSeconds seconds between plain lines in {@link Mode#LINES}
   */
  ProgressListener(PrintStream out, Mode mode, double intervalSeconds) {
    this(out, mode, intervalSeconds, false);
  }

  /**
   * @param mode a resolved mode (not {@link Mode#AUTO})
   * @param intervalSeconds seconds between plain lines in {@link Mode#LINES}
   * @param rounds whether each step is a round of local steps
   */
  ProgressListener(PrintStream out, Mode mode, double intervalSeconds, boolean rounds) {
    if (mode == Mode.AUTO) {
      throw new IllegalArgumentException("resolve the progress mode first");
    }
    this.out = out;
    this.mode = mode;
    this.intervalSeconds = intervalSeconds;
    this.runUnit = rounds ? "round" : "step";
    this.unit = runUnit;
  }

  @Override
  public void onStageStart(int stage, int stages, int[] widths, long steps, double[] params) {
    unit = "stage " + stage + "/" + stages + " step";
  }

  @Override
  public void onStageStep(int stage, StepReport report) {
    onStep(report);
  }

  /** Ends the stage's line and starts the count afresh for what follows. */
  @Override
  public void onStageEnd(descent.driver.Pretraining.Stage stage, double[] params) {
    finish();
    unit = runUnit;
    lastPrint = Double.NEGATIVE_INFINITY;
    rowsSeen = 0;
    last = null;
    lastShown = false;
  }

  @Override
  public void onStep(StepReport r) {
    rowsSeen += r.rows();
    last = r;
    lastShown = false;
    double interval = mode == Mode.UPDATE ? UPDATE_SECONDS : intervalSeconds;
    if (r.step() == 1 || r.elapsedSeconds() - lastPrint >= interval) {
      show(r, false);
    }
  }

  /**
   * The progress text of one step, without a line end: the estimated time left while training,
   * the time taken once it is {@code done}.
   */
  String line(StepReport r, boolean done) {
    double elapsed = r.elapsedSeconds();
    double rate = elapsed > 0 ? rowsSeen / elapsed : 0;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%s %d/%d  epoch %.2f  loss %.6g", unit, r.step(), r.maxSteps(), r.epoch(), r.loss()));
    if (Double.isFinite(r.validationLoss())) {
      s.append(String.format(Locale.ROOT, "  val %.6g", r.validationLoss()));
    }
    s.append(String.format(Locale.ROOT, "  lr %.4g  |g| %.3e  rows/s %,.0f", r.learningRate(),
        r.gradientNorm(), rate));
    if (!done && r.step() < r.maxSteps() && r.step() > 0) {
      double eta = elapsed / r.step() * (r.maxSteps() - r.step());
      s.append("  ETA ").append(duration(eta));
    } else {
      s.append("  ").append(duration(elapsed));
    }
    return s.toString();
  }

  /** {@code 42s}, {@code 3m05s}, {@code 2h07m}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private void show(StepReport r, boolean done) {
    lastPrint = r.elapsedSeconds();
    lastShown = true;
    if (mode == Mode.OFF) {
      return;
    }
    String text = line(r, done);
    if (mode == Mode.UPDATE) {
      // Pad with spaces over what is left of a longer previous line; no terminal escapes needed.
      int pad = Math.max(0, lineLength - text.length());
      out.print("\r" + text + " ".repeat(pad));
      lineLength = text.length();
    } else {
      out.println(text);
    }
    out.flush();
  }

  /**
   * Shows the last step with the time taken if it was not shown yet (or, on a terminal, in any
   * case), and ends the updating line.
   */
  void finish() {
    if (last != null && (!lastShown || mode == Mode.UPDATE)) {
      show(last, true);
    }
    if (mode == Mode.UPDATE && lineLength > 0) {
      out.println();
      lineLength = 0;
    }
  }
}
