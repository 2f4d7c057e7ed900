package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import descent.driver.schedule.ReduceLrOnPlateau.Mode;
import descent.driver.schedule.ReduceLrOnPlateau.ThresholdMode;
import org.junit.jupiter.api.Test;

/**
 * ReduceLrOnPlateau against scripted metric sequences, each step's outcome worked out by hand
 * with PyTorch's rules: an observation is better when below best·(1 − threshold) (min, rel),
 * below best − threshold (min, abs), above best·(1 + threshold) (max, rel) or above
 * best + threshold (max, abs); more than patience bad ones in a row reduce the rate by factor
 * (not below minLr), and the cooldown observations after a reduction are not counted as bad.
 */
class ReduceLrOnPlateauTest {

  static ReduceLrOnPlateau plateau(Mode mode, double factor, long patience, double threshold,
      ThresholdMode thresholdMode, long cooldown, double minLr) {
    return new ReduceLrOnPlateau(1.0, mode, factor, patience, threshold, thresholdMode, cooldown,
        minLr, ReduceLrOnPlateau.EPS, 1);
  }

  /** Observes metrics[t] after step t and checks the rate of step t + 1 against expected[t]. */
  static void script(LearningRateSchedule s, double[] metrics, double[] expected) {
    assertEquals(metrics.length, expected.length);
    for (int t = 0; t < metrics.length; t++) {
      s.observe(t, metrics[t]);
      assertEquals(expected[t], s.rate(t + 1), 0.0,
          "after observing " + metrics[t] + " at step " + t);
    }
  }

