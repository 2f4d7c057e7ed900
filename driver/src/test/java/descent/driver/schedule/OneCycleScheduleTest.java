package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.schedule.OneCycleSchedule.AnnealStrategy;
import org.junit.jupiter.api.Test;

/**
 * OneCycleSchedule against values worked out by hand from PyTorch's OneCycleLR: maxLr 1 and
 * divFactor 25 give initialLr 0.04, finalDivFactor 1e4 gives minLr 4e-6; phase ends
 * e_1 = pctStart·T − 1, (three phases: e_2 = 2·pctStart·T − 2), last T − 1;
 * cos: end + (start − end)/2·(cos(π·p) + 1), linear: (end − start)·p + start.
 */
class OneCycleScheduleTest {

  static final double MIN = 4e-6; // 1/25/1e4

  /**
   * Within 1e-15 of maxLr = 1: the linear form (end − start)·p + start, PyTorch's, cancels near
   * minLr and is exact only to the rounding of maxLr there (4e-6 comes out as 4.000000000004e-6).
   */
  static void assertRate(double expected, LearningRateSchedule s, long step) {
    double actual = s.rate(step);
    assertTrue(Math.abs(actual - expected) <= 1e-15,
        s + " at step " + step + ": expected " + expected + ", got " + actual);
  }

  static OneCycleSchedule twoPhase(AnnealStrategy strategy) {
    // T = 10, pctStart 0.4: e_1 = 3, e_2 = 9
    return new OneCycleSchedule(1.0, 10, 0.4, strategy, 25, 1e4, false);
  }

  @Test
  void cosineTwoPhases() {
    OneCycleSchedule s = twoPhase(AnnealStrategy.COS);
    assertRate(0.04, s, 0); // p = 0: initialLr
    assertRate(0.28, s, 1); // p = 1/3, cos = 1/2: 1 + (0.04 − 1)/2·1.5 = 1 − 0.72
    assertRate(0.76, s, 2); // p = 2/3, cos = −1/2: 1 − 0.48·0.5
    assertRate(1.0, s, 3);  // p = 1: maxLr
    assertRate(MIN + (1 - MIN) * 0.75, s, 5); // p = 2/6, cos = 1/2: min + (1 − min)/2·1.5
    assertRate(MIN + (1 - MIN) * 0.5, s, 6);  // p = 3/6, cos = 0
    assertRate(MIN, s, 9);  // p = 1: minLr
  }

  @Test
  void linearTwoPhases() {
    OneCycleSchedule s = twoPhase(AnnealStrategy.LINEAR);
    assertRate(0.04, s, 0);
    assertRate(0.36, s, 1); // 0.96·1/3 + 0.04
    assertRate(0.68, s, 2); // 0.96·2/3 + 0.04
    assertRate(1.0, s, 3);
    assertRate(1 - (1 - MIN) / 2, s, 6); // (min − 1)·1/2 + 1
    assertRate(MIN, s, 9);
  }

  @Test
  void holdsMinLrAfterTheCycle() {
    OneCycleSchedule s = twoPhase(AnnealStrategy.COS);
    assertRate(MIN, s, 10); // PyTorch's last step T would extrapolate; descent holds minLr
    assertRate(MIN, s, 1_000_000);
  }

  @Test
  void fractionalPhaseEndAsPyTorch() {
    // T = 5, pctStart 0.3: e_1 = 0.5, e_2 = 4
    OneCycleSchedule s = new OneCycleSchedule(1.0, 5, 0.3, AnnealStrategy.LINEAR, 25, 1e4, false);
    assertRate(0.04, s, 0);             // phase 1, p = 0
    assertRate(1 - (1 - MIN) / 7, s, 1); // phase 2, p = (1 − 0.5)/(4 − 0.5) = 1/7
    assertRate(MIN, s, 4);
  }

  @Test
  void threePhasesReturnToInitialLrBeforeTheFinalDecay() {
    // T = 10, pctStart 0.3: e_1 = 2, e_2 = 4, e_3 = 9
    OneCycleSchedule cos = new OneCycleSchedule(1.0, 10, 0.3, AnnealStrategy.COS, 25, 1e4, true);
    assertRate(0.04, cos, 0);
    assertRate(0.52, cos, 1); // p = 1/2: 1 + (0.04 − 1)/2·1
    assertRate(1.0, cos, 2);
    assertRate(0.52, cos, 3); // phase 2, p = 1/2: 0.04 + (1 − 0.04)/2·1
    assertRate(0.04, cos, 4);
    assertRate(MIN, cos, 9);
    OneCycleSchedule lin = new OneCycleSchedule(1.0, 10, 0.3, AnnealStrategy.LINEAR, 25, 1e4, true);
    assertRate(0.0320008, lin, 5); // phase 3, p = 1/5: (4e-6 − 0.04)·0.2 + 0.04
    assertRate(MIN, lin, 9);
  }

  @Test
  void defaultsArePyTorchs() {
    assertEquals(0.3, OneCycleSchedule.PCT_START);
    assertEquals(AnnealStrategy.COS, OneCycleSchedule.ANNEAL_STRATEGY);
    assertEquals(25.0, OneCycleSchedule.DIV_FACTOR);
    assertEquals(1e4, OneCycleSchedule.FINAL_DIV_FACTOR);
    assertFalse(OneCycleSchedule.THREE_PHASE);
    OneCycleSchedule s = new OneCycleSchedule(0.5, 100);
    assertRate(0.02, s, 0); // 0.5/25
    assertEquals(0.02, s.initialLr());
    assertEquals(2e-6, s.minLr(), 1e-21); // 0.02/1e4
    assertRate(0.5, s, 29); // e_1 = 0.3·100 − 1 = 29: the peak
  }

  static OneCycleSchedule of(double pctStart, AnnealStrategy strategy, double divFactor,
      double finalDivFactor) {
    return new OneCycleSchedule(1, 10, pctStart, strategy, divFactor, finalDivFactor, false);
  }

  @Test
  void constructorRejectsBadParameters() {
    assertRejects("maxLr", () -> new OneCycleSchedule(0, 10));
    assertRejects("totalSteps", () -> new OneCycleSchedule(1, 0));
    assertRejects("pctStart", () -> of(-0.1, AnnealStrategy.COS, 25, 1e4));
    assertRejects("pctStart", () -> of(1.1, AnnealStrategy.COS, 25, 1e4));
    // pctStart·T = 1: the rise would last zero steps (PyTorch divides by zero)
    assertRejects("pctStart", () -> of(0.1, AnnealStrategy.COS, 25, 1e4));
    assertRejects("annealStrategy", () -> of(0.3, null, 25, 1e4));
    assertRejects("divFactor", () -> of(0.3, AnnealStrategy.COS, 0, 1e4));
    assertRejects("finalDivFactor", () -> of(0.3, AnnealStrategy.COS, 25, -1));
    assertRejects("annealStrategy", () -> AnnealStrategy.parse("cosine"));
    assertEquals(AnnealStrategy.LINEAR, AnnealStrategy.parse("linear"));
    assertRejects("step", () -> new OneCycleSchedule(1, 10).rate(-1));
  }
}
