package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Newton and L-BFGS, driven by the trainer at full batch, reach the optima of
 * ../shared/data/README.md (scikit-learn's exact solvers, LIBLINEAR, glmnet) within 1e-9
 * relative on a9a (regL2 1e-4, with and without intercept), heart_scale and lpsa, and stop by
 * themselves once no line-search point lowers the objective.
 */
class SecondOrderOnRealDataTest {
  static final double A9A_OPTIMUM = 0.324506924713758;
  static final double A9A_INTERCEPT_OPTIMUM = 0.324413044111962;
  static final double HEART_INTERCEPT_OPTIMUM = 0.338544519965559;
  static final double LPSA_OPTIMUM = 0.220020325516931;
  static TrainingData a9a;
  static TrainingData heart;
  static TrainingData lpsa;

  @BeforeAll
  static void load() {
    a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
    lpsa = TestData.libsvm(TestSpark.sharedData("lpsa.libsvm"), 2, LabelDomain.REAL, 8, 42);
  }

  @AfterAll
  static void drop() {
    a9a.unpersist();
    heart.unpersist();
    lpsa.unpersist();
  }

  /** Trains until no lower point is found, or the objective changes by under 1e-12 in a step. */
  static TrainingResult train(TrainingData data, ModelType model, String optimizer,
      boolean intercept, double regL2, long maxSteps) {
    TrainingConfig config = TrainingConfig.builder().modelType(model).fitIntercept(intercept)
        .regL2(regL2).optimizer(optimizer).maxSteps(maxSteps).tol(1e-12).evalEvery(1).build();
    return new Trainer(config, TrainingListener.NONE).train(data);
  }

  static void assertReaches(double optimum, TrainingResult r, String what) {
    double gap = (r.objective() - optimum) / optimum;
    assertTrue(gap > -1e-12 && gap < 1e-9, what + ": relative gap " + gap + " after "
        + r.steps() + " steps, " + r.passes() + " passes");
  }

  @ParameterizedTest(name = "{0} intercept={1}")
  @CsvSource({"newton,false", "newton,true", "lbfgs,false", "lbfgs,true"})
  void reachesTheA9aOptimum(String optimizer, boolean intercept) {
    TrainingResult r = train(a9a, ModelType.LOGISTIC, optimizer, intercept, 1e-4, 1000);
    assertReaches(intercept ? A9A_INTERCEPT_OPTIMUM : A9A_OPTIMUM, r, optimizer);
    System.out.printf("a9a %s intercept=%s: %d steps, %d passes, %.2f s, stop %s, gap %.3e%n",
        optimizer, intercept, r.steps(), r.passes(), r.seconds(), r.stopReason().id(),
        (r.objective() - (intercept ? A9A_INTERCEPT_OPTIMUM : A9A_OPTIMUM))
            / (intercept ? A9A_INTERCEPT_OPTIMUM : A9A_OPTIMUM));
  }

  @Test
  void newtonNeedsFewStepsAndStopsByItself() {
    TrainingResult r = train(a9a, ModelType.LOGISTIC, "newton", false, 1e-4, 200);
    assertTrue(r.steps() <= 15, "steps " + r.steps());
    assertEquals(StopReason.NO_PROGRESS, r.stopReason());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"newton", "lbfgs"})
  void reachesHeartAndLpsaOptimaWithIntercept(String optimizer) {
    assertReaches(HEART_INTERCEPT_OPTIMUM,
        train(heart, ModelType.LOGISTIC, optimizer, true, 1e-3, 200), optimizer + " heart");
    assertReaches(LPSA_OPTIMUM, train(lpsa, ModelType.LINEAR, optimizer, true, 1e-3, 200),
        optimizer + " lpsa");
  }

  @Test
  void newtonOnLeastSquaresIsOneStep() {
    // The objective is quadratic, so the first full Newton step lands on the minimum.
    TrainingResult r = train(lpsa, ModelType.LINEAR, "newton", true, 1e-3, 1);
    assertReaches(LPSA_OPTIMUM, r, "newton, one step");
  }

  @Test
  void newtonRefusesAModelTooLargeForItsHessian() {
    double[][] rows = new double[2][6001];
    rows[0][0] = 1.0;
    rows[1][0] = 2.0;
    TrainingData wide = TestData.dense(rows, 1, 1);
    try {
      TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LINEAR)
          .optimizer("newton").maxSteps(1L).build();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Trainer(config, TrainingListener.NONE).train(wide));
      assertTrue(e.getMessage().contains("at most 5000 parameters")
          && e.getMessage().contains("--optimizer lbfgs"), e.getMessage());
    } finally {
      wide.unpersist();
    }
  }
}
