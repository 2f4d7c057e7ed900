package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.schedule.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --schedule and its parameters become the schedule they name, or a clear error. */
class ScheduleOptionsTest {
  static ScheduleOptions parse(String... args) {
    ScheduleOptions options = new ScheduleOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void buildsTheNamedScheduleFromLr() {
    LearningRateSchedule step = parse("--schedule", "step", "--step-size", "3", "--gamma", "0.5")
        .build(0.2);
    assertEquals(0.2, step.rate(2), 0.0); // 0.2·0.5^0
    assertEquals(0.1, step.rate(3), 0.0); // 0.2·0.5^1
    LearningRateSchedule warm = parse("--schedule", "multistep", "--milestones", "2,4",
        "--warmup-steps", "2").build(1.0);
    assertEquals(0.5, warm.rate(0), 0.0); // 1·1/2 during warmup
    assertEquals(0.1, warm.rate(4), 1e-15); // inner step 2: one milestone passed, 1·0.1
    assertEquals(1.0, parse().build(1.0).rate(1000), 0.0); // constant by default
  }

  @Test
  void wrongOrMissingParametersAreErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("--schedule", "cosine", "--gamma", "0.5").build(0.1));
    assertTrue(e.getMessage().contains("--gamma does not apply to --schedule cosine"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("--schedule", "cosine").build(0.1));
    assertTrue(e.getMessage().contains("--t-max is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("--schedule", "warp").build(0.1));
    assertTrue(e.getMessage().contains("warp") && e.getMessage().contains("cosine"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> parse("--schedule", "step", "--step-size", "0").build(0.1));
    assertTrue(e.getMessage().contains("stepSize"), e.getMessage());
  }
}
