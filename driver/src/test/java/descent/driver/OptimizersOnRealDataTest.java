package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.StepDecay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;

/**
 * Each first-order optimizer, driven by the trainer with a constant learning rate, reaches the
 * heart_scale optimum (regL2 = 1/270, no intercept) that LIBLINEAR and glmnet reached, and the
 * optimizer options are checked before any Spark job.
 */
class OptimizersOnRealDataTest {
  static final double HEART_OPTIMUM = 0.363802961141248;
  static TrainingData heart;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
  }

  static OptimizerConfig config(String name, Double momentum, Boolean nesterov, Double weightDecay) {
    return new OptimizerConfig(name, momentum, null, nesterov, null, null, null, null,
        weightDecay, null, null, null, null, null, null, null, null);
  }

  static Stream<Object[]> optimizers() {
    return Stream.of(
        new Object[] {config("sgd", null, null, null), 3.0},
        new Object[] {config("sgd", 0.9, true, null), 1.0},
        new Object[] {config("adagrad", null, null, null), 0.5},
        new Object[] {config("rmsprop", null, null, null), 0.01},
        new Object[] {config("adam", null, null, null), 0.05},
        new Object[] {config("adamw", null, null, 0.0), 0.05},
        new Object[] {config("delta-bar-delta", null, null, null), 1.0});
  }

  @ParameterizedTest(name = "{0} lr {1}")
  @MethodSource("optimizers")
  void reachesTheHeartScaleOptimum(OptimizerConfig optimizer, double lr) {
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .regL2(1.0 / 270).optimizer(optimizer).learningRate(lr).maxSteps(400L).build();
    TrainingResult r = new Trainer(config, TrainingListener.NONE).train(heart);
    double gap = (r.objective() - HEART_OPTIMUM) / HEART_OPTIMUM;
    assertTrue(gap > -1e-12 && gap < 1e-6, optimizer.name() + ": relative gap " + gap);
  }

  @Test
  void lambWithACosineScheduleReachesTheHeartScaleOptimum() {
    // LAMB moves each layer by lr·||θ_layer||, so it needs a rate that decays to zero.
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .regL2(1.0 / 270).optimizer("lamb").learningRate(0.05)
        .schedule(new CosineAnnealing(0.05, 400)).maxSteps(400L).build();
    TrainingResult r = new Trainer(config, TrainingListener.NONE).train(heart);
    double gap = (r.objective() - HEART_OPTIMUM) / HEART_OPTIMUM;
    assertTrue(gap > -1e-12 && gap < 1e-6, "lamb: relative gap " + gap);
  }

  @Test
  void eachStepUsesTheScheduleRateOfItsIndex() {
    LearningRateSchedule schedule = new LinearWarmup(new StepDecay(0.4, 2, 0.5), 2);
    java.util.List<Double> rates = new java.util.ArrayList<>();
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .schedule(schedule).maxSteps(6L).build();
    new Trainer(config, r -> rates.add(r.learningRate())).train(heart);
    // warmup 0.4·1/2, 0.4·2/2, then StepDecay from its step 0: 0.4, 0.4, 0.2, 0.2
    assertEquals(java.util.List.of(0.2, 0.4, 0.4, 0.4, 0.2, 0.2), rates);
  }

  @Test
  void optionsThatDoNotApplyOrAreOutOfRangeAreRejected() {
    TrainingConfig.Builder b = TrainingConfig.builder().modelType(ModelType.LOGISTIC);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.optimizer(
        new OptimizerConfig("sgd", null, null, null, 0.9, null, null, null, null, null, null,
            null, null, null, null, null, null)).build().validate());
    assertTrue(e.getMessage().contains("--beta1 does not apply to --optimizer sgd"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> b.optimizer("nadam").build().validate());
    assertTrue(e.getMessage().contains("nadam") && e.getMessage().contains("adam"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.optimizer(
        new OptimizerConfig("adam", null, null, null, 1.5, null, null, null, null, null, null,
            null, null, null, null, null, null)).build().validate());
    assertTrue(e.getMessage().contains("beta1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> b.optimizer(config("sgd", 0.0, true, null)).build().validate());
    assertTrue(e.getMessage().toLowerCase().contains("nesterov"), e.getMessage());
    assertEquals("adam", OptimizerConfig.named("adam").create(3).name());
  }
}
