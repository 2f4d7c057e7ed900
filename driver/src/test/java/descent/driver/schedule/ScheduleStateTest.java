package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.driver.StateJson;
import descent.driver.schedule.ReduceLrOnPlateau.Mode;
import descent.driver.schedule.ReduceLrOnPlateau.ThresholdMode;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Save then restore, as a record and through JSON, continues bit for bit like an uninterrupted
 * run, for the plateau schedule alone, inside a warmup and inside a chain; infinities survive
 * JSON; a state that does not fit is refused.
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
    ScheduleState saved = first.state();
    for (boolean json : new boolean[] {false, true}) {
      LearningRateSchedule second = make.get();
      second.restore(json ? viaJson(saved) : saved);
      double[] rates = resumed.clone();
      run(second, cut, STEPS, rates);
      for (int t = 0; t < STEPS; t++) {
        assertEquals(Double.doubleToRawLongBits(straight[t]), Double.doubleToRawLongBits(rates[t]),
            (json ? "through JSON, " : "") + "step " + t + ": " + straight[t] + " vs " + rates[t]);
      }
    }
  }

  /** {@code state} through JSON text and back, as a checkpoint takes it. */
  static ScheduleState viaJson(ScheduleState state) {
    ScheduleState back = StateJson.scheduleState(StateJson.toJson(state));
    assertEquals(state.getClass(), back.getClass());
    return back;
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
    ReduceLrOnPlateau.State before = (ReduceLrOnPlateau.State) s.state();
    run(s, 0, STEPS, new double[STEPS]);
    assertEquals(0.1, before.lr());
    assertEquals(Double.POSITIVE_INFINITY, before.best());
  }

  @Test
  void infinitiesAndNaNSurviveJson() {
    ReduceLrOnPlateau.State fresh = (ReduceLrOnPlateau.State) plateau(1).state();
    ScheduleState back = viaJson(fresh);
    assertEquals(fresh, back);
    assertEquals(Double.POSITIVE_INFINITY, ((ReduceLrOnPlateau.State) back).best());
    assertTrue(StateJson.toJson(fresh).contains("\"Infinity\""), StateJson.toJson(fresh));

    LearningRateSchedule max = new ReduceLrOnPlateau(0.1, Mode.MAX, 0.5, 3, 1e-3,
        ThresholdMode.REL, 2, 0.001, ReduceLrOnPlateau.EPS, 2);
    max.observe(0, Double.NaN); // half an interval: the partial sum is NaN
    ReduceLrOnPlateau.State state = (ReduceLrOnPlateau.State) viaJson(max.state());
    assertEquals(Double.NEGATIVE_INFINITY, state.best());
    assertTrue(Double.isNaN(state.intervalSum()));
    assertEquals(1, state.intervalCount());
    ScheduleState chain = new SequentialSchedule(List.of(plateau(1), max), new long[] {5})
        .state();
    assertEquals(chain, viaJson(chain));
    // the restored schedule holds the infinity, not NaN: its first observation is an improvement
    LearningRateSchedule restored = plateau(1);
    restored.restore(back);
    restored.observe(0, 1e300);
    assertEquals(1e300, ((ReduceLrOnPlateau.State) restored.state()).best());
  }

  @Test
  void pureSchedulesKeepNoStateAndRefuseOne() {
    LearningRateSchedule[] pure = {new ConstantSchedule(0.1), new CosineAnnealing(0.1, 4),
        new CyclicSchedule(0.1, 1, 4), new OneCycleSchedule(1, 100)};
    ScheduleState plateauState = plateau(1).state();
    for (LearningRateSchedule s : pure) {
      assertEquals(ScheduleState.NONE, s.state(), s.toString());
      s.restore(ScheduleState.NONE);
      s.restore(viaJson(ScheduleState.NONE));
      assertRejects("keeps no state", () -> s.restore(plateauState));
      assertRejects("keeps no state", () -> s.restore(null));
    }
    // a warmup of a pure schedule holds only the inner schedule's (empty) state
    LinearWarmup warmup = new LinearWarmup(new StepDecay(0.1, 3), 2);
    assertEquals(new LinearWarmup.State(ScheduleState.NONE), warmup.state());
    warmup.restore(viaJson(warmup.state()));
    assertRejects("keeps no state",
        () -> warmup.restore(new LinearWarmup.State(plateauState)));
    assertRejects("expected a warmup state", () -> warmup.restore(ScheduleState.NONE));
  }

  @Test
  void aStateThatDoesNotFitIsRefused() {
    ReduceLrOnPlateau.State good = (ReduceLrOnPlateau.State) plateau(1).state();
    ObjectNode missing = (ObjectNode) StateJson.toTree(good);
    missing.remove("best");
    assertRejects("best", () -> plateau(1).restore(StateJson.scheduleState(missing)));
    ObjectNode nulled = (ObjectNode) StateJson.toTree(good);
    nulled.putNull("best");
    assertRejects("best", () -> plateau(1).restore(StateJson.scheduleState(nulled)));
    assertRejects("best", () -> plateau(1).restore(withBest(good, Double.NaN)));
    assertRejects("lr", () -> plateau(1).restore(new ReduceLrOnPlateau.State(1.0, good.best(),
        0, 0, 0, 0, 0)));
    ObjectNode fraction = (ObjectNode) StateJson.toTree(good);
    fraction.put("numBadEpochs", 1.5);
    assertRejects("numBadEpochs", () -> plateau(1).restore(StateJson.scheduleState(fraction)));
    assertRejects("numBadEpochs", () -> plateau(1).restore(new ReduceLrOnPlateau.State(0.1,
        good.best(), -1, 0, 0, 0, 0)));
    assertRejects("intervalCount", () -> plateau(3).restore(new ReduceLrOnPlateau.State(0.1,
        good.best(), 0, 0, 0, 0, 3)));
    assertRejects("expected a plateau state", () -> plateau(1).restore(ScheduleState.NONE));
    assertRejects("expected a plateau state", () -> plateau(1).restore(null));

    SequentialSchedule chain = new SequentialSchedule(List.of(new ConstantSchedule(0.1),
        plateau(1)), new long[] {5});
    assertRejects("expected a chain state", () -> chain.restore(good));
    assertRejects("this chain has 2 stages",
        () -> chain.restore(new SequentialSchedule.State(List.of(ScheduleState.NONE))));
    assertRejects("keeps no state", () -> chain.restore(new SequentialSchedule.State(
        List.of(good, good))));
    ObjectNode unknown = (ObjectNode) StateJson.toTree(good);
    unknown.put("type", "cosine");
    assertRejects("cosine", () -> StateJson.scheduleState(unknown));
  }

  static ReduceLrOnPlateau.State withBest(ReduceLrOnPlateau.State s, double best) {
    return new ReduceLrOnPlateau.State(s.lr(), best, s.numBadEpochs(), s.cooldownCounter(),
        s.lastEpoch(), s.intervalSum(), s.intervalCount());
  }

  @Test
  void aRefusedStateLeavesAChainAsItWas() {
    SequentialSchedule chain = new SequentialSchedule(List.of(plateau(1), plateau(1)),
        new long[] {40});
    run(chain, 0, 30, new double[STEPS]);
    SequentialSchedule.State before = chain.state();
    ReduceLrOnPlateau.State fresh = (ReduceLrOnPlateau.State) plateau(1).state();
    // stage 0's state fits; stage 1's lr is above its lr0
    SequentialSchedule.State bad = new SequentialSchedule.State(List.of(fresh,
        new ReduceLrOnPlateau.State(1.0, fresh.best(), 0, 0, 0, 0, 0)));
    assertRejects("stage1: ", () -> chain.restore(bad));
    assertEquals(before, chain.state());
  }
}
