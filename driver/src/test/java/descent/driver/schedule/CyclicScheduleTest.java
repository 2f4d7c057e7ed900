package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRate;
import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import descent.driver.schedule.CyclicSchedule.Mode;
import org.junit.jupiter.api.Test;

/**
 * CyclicSchedule against values worked out by hand from PyTorch's CyclicLR formula:
 * L = up + down, r = up/L, cycle = ⌊1 + t/L⌋, x = 1 + t/L − cycle,
 * s = x/r (x ≤ r) or (x − 1)/(r − 1), lr = base + (max − base)·s·f.
 */
class CyclicScheduleTest {

  @Test
  void triangularRisesAndFallsBetweenBaseAndMax() {
    // base 0.1, max 0.5, up = down = 2: L = 4, r = 1/2
    LearningRateSchedule s = new CyclicSchedule(0.1, 0.5, 2, 2, Mode.TRIANGULAR, 1.0);
    assertRate(0.1, s, 0); // x = 0, s = 0
    assertRate(0.3, s, 1); // x = 1/4, s = 1/2: 0.1 + 0.4·0.5
    assertRate(0.5, s, 2); // x = 1/2 = r, s = 1: max
    assertRate(0.3, s, 3); // x = 3/4, s = (−1/4)/(−1/2) = 1/2
    assertRate(0.1, s, 4); // cycle 2, x = 0
    assertRate(0.5, s, 6); // cycle 2, x = 1/2
    assertRate(0.5, s, 402); // cycle 101, x = 1/2
  }

  @Test
  void stepSizeDownDefaultsToStepSizeUp() {
    LearningRateSchedule s = new CyclicSchedule(0.1, 0.5, 2);
    assertRate(0.3, s, 1);
    assertRate(0.5, s, 2);
    assertRate(0.3, s, 3);
    assertRate(0.1, s, 4);
    assertEquals(2000L, CyclicSchedule.STEP_SIZE_UP);
    assertEquals(Mode.TRIANGULAR, CyclicSchedule.MODE);
    assertEquals(1.0, CyclicSchedule.GAMMA);
  }

  @Test
  void asymmetricCycleRisesInOneStepAndFallsInThree() {
    // base 1, max 2, up 1, down 3: L = 4, r = 1/4
    LearningRateSchedule s = new CyclicSchedule(1, 2, 1, 3, Mode.TRIANGULAR, 1.0);
    assertRate(1.0, s, 0);
    assertRate(2.0, s, 1);         // x = 1/4 = r
    assertRate(1 + 2.0 / 3, s, 2); // x = 1/2: (−1/2)/(−3/4) = 2/3
    assertRate(1 + 1.0 / 3, s, 3); // x = 3/4: (−1/4)/(−3/4) = 1/3
    assertRate(1.0, s, 4);
  }

  @Test
  void triangular2HalvesTheAmplitudeEachCycle() {
    LearningRateSchedule s = new CyclicSchedule(0.1, 0.5, 2, 2, Mode.TRIANGULAR2, 1.0);
    assertRate(0.5, s, 2);  // cycle 1: f = 1
    assertRate(0.2, s, 5);  // cycle 2, x = 1/4, s = 1/2, f = 1/2: 0.1 + 0.4·0.5·0.5
    assertRate(0.3, s, 6);  // cycle 2 peak: 0.1 + 0.4·0.5
    assertRate(0.2, s, 10); // cycle 3 peak: 0.1 + 0.4·0.25
  }

  @Test
  void expRangeScalesTheAmplitudeByGammaToTheStep() {
    LearningRateSchedule s = new CyclicSchedule(0.1, 0.5, 2, 2, Mode.EXP_RANGE, 0.5);
    assertRate(0.1, s, 0);   // s = 0
    assertRate(0.2, s, 1);   // s = 1/2, f = 0.5: 0.1 + 0.4·0.5·0.5
    assertRate(0.2, s, 2);   // s = 1, f = 0.25: 0.1 + 0.4·0.25
    assertRate(0.125, s, 3); // s = 1/2, f = 0.125: 0.1 + 0.4·0.5·0.125
    assertRate(0.1 + 0.4 / 64, s, 6); // s = 1, f = 0.5^6
  }

  @Test
  void zeroStepSizeDownIsASawtooth() {
    // up 4, down 0: L = 4, r = 1, s = x
    LearningRateSchedule s = new CyclicSchedule(0.1, 0.5, 4, 0, Mode.TRIANGULAR, 1.0);
    assertRate(0.1, s, 0);
    assertRate(0.2, s, 1); // 0.1 + 0.4·1/4
    assertRate(0.4, s, 3); // 0.1 + 0.4·3/4
    assertRate(0.1, s, 4); // back to the base
  }

  @Test
  void modesParseFromPyTorchNames() {
    assertEquals(Mode.TRIANGULAR, Mode.parse("triangular"));
    assertEquals(Mode.TRIANGULAR2, Mode.parse("triangular2"));
    assertEquals(Mode.EXP_RANGE, Mode.parse("exp_range"));
    assertEquals(Mode.EXP_RANGE, Mode.parse("exp-range"));
    assertRejects("triangular2", () -> Mode.parse("sine"));
  }

  @Test
  void constructorRejectsBadParameters() {
    assertRejects("baseLr", () -> new CyclicSchedule(0, 0.5, 2));
    assertRejects("maxLr", () -> new CyclicSchedule(0.1, Double.NaN, 2));
    assertRejects("stepSizeUp", () -> new CyclicSchedule(0.1, 0.5, 0));
    assertRejects("stepSizeDown", () -> new CyclicSchedule(0.1, 0.5, 2, -1, Mode.TRIANGULAR, 1));
    assertRejects("mode", () -> new CyclicSchedule(0.1, 0.5, 2, 2, null, 1));
    assertRejects("gamma", () -> new CyclicSchedule(0.1, 0.5, 2, 2, Mode.EXP_RANGE, 0));
    assertRejects("gamma", () -> new CyclicSchedule(0.1, 0.5, 2, 2, Mode.EXP_RANGE, 1.5));
    assertRejects("gamma", () -> new CyclicSchedule(0.1, 0.5, 2, 2, Mode.TRIANGULAR, 0.9));
    assertRejects("step", () -> new CyclicSchedule(0.1, 0.5, 2).rate(-1));
  }

  @Test
  void isPureAndEchoesItsConfiguration() {
    CyclicSchedule s = new CyclicSchedule(0.1, 0.5, 2, 3, Mode.EXP_RANGE, 0.9);
    assertEquals(ScheduleState.NONE, s.state());
    assertEquals(s, s.resolve(7));
    assertEquals("CyclicSchedule(baseLr=0.1, maxLr=0.5, stepSizeUp=2, stepSizeDown=3, "
        + "mode=exp_range, gamma=0.9)", s.toString());
  }
}