  @Test
  void minRelativeWaitsPatienceBadObservations() {
    // patience 2, factor 0.5, threshold 10 % relative
    LearningRateSchedule s = plateau(Mode.MIN, 0.5, 2, 0.1, ThresholdMode.REL, 0, 0);
    assertEquals(1.0, s.rate(0));
    script(s,
        new double[] {10, 9.5, 9.2, 9.1, 8.0, 7.5, 7.3, 7.25},
        // 10: best (< ∞). 9.5, 9.2: not < 9, bad 1, 2. 9.1: bad 3 > 2: lr 0.5.
        // 8.0 < 9: best 8. 7.5, 7.3: not < 7.2, bad 1, 2. 7.25: bad 3: lr 0.25.
        new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25});
  }

  @Test
  void minAbsolute() {
    // patience 1, factor 0.1, threshold 0.5 absolute
    LearningRateSchedule s = plateau(Mode.MIN, 0.1, 1, 0.5, ThresholdMode.ABS, 0, 0);
    script(s,
        new double[] {10, 9.6, 9.4, 9.0, 9.0, 8.0},
        // 10: best. 9.6: not < 9.5, bad 1. 9.4 < 9.5: best 9.4. 9.0: not < 8.9, bad 1.
        // 9.0: bad 2 > 1: lr 0.1. 8.0 < 8.9: best, lr stays.
        new double[] {1, 1, 1, 1, 0.1, 0.1});
  }

  @Test
  void maxRelativeForAMetricThatShouldGrow() {
    // patience 1, factor 0.1, threshold 1 % relative
    LearningRateSchedule s = plateau(Mode.MAX, 0.1, 1, 0.01, ThresholdMode.REL, 0, 0);
    script(s,
        new double[] {0.5, 0.504, 0.51, 0.5, 0.5},
        // 0.5: best (> −∞). 0.504: not > 0.505, bad 1. 0.51 > 0.505: best.
        // 0.5: bad 1. 0.5: bad 2 > 1: lr 0.1.
        new double[] {1, 1, 1, 1, 0.1});
  }

  @Test
  void maxAbsolute() {
    // patience 0: every bad observation reduces
    LearningRateSchedule s = plateau(Mode.MAX, 0.5, 0, 0.1, ThresholdMode.ABS, 0, 0);
    script(s,
        new double[] {1.0, 1.05, 1.2, 1.25},
        // 1.0: best. 1.05: not > 1.1: lr 0.5. 1.2 > 1.1: best. 1.25: not > 1.3: lr 0.25.
        new double[] {1, 0.5, 0.5, 0.25});
  }

  @Test
  void cooldownIgnoresBadObservationsAfterAReduction() {
    // patience 0, cooldown 2, factor 0.5, a metric that never improves
    LearningRateSchedule s = plateau(Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS, 2, 0);
    script(s,
        new double[] {5, 5, 5, 5, 5, 5, 5, 5},
        // 5: best. 5: bad 1 > 0: lr 0.5, cooldown 2. 5, 5: in cooldown (2 → 1 → 0), bad reset.
        // 5: bad 1: lr 0.25, cooldown 2. 5, 5: cooldown. 5: lr 0.125.
        new double[] {1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125});
  }

  @Test
  void improvementDuringCooldownStillSetsBest() {
    LearningRateSchedule s = plateau(Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS, 1, 0);
    script(s,
        new double[] {5, 6, 4, 4.5, 4.5},
        // 5: best. 6: bad: lr 0.5, cooldown 1. 4: best 4 (cooldown 1 → 0).
        // 4.5: bad 1 > 0: lr 0.25, cooldown 1. 4.5: bad but in cooldown.
        new double[] {1, 0.5, 0.5, 0.25, 0.25});
  }

  @Test
  void minLrIsAFloor() {
    // factor 0.1, minLr 0.05: 1 → 0.1 → max(0.01, 0.05) = 0.05 → stays
    LearningRateSchedule s = plateau(Mode.MIN, 0.1, 0, 0, ThresholdMode.ABS, 0, 0.05);
    script(s,
        new double[] {1, 1, 1, 1},
        new double[] {1, 0.1, 0.05, 0.05});
  }

  @Test
  void reductionSmallerThanEpsIsSkipped() {
    // lr 1e-7 · 0.5: the change 5e-8 is not > eps 1e-7
    LearningRateSchedule s = new ReduceLrOnPlateau(1e-7, Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS,
        0, 0, 1e-7, 1);
    script(s, new double[] {1, 1, 1}, new double[] {1e-7, 1e-7, 1e-7});
  }

  @Test
  void intervalAveragesMetricsIntoOneObservation() {
    // interval 3, patience 0: means 2 (best), then 2 (bad: lr 0.1)
    LearningRateSchedule s = new ReduceLrOnPlateau(1.0, Mode.MIN, 0.1, 0, 0, ThresholdMode.ABS,
        0, 0, ReduceLrOnPlateau.EPS, 3);
    script(s,
        new double[] {3, 2, 1, 1, 2, 3, 0.5, 0.5},
        new double[] {1, 1, 1, 1, 1, 0.1, 0.1, 0.1});
  }

  @Test
  void theRateIgnoresTheStep() {
    LearningRateSchedule s = new ReduceLrOnPlateau(0.3);
    assertEquals(0.3, s.rate(0));
    assertEquals(0.3, s.rate(1_000_000));
  }

  @Test
  void defaultsArePyTorchs() {
    assertEquals(Mode.MIN, ReduceLrOnPlateau.MODE);
    assertEquals(0.1, ReduceLrOnPlateau.FACTOR);
    assertEquals(10L, ReduceLrOnPlateau.PATIENCE);
    assertEquals(1e-4, ReduceLrOnPlateau.THRESHOLD);
    assertEquals(ThresholdMode.REL, ReduceLrOnPlateau.THRESHOLD_MODE);
    assertEquals(0L, ReduceLrOnPlateau.COOLDOWN);
    assertEquals(0.0, ReduceLrOnPlateau.MIN_LR);
    assertEquals(1e-8, ReduceLrOnPlateau.EPS);
    // Patience 10: the 11th observation without improvement reduces the rate.
    LearningRateSchedule s = new ReduceLrOnPlateau(1.0);
    double[] metrics = new double[12];
    java.util.Arrays.fill(metrics, 1.0);
    double[] expected = new double[12];
    java.util.Arrays.fill(expected, 1.0);
    expected[11] = 0.1;
    script(s, metrics, expected);
  }

  @Test
  void resolveGivesAFreshCopy() {
    LearningRateSchedule s = plateau(Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS, 0, 0);
    script(s, new double[] {1, 1}, new double[] {1, 0.5});
    LearningRateSchedule fresh = s.resolve(5);
    assertEquals(1.0, fresh.rate(0));
    assertEquals(0.5, s.rate(0));
    assertEquals(s.toString(), fresh.toString());
  }

  @Test
  void constructorRejectsBadParameters() {
    assertRejects("lr0", () -> new ReduceLrOnPlateau(0));
    assertRejects("mode", () -> plateau(null, 0.5, 1, 0, ThresholdMode.ABS, 0, 0));
    assertRejects("factor", () -> plateau(Mode.MIN, 1.0, 1, 0, ThresholdMode.ABS, 0, 0));
    assertRejects("factor", () -> plateau(Mode.MIN, 0, 1, 0, ThresholdMode.ABS, 0, 0));
    assertRejects("patience", () -> plateau(Mode.MIN, 0.5, -1, 0, ThresholdMode.ABS, 0, 0));
    assertRejects("threshold", () -> plateau(Mode.MIN, 0.5, 1, -1e-4, ThresholdMode.ABS, 0, 0));
    assertRejects("thresholdMode", () -> plateau(Mode.MIN, 0.5, 1, 0, null, 0, 0));
    assertRejects("cooldown", () -> plateau(Mode.MIN, 0.5, 1, 0, ThresholdMode.ABS, -1, 0));
    assertRejects("minLr", () -> plateau(Mode.MIN, 0.5, 1, 0, ThresholdMode.ABS, 0, 2.0));
    assertRejects("eps", () -> new ReduceLrOnPlateau(1, Mode.MIN, 0.5, 1, 0, ThresholdMode.ABS,
        0, 0, -1, 1));
    assertRejects("interval", () -> new ReduceLrOnPlateau(1, Mode.MIN, 0.5, 1, 0,
        ThresholdMode.ABS, 0, 0, 1e-8, 0));
    assertRejects("mode", () -> Mode.parse("minimum"));
    assertRejects("thresholdMode", () -> ThresholdMode.parse("relative"));
    assertRejects("step", () -> new ReduceLrOnPlateau(1).observe(-1, 0.5));
  }

  @Test
  void toStringEchoesConfiguration() {
    assertEquals("ReduceLrOnPlateau(lr0=0.1, mode=min, factor=0.1, patience=10, threshold=1.0E-4,"
        + " thresholdMode=rel, cooldown=0, minLr=0.0, eps=1.0E-8)",
        new ReduceLrOnPlateau(0.1).toString());
  }
}
