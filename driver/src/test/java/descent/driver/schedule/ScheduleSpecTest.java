package descent.driver.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.InvalidConfigException;
import descent.driver.Param;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule grammar both front ends accept, built from the run's learning rate. */
class ScheduleSpecTest {
  @Test
  void aStageBuildsTheScheduleItNamesFromTheLearningRate() {
    assertEquals(new StepDecay(0.5, 10, 0.5).toString(),
        ScheduleSpec.parse("step(step-size=10, gamma=0.5)").build(0.5).toString());
    assertEquals(new ConstantSchedule(0.2).toString(),
        ScheduleSpec.parse("constant").build(0.2).toString());
    assertEquals(new CosineAnnealing(1.0, 30, 0.01).toString(),
        ScheduleSpec.single("cosine", Map.of(Param.T_MAX, 30L, Param.ETA_MIN, 0.01)).build(1.0)
            .toString());
  }

  @Test
  void lengthsLeftOutLastTheStepBudget() {
    assertEquals(new CosineAnnealing(0.5, 60).toString(),
        ScheduleSpec.parse("cosine").withDefaultLengths(60).build(0.5).toString());
    assertEquals(new LinearDecay(0.5, 60).toString(),
        ScheduleSpec.parse("linear").withDefaultLengths(60).build(0.5).toString());
    // The last stage lasts what the earlier stages leave of the budget; a given length stays.
    LearningRateSchedule s = ScheduleSpec.parse("linear@10, cosine").withDefaultLengths(50)
        .build(1.0);
    assertTrue(s.toString().contains("LinearDecay(lr0=1.0, tau=10)"), s.toString());
    assertTrue(s.toString().contains("CosineAnnealing(lr0=1.0, tMax=40"), s.toString());
    assertEquals(new CosineAnnealing(1.0, 7).toString(), ScheduleSpec.parse("cosine(t-max=7)")
        .withDefaultLengths(50).build(1.0).toString());
  }

  @Test
  void aChainRunsItsStagesInSequence() {
    LearningRateSchedule s = ScheduleSpec.parse("linear(tau=100)@100, plateau(patience=5)")
        .build(0.1);
    assertTrue(s instanceof SequentialSchedule, s.toString());
    assertEquals(0.1, s.rate(100), 0.0); // the plateau starts at the run's rate
    assertEquals("linear(tau=100)@100, plateau(plateau-patience=5)",
        ScheduleSpec.parse("linear(tau=100)@100, plateau(patience=5)").toString());
  }

  @Test
  void problemsNameTheOptionInTheFrontEndsNames() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> ScheduleSpec.parse("cosine(t-max=0)").build(0.1));
    assertEquals(Param.SCHEDULE_CHAIN, e.problems().get(0).param());
    assertTrue(e.getMessage().startsWith("--schedule-chain stage 1 'cosine(t-max=0)': --schedule"
        + " cosine: --t-max: "), e.getMessage());
    String named = e.message(p -> p.isScheduleOption() ? p.key() : "schedule");
    assertTrue(named.startsWith("schedule stage 1 'cosine(t-max=0)': schedule cosine: t-max: "),
        named);
    assertFalse(named.contains("--"), named);
    e = assertThrows(InvalidConfigException.class, () -> ScheduleSpec.parse("cosine:3"));
    assertTrue(e.getMessage().contains("expected NAME"), e.getMessage());
    e = assertThrows(InvalidConfigException.class,
        () -> ScheduleSpec.single("warp", Map.of()));
    assertTrue(e.getMessage().startsWith("--schedule 'warp' is not available"), e.getMessage());
    e = assertThrows(InvalidConfigException.class,
        () -> ScheduleSpec.parse("step(step-size=3, step-size=4)"));
    assertTrue(e.getMessage().contains("step-size is given twice"), e.getMessage());
  }
}
