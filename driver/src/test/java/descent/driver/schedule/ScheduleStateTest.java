package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.schedule.ReduceLrOnPlateau.Mode;
import descent.driver.schedule.ReduceLrOnPlateau.ThresholdMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Save then restore continues bit for bit like an uninterrupted run, for the plateau schedule
 * alone, inside a warmup and inside a chain; a state that does not fit is refused.
 */
class ScheduleStateTest {

  static final int STEPS = 80;

  /** A loss that falls, then flattens at 0.5 with a little deterministic noise. */
  static double loss(long t) {
    return Math.max(0.5, 2.0 - 0.1 * t) + 0.01 * ((t * 7919) % 13) / 13.0;
  }

  static double[] run(LearningRateSchedule s, long from, long to, double[] rates) {
    for (long t = from; t < to; t++) {
      rates[(int) t] = s.rate(t);
      s.observe(t, loss(t));
    }
    return rates;
  }

  /** Runs a fresh schedule straight through, and another stopped at {@code cut} and restored. */
  static void assertResumesBitForBit(Supplier<LearningRateSchedule> make, long cut) {
    double[] straight = run(make.get(), 0, STEPS, new double[STEPS]);
    assertTrue(straight[STEPS - 1] < straight[(int) cut],
        "the rate should fall after the cut, else the test shows nothing: "
            + java.util.Arrays.toString(straight));

    double[] resumed = new double[STEPS];
    LearningRateSchedule first = make.get();
    run(first, 0, cut, resumed);
    Map<String, double[]> saved = first.state();
    LearningRateSchedule second = make.get();
    second.restore(saved);
    run(second, cut, STEPS, resumed);
    for (int t = 0; t < STEPS; t++) {
      assertEquals(Double.doubleToRawLongBits(straight[t]), Double.doubleToRawLongBits(resumed[t]),
          "step " + t + ": " + straight[t] + " vs " + resumed[t]);
    }
  }

  static ReduceLrOnPlateau plateau(long interval) {
    return new ReduceLrOnPlateau(0.1, Mode.MIN, 0.5, 3, 1e-3, ThresholdMode.REL, 2, 0.001,
        ReduceLrOnPlateau.EPS, interval);
  }

  @Test
  void plateauResumesBitForBit() {
    assertResumesBitForBit(() -> plateau(1), 17);
    assertResumesBitForBit(() -> plateau(1), 30); // in a cooldown or with bad counts
  }

  @Test
  void plateauResumesMidIntervalBitForBit() {
    assertResumesBitForBit(() -> plateau(3), 19); // 19 = 6·3 + 1: one metric of the next mean
  }

  @Test
  void warmupOfPlateauResumesBitForBit() {
    assertResumesBitForBit(() -> new LinearWarmup(plateau(1), 5), 3);  // during the warmup
    assertResumesBitForBit(() -> new LinearWarmup(plateau(1), 5), 24);
  }

  @Test
  void chainWithPlateauResumesBitForBit() {
    Supplier<LearningRateSchedule> chain = () -> new SequentialSchedule(
        List.of(new CosineAnnealing(0.2, 10), plateau(1), plateau(2)), new long[] {10, 40});
    assertResumesBitForBit(chain, 5);  // in the cosine stage
    assertResumesBitForBit(chain, 25); // in the first plateau
    assertResumesBitForBit(chain, 45); // in the second, with the first's state saved too
  }

  @Test
  void stateIsASnapshot() {
    LearningRateSchedule s = plateau(1);
    Map<String, double[]> before = s.state();
    run(s, 0, STEPS, new double[STEPS]);
    assertEquals(0.1, before.get("lr")[0]);
    assertEquals(Double.POSITIVE_INFINITY, before.get("best")[0]);
  }

  @Test
  void pureSchedulesKeepNoStateAndRefuseOne() {
    LearningRateSchedule[] pure = {new ConstantSchedule(0.1), new CosineAnnealing(0.1, 4),
        new CyclicSchedule(0.1, 1, 4), new OneCycleSchedule(1, 100),
        new LinearWarmup(new StepDecay(0.1, 3), 2)};
    for (LearningRateSchedule s : pure) {
      assertTrue(s.state().isEmpty(), s.toString());
      s.restore(Map.of());
      assertRejects("keeps no state", () -> s.restore(Map.of("lr", new double[] {0.1})));
    }
  }

  @Test
  void aStateThatDoesNotFitIsRefused() {
    Map<String, double[]> good = plateau(1).state();
    Map<String, double[]> missing = new HashMap<>(good);
    missing.remove("best");
    assertRejects("best", () -> plateau(1).restore(missing));
    Map<String, double[]> tooHigh = new HashMap<>(good);
    tooHigh.put("lr", new double[] {1.0});
    assertRejects("lr", () -> plateau(1).restore(tooHigh));
    Map<String, double[]> fraction = new HashMap<>(good);
    fraction.put("numBadEpochs", new double[] {1.5});
    assertRejects("numBadEpochs", () -> plateau(1).restore(fraction));
    Map<String, double[]> partial = new HashMap<>(good);
    partial.put("intervalCount", new double[] {3});
    assertRejects("intervalCount", () -> plateau(3).restore(partial));

    SequentialSchedule chain = new SequentialSchedule(List.of(new ConstantSchedule(0.1),
        plateau(1)), new long[] {5});
    Map<String, double[]> unprefixed = new HashMap<>(good);
    assertRejects("names no stage", () -> chain.restore(unprefixed));
    Map<String, double[]> wrongStage = new HashMap<>();
    good.forEach((k, v) -> wrongStage.put("stage0." + k, v));
    assertRejects("keeps no state", () -> chain.restore(wrongStage));
  }

  @Test
  void aRefusedStateLeavesAChainAsItWas() {
    SequentialSchedule chain = new SequentialSchedule(List.of(plateau(1), plateau(1)),
        new long[] {40});
    run(chain, 0, 30, new double[STEPS]);
    Map<String, double[]> before = chain.state();
    Map<String, double[]> bad = new HashMap<>();
    plateau(1).state().forEach((k, v) -> bad.put("stage0." + k, v));
    bad.put("stage1.lr", new double[] {0.1}); // stage 1's other keys are missing
    assertRejects("stage1: ", () -> chain.restore(bad));
    Map<String, double[]> after = chain.state();
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertEquals(v[0], after.get(k)[0], 0.0, k));
  }
}
