package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Problems are reported against their parameter and named by each front end its own way. */
class ConfigProblemTest {
  @Test
  void aProblemIsRenderedInTheNamesOfTheFrontEnd() {
    ConfigProblem p = Param.LEARNING_RATE.problem("must be a positive number, got -1.0");
    assertEquals("--lr must be a positive number, got -1.0", p.render(Param::flag));
    assertEquals("learningRate must be a positive number, got -1.0",
        p.render(Param::driverName));
    ConfigProblem both = ConfigProblem.of(Param.BATCH_FRACTION, "give " + Param.BATCH_SIZE.ref()
        + " or " + Param.BATCH_FRACTION.ref() + ", not both");
    assertEquals("give --batch-size or --batch-fraction, not both", both.toString());
  }

  @Test
  void validationListsEveryProblemAgainstItsParameter() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> TrainingConfig.builder().modelType(ModelType.LOGISTIC).learningRate(-1)
            .batchSize(0L).maxSteps(0L).build().validate());
    assertEquals(List.of(Param.LEARNING_RATE, Param.BATCH_SIZE, Param.MAX_STEPS),
        e.problems().stream().map(ConfigProblem::param).toList());
    assertEquals("--lr must be a positive number, got -1.0; --batch-size must be positive, got"
        + " 0; --max-steps must be positive, got 0", e.getMessage());
    InvalidConfigException named = e.named(p -> p == Param.MAX_STEPS ? "maxIter"
        : p.driverName(), "params: ");
    assertEquals("params: learningRate must be a positive number, got -1.0; batchSize must be"
        + " positive, got 0; maxIter must be positive, got 0", named.getMessage());
    assertEquals(e.problems(), named.problems());
  }

  @Test
  void theLearningRateDefaultsToTheOptimizersOwnOnce() {
    assertEquals(1.0, TrainingConfig.builder().optimizer("lbfgs").build().learningRate());
    assertEquals(1.0, TrainingConfig.builder().optimizer("newton").build().learningRate());
    assertEquals(TrainingConfig.DEFAULT_LEARNING_RATE,
        TrainingConfig.builder().optimizer("adam").build().learningRate());
    assertEquals(0.5, TrainingConfig.builder().optimizer("lbfgs").learningRate(0.5).build()
        .learningRate());
  }

  @Test
  void theScheduleIsBuiltFromTheStoredRate() {
    TrainingConfig c = TrainingConfig.builder().modelType(ModelType.LOGISTIC).optimizer("lbfgs")
        .schedule(descent.driver.schedule.ScheduleSpec.parse("step(step-size=2, gamma=0.5)"))
        .build().validate();
    assertEquals(1.0, c.newSchedule(10).rate(0), 0.0);
    assertEquals(0.5, c.newSchedule(10).rate(2), 0.0);
    assertEquals(1.0, TrainingConfig.builder().optimizer("newton").build().newSchedule(10)
        .rate(5), 0.0);
  }
}
