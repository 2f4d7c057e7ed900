package descent.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.LearningRateSchedule;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each first-order optimizer, at full batch with the schedule of its choice, reaches the a9a
 * optimum of ../shared/data/README.md (regL2 1e-4, no intercept) within 1e-4 relative. The
 * settings are the ones a sweep on this data found (see the issue notes); plain gradient descent
 * (sgd without momentum) is too slow on a9a's condition number, so sgd runs with Nesterov
 * momentum, as PyTorch users would.
 */
class FirstOrderOnA9aTest {
  static final double A9A_OPTIMUM = 0.324506924713758;
  static TrainingData a9a;

  @BeforeAll
  static void load() {
    a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
  }

  @AfterAll
  static void drop() {
    a9a.unpersist();
  }

  static OptimizerConfig with(String name, Double momentum, Boolean nesterov,
      Double weightDecay) {
    return new OptimizerConfig(name, momentum, null, nesterov, null, null, null, null,
        weightDecay, null, null, null, null, null, null, null, null);
  }

  static Stream<Arguments> settings() {
    return Stream.of(
        Arguments.of("sgd nesterov 0.9, lr 4, cosine", with("sgd", 0.9, true, null), 4.0, 700L,
            true),
        // Adagrad's per-coordinate rates freeze as squared gradients accumulate, and a9a's rare
        // features then converge slowly: it needs 3500 steps (gap 7.3e-5 at step 3500, 2.3e-4
        // at 2000); cosine schedules and larger rates did worse in the sweep.
        Arguments.of("adagrad lr 1, constant", with("adagrad", null, null, null), 1.0, 3500L,
            false),
        Arguments.of("rmsprop momentum 0.9, lr 0.005, cosine", with("rmsprop", 0.9, null, null),
            0.005, 1000L, true),
        Arguments.of("adam lr 0.3, cosine", with("adam", null, null, null), 0.3, 1000L, true),
        Arguments.of("adamw (weightDecay 0) lr 0.3, cosine", with("adamw", null, null, 0.0), 0.3,
            1000L, true),
        Arguments.of("lamb lr 0.05, cosine", with("lamb", null, null, null), 0.05, 600L, true),
        Arguments.of("delta-bar-delta lr 2, cosine", with("delta-bar-delta", null, null, null),
            2.0, 1000L, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void reachesTheA9aOptimumWithinOneInTenThousand(String name, OptimizerConfig optimizer,
      double lr, long steps, boolean cosine) {
    LearningRateSchedule schedule = cosine ? new CosineAnnealing(lr, steps)
        : new ConstantSchedule(lr);
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
        .optimizer(optimizer).learningRate(lr).schedule(schedule).maxSteps(steps).build();
    TrainingResult r = new Trainer(config, TrainingListener.NONE).train(a9a);
    double gap = (r.objective() - A9A_OPTIMUM) / A9A_OPTIMUM;
    System.out.printf("a9a %s: %d steps, %.2f s, gap %.3e%n", name, r.steps(), r.seconds(), gap);
    assertTrue(gap > -1e-12 && gap < 1e-4, name + ": relative gap " + gap);
  }
}
