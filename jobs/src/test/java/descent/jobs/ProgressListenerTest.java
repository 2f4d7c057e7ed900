package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.StepReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress line: rewritten in place on a terminal, a plain line every interval elsewhere. */
class ProgressListenerTest {
  private static StepReport step(long step, double elapsed) {
    return new StepReport(step, 100, step / 10.0, 0.5, 0.1, 0.25, 0.025, 1000, 0.01, elapsed,
        Double.NaN, false);
  }

  private static String run(ProgressListener.Mode mode, double interval, double... elapsed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressListener p = new ProgressListener(out, mode, interval);
    for (int i = 0; i < elapsed.length; i++) {
      p.onStep(step(i + 1, elapsed[i]));
    }
    p.finish();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void linesEveryIntervalPlusTheFirstAndTheLast() {
    String out = run(ProgressListener.Mode.LINES, 5, 1, 2, 6, 7, 12, 13);
    String[] lines = out.split("\n");
    assertEquals(4, lines.length, out);
    assertTrue(lines[0].startsWith("step 1/100  epoch 0.10  loss 0.500000  lr 0.1000  |g| 2.500e-01"
        + "  rows/s 1,000  ETA 1m39s"), lines[0]);
    assertTrue(lines[1].startsWith("step 3/100"), out);
    assertTrue(lines[2].startsWith("step 5/100"), out);
    assertTrue(lines[3].startsWith("step 6/100"), "the last step: " + out);
    assertTrue(lines[3].endsWith("  13s"), "the time taken, not an ETA: " + out);
    assertFalse(out.contains("\r"));
  }

  @Test
  void updateRewritesOneLineAndEndsIt() {
    String out = run(ProgressListener.Mode.UPDATE, 5, 0.1, 0.2, 0.5, 0.55);
    assertTrue(out.startsWith("\rstep 1/100"), out);
    assertTrue(out.contains("\rstep 3/100"), out);
    assertTrue(out.contains("\rstep 4/100"), "the last step: " + out);
    assertFalse(out.contains("\rstep 2/100"), "at most every 0.2 s: " + out);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line end, at the finish");
    assertTrue(out.endsWith("\n"));
  }

  @Test
  void withLocalStepsEachStepIsARound() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressListener p = new ProgressListener(out, ProgressListener.Mode.LINES, 5, true);
    p.onStep(step(1, 1));
    p.onStep(step(2, 2));
    p.finish();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].startsWith("round 1/100  epoch 0.10  loss 0.500000"), lines[0]);
    assertTrue(lines[1].startsWith("round 2/100"), lines[1]);
  }

  @Test
  void offPrintsNothing() {
    assertEquals("", run(ProgressListener.Mode.OFF, 5, 1, 2, 3));
  }

  @Test
  void autoMeansUpdateOnATerminalOnly() {
    assertEquals(ProgressListener.Mode.UPDATE, ProgressListener.Mode.AUTO.resolve(true));
    assertEquals(ProgressListener.Mode.LINES, ProgressListener.Mode.AUTO.resolve(false));
    assertEquals(ProgressListener.Mode.LINES, ProgressListener.Mode.LINES.resolve(true));
    assertThrows(IllegalArgumentException.class, () -> ProgressListener.Mode.parse("fancy"));
  }

  @Test
  void validationLossAndEtaShow() {
    ProgressListener p = new ProgressListener(System.out, ProgressListener.Mode.OFF, 5);
    StepReport r = new StepReport(50, 100, 0.5, 0.5, 0.1, 0.25, 0.025, 1000, 0.01, 125,
        0.625, false);
    p.onStep(r);
    String line = p.line(r, false);
    assertTrue(line.contains("  val 0.625000  "), line);
    assertTrue(line.endsWith("ETA 2m05s"), line);
    assertTrue(p.line(r, true).endsWith("  2m05s"), "done: the time taken");
    assertEquals("2h07m", ProgressListener.duration(2 * 3600 + 7 * 60 + 10));
  }
}
