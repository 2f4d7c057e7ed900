package descent.driver.schedule;

import static descent.driver.schedule.LearningRateScheduleTest.assertRate;
import static descent.driver.schedule.LearningRateScheduleTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import descent.driver.schedule.ReduceLrOnPlateau.Mode;
import descent.driver.schedule.ReduceLrOnPlateau.ThresholdMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stages switch at the milestones, each counting steps from its own start. */
class SequentialScheduleTest {

  /** patience 0, factor 0.5, any non-improvement reduces. */
  static ReduceLrOnPlateau impatient(double lr0) {
    return new ReduceLrOnPlateau(lr0, Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS, 0, 0,
        ReduceLrOnPlateau.EPS, 1);
  }

  @Test
  void stagesSwitchAtTheMilestonesAndStartFromTheirStepZero() {
    // constant 0.1 on [0, 3), exponential 1·0.5^(t−3) on [3, 5), linear τ=10 from 5 on
    LearningRateSchedule s = new SequentialSchedule(List.of(new ConstantSchedule(0.1),
        new ExponentialDecay(1.0, 0.5), new LinearDecay(1.0, 10)), new long[] {3, 5});
    assertRate(0.1, s, 0);
    assertRate(0.1, s, 2);   // the last step of stage 0
    assertRate(1.0, s, 3);   // exponential's step 0
    assertRate(0.5, s, 4);   // exponential's step 1
    assertRate(1.0, s, 5);   // linear's step 0
    assertRate(0.901, s, 6); // linear's step 1: 0.9 + 0.1·0.01
    assertRate(0.01, s, 15); // linear's step 10 = τ
    assertRate(0.01, s, 1000);
  }

  @Test
  void aPlateauStageSeesOnlyItsOwnObservations() {
    // constant 1 on [0, 2), then the plateau; the metric never improves
    LearningRateSchedule s = new SequentialSchedule(
        List.of(new ConstantSchedule(1.0), impatient(1.0)), new long[] {2});
    for (long t = 0; t < 2; t++) {
      assertEquals(1.0, s.rate(t));
      s.observe(t, 5.0); // goes to the constant stage: ignored
    }
    assertEquals(1.0, s.rate(2));
    s.observe(2, 5.0); // the plateau's first observation: its best
    assertEquals(1.0, s.rate(3)); // had it seen steps 0 and 1 it would be at 0.25 by now
    s.observe(3, 5.0); // bad: 0.5
    assertEquals(0.5, s.rate(4));
    assertEquals(0.5, plateauState(s, 1).lr());
  }

  @Test
  void aPlateauStageFollowedByAnotherStageKeepsItsState() {
    LearningRateSchedule s = new SequentialSchedule(
        List.of(impatient(1.0), new ConstantSchedule(0.01)), new long[] {2});
    s.observe(0, 5.0);
    s.observe(1, 5.0);
    assertEquals(0.01, s.rate(2));
    s.observe(2, 5.0); // the constant stage's
    assertEquals(0.5, plateauState(s, 0).lr());
    assertEquals(ScheduleState.NONE, stageStates(s).get(1)); // only the plateau keeps state
  }

  static List<ScheduleState> stageStates(LearningRateSchedule chain) {
    return ((SequentialSchedule.State) chain.state()).stages();
  }

  static ReduceLrOnPlateau.State plateauState(LearningRateSchedule chain, int stage) {
    return (ReduceLrOnPlateau.State) stageStates(chain).get(stage);
  }

  @Test
  void resolveReachesEveryStage() {
    // linear with τ = 100 epochs of 2 steps = 200 steps, after 4 constant steps
    LearningRateSchedule s = new SequentialSchedule(
        List.of(new ConstantSchedule(0.5), new LinearDecay(1.0)), new long[] {4});
    LearningRateSchedule r = s.resolve(2);
    assertRate(0.505, r, 104); // linear's step 100 = τ/2: 0.5 + 0.5·0.01
    assertRate(0.01, r, 204);
    LearningRateSchedule pure = new SequentialSchedule(
        List.of(new ConstantSchedule(0.5), new LinearDecay(1.0, 5)), new long[] {4});
    assertEquals(pure, pure.resolve(2));
  }

  @Test
  void aSingleStageIsThatStage() {
    LearningRateSchedule s = new SequentialSchedule(List.of(new ExponentialDecay(1, 0.5)),
        new long[0]);
    assertRate(0.25, s, 2);
  }

  @Test
  void constructorRejectsBadStagesAndMilestones() {
    ConstantSchedule c = new ConstantSchedule(0.1);
    assertRejects("stages", () -> new SequentialSchedule(List.of(), new long[0]));
    assertRejects("stages[1]", () -> new SequentialSchedule(
        java.util.Arrays.asList(c, null), new long[] {1}));
    assertRejects("milestones", () -> new SequentialSchedule(List.of(c, c), new long[0]));
    assertRejects("milestones", () -> new SequentialSchedule(List.of(c, c), new long[] {0}));
    assertRejects("milestones", () -> new SequentialSchedule(List.of(c, c, c), new long[] {3, 3}));
    assertRejects("milestones", () -> new SequentialSchedule(List.of(c, c, c), new long[] {4, 2}));
    assertRejects("step", () -> new SequentialSchedule(List.of(c, c), new long[] {1}).rate(-1));
  }

  @Test
  void toStringNamesStagesAndMilestones() {
    assertEquals("SequentialSchedule(ConstantSchedule(lr0=0.1), from step 3: "
        + "ExponentialDecay(lr0=1.0, gamma=0.5))",
        new SequentialSchedule(List.of(new ConstantSchedule(0.1), new ExponentialDecay(1, 0.5)),
            new long[] {3}).toString());
  }
}
