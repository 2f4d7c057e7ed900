package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import descent.core.LabelDomain;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training reaches the optima that independent solvers reached on real data
 * (../shared/data/README.md), and LIBLINEAR, run here, agrees on the coefficients.
 */
class RealDataTest {
  static final double HEART_OPTIMUM = 0.363802961141248; // regL2 = 1/270, no intercept
  static final double A9A_OPTIMUM = 0.324506924713758; // regL2 = 1e-4, no intercept
  static final double LPSA_OPTIMUM = 0.220020325516931; // regL2 = 1e-3, intercept

  static TrainingData heart;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
  }

  static double relativeGap(double f, double optimum) {
    return (f - optimum) / optimum;
  }

  static TrainingConfig.Builder heartConfig() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1.0 / 270)
        .learningRate(3.0).maxSteps(400L);
  }

  @Test
  void fullBatchGradientDescentReachesHeartScaleOptimum() {
    TrainingResult r = new Trainer(heartConfig().build(), TrainingListener.NONE).train(heart);
    double gap = relativeGap(r.objective(), HEART_OPTIMUM);
    assertTrue(gap >= -1e-12 && gap < 1e-6, "relative gap " + gap);
    assertEquals(StopReason.MAX_STEPS, r.stopReason());
    assertEquals(400, r.steps());
  }

  @Test
  void coefficientsAgreeWithLiblinear() throws IOException {
    // LIBLINEAR minimizes ½||w||² + C Σ log(1+exp(−y w·x)); with C = 1/(n·regL2) that is
    // n·C times descent's objective, so both have the same minimizer.
    Problem problem = LiblinearProblems.binary(TestSpark.sharedData("heart_scale"), 13);
    Linear.disableDebugOutput();
    double c = 1.0 / (problem.l * (1.0 / 270));
    double[] reference = Linear.train(problem, new Parameter(SolverType.L2R_LR, c, 1e-10))
        .getFeatureWeights();
    double[] w = new Trainer(heartConfig().maxSteps(600L).build(), TrainingListener.NONE)
        .train(heart).params();
    for (int j = 0; j < 13; j++) {
      assertEquals(reference[j], w[j], 1e-5, "coefficient " + j);
    }
  }

  @Test
  void miniBatchSgdOnA9aGetsWithinOnePercentInFiveEpochs() {
    TrainingData a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
    try {
      long batch = Math.round(0.01 * a9a.totalRows());
      TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
          .learningRate(1.0).batchSize(batch).epochs(5.0).build();
      TrainingResult r = new Trainer(config, TrainingListener.NONE).train(a9a);
      double gap = relativeGap(r.objective(), A9A_OPTIMUM);
      assertTrue(gap >= -1e-12 && gap < 1e-2, "relative gap " + gap);
      assertEquals(StopReason.EPOCHS, r.stopReason());
      assertEquals(5.0, r.epochs(), 0.02);
    } finally {
      a9a.unpersist();
    }
  }

  @Test
  void linearRegressionWithInterceptReachesLpsaOptimum() {
    TrainingData lpsa = TestData.libsvm(TestSpark.sharedData("lpsa.libsvm"), 2, LabelDomain.REAL, 8, 42);
    try {
      TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LINEAR)
          .fitIntercept(true).regL2(1e-3).learningRate(0.1).maxSteps(3000L)
          .tol(1e-13).evalEvery(50).build();
      TrainingResult r = new Trainer(config, TrainingListener.NONE).train(lpsa);
      double gap = relativeGap(r.objective(), LPSA_OPTIMUM);
      assertTrue(gap >= -1e-12 && gap < 1e-6, "relative gap " + gap + " after " + r.steps());
    } finally {
      lpsa.unpersist();
    }
  }
}
