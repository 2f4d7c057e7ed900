package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's regularization, clipping, averaging, standardization and stopping on real data:
 * L1 reaches LIBLINEAR's L1-regularized optimum with exact zeros, averaging lowers the objective
 * of constant-rate SGD on a9a, standardization gives the optimum of the scaled problem in the
 * original scale, and the gradient-norm and early-stopping criteria stop with their reason.
 */
class RegularizationAndStoppingTest {
  static TrainingData heart;
  static TrainingData a9a;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
    a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
    a9a.unpersist();
  }

  static TrainingConfig.Builder heartLogistic() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC);
  }

  static double l1Objective(double[] w, double regL1) {
    return Objective.full(heart.blocks(), new LogisticLoss(), w, false, 0.0, 2)
        + Regularizer.of(regL1, 0).penalty(w, w.length);
  }

  @Test
  void l1ReachesLiblinearsOptimumWithExactZeros() throws IOException {
    // LIBLINEAR's L1R_LR minimizes ||w||₁ + C Σ log(1 + exp(−y w·x)); with C = 1/(n·regL1)
    // that is n·C times descent's mean loss + regL1·||w||₁.
    double regL1 = 0.02;
    Problem problem = LiblinearProblems.binary(TestSpark.sharedData("heart_scale"), 13);
    Linear.disableDebugOutput();
    double[] reference = Linear.train(problem,
        new Parameter(SolverType.L1R_LR, 1.0 / (problem.l * regL1), 1e-12)).getFeatureWeights();
    double referenceObjective = l1Objective(reference, regL1);
    TrainingResult r = new Trainer(heartLogistic().regL1(regL1).learningRate(3.0)
        .maxSteps(600L).build(), TrainingListener.NONE).train(heart);
    double gap = (r.objective() - referenceObjective) / referenceObjective;
    assertTrue(Math.abs(gap) < 1e-6, "relative gap to LIBLINEAR " + gap);
    assertEquals(l1Objective(r.params(), regL1), r.objective(), 1e-15);
    int zeros = 0;
    for (int j = 0; j < 13; j++) {
      if (reference[j] == 0.0) {
        assertEquals(0.0, r.params()[j], 0.0, "LIBLINEAR zeroes coefficient " + j);
        zeros++;
      }
    }
    assertTrue(zeros >= 2, "the L1 penalty should zero some coefficients, LIBLINEAR zeroed "
        + zeros);
  }

  @Test
  void elasticNetZeroesSomeCoefficients() {
    TrainingResult r = new Trainer(heartLogistic().elasticNet(0.05, 0.8).learningRate(3.0)
        .maxSteps(300L).build(), TrainingListener.NONE).train(heart);
    long zeros = java.util.Arrays.stream(r.params()).filter(v -> v == 0.0).count();
    assertTrue(zeros >= 1, "no exact zero in " + java.util.Arrays.toString(r.params()));
  }

  @Test
  void averagingLowersTheObjectiveOfConstantRateSgdOnA9a() {
    TrainingConfig.Builder sgd = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .regL2(1e-4).learningRate(2.0).batchSize(64L).maxSteps(600L);
    TrainingResult last = new Trainer(sgd.build(), TrainingListener.NONE).train(a9a);
    TrainingResult tail = new Trainer(sgd.average("tail").averageLast(300L).build(),
        TrainingListener.NONE).train(a9a);
    TrainingResult ema = new Trainer(sgd.average("ema").averageLast(null).averageDecay(0.99)
        .build(), TrainingListener.NONE).train(a9a);
    assertTrue(tail.objective() < last.objective(),
        "tail average " + tail.objective() + " vs last iterate " + last.objective());
    assertTrue(ema.objective() < last.objective(),
        "ema " + ema.objective() + " vs last iterate " + last.objective());
    assertEquals("polyak from step 301 over 300 iterates", tail.parameters());
    assertEquals("last iterate", last.parameters());
  }

  @Test
  void standardizationSolvesTheScaledProblemAndReportsOriginalCoefficients() {
    // Newton on the standardized problem; then the same problem by hand: features x/σ, penalty
    // on w' = w·σ. Both must give the same coefficients in the original scale.
    double regL2 = 1e-2;
    TrainingResult std = new Trainer(heartLogistic().regL2(regL2).optimizer("newton")
        .standardize(true).maxSteps(50L).build(), TrainingListener.NONE).train(heart);
    double[] inverse = FeatureScaling.inverseStd(heart.blocks(), 13, 2);
    double[] scaled = std.params().clone();
    for (int j = 0; j < 13; j++) {
      scaled[j] = std.params()[j] / inverse[j];
    }
    // Optimality in the scaled problem: σ_j·∂L/∂w_j + regL2·w'_j = 0.
    double[] w = std.params();
    descent.core.GradientAccumulator acc = Objective.lossSums(heart.blocks(), new LogisticLoss(),
        w, false, 2);
    descent.core.GradientAccumulator g = heart.blocks().treeAggregate(
        new descent.core.GradientAccumulator(13, true),
        (a, b) -> a.add(b, 0, b.numRows(), new LogisticLoss(), w, false),
        descent.core.GradientAccumulator::merge, 2);
    double[] grad = g.gradientSum();
    for (int j = 0; j < 13; j++) {
      double scaledGradient = grad[j] / acc.weightSum() * inverse[j] + regL2 * scaled[j];
      assertEquals(0.0, scaledGradient, 1e-7, "scaled gradient " + j);
    }
    // Different from the unstandardized optimum (the penalty weighs coefficients otherwise).
    TrainingResult raw = new Trainer(heartLogistic().regL2(regL2).optimizer("newton")
        .maxSteps(50L).build(), TrainingListener.NONE).train(heart);
    assertTrue(Math.abs(raw.params()[0] - std.params()[0]) > 1e-6);
  }

  @Test
  void gradientNormToleranceStops() {
    TrainingResult r = new Trainer(heartLogistic().regL2(1.0 / 270).learningRate(3.0)
        .gradTol(1e-4).maxSteps(2000L).build(), TrainingListener.NONE).train(heart);
    assertEquals(StopReason.GRADIENT_NORM, r.stopReason());
    assertTrue(r.steps() < 2000);
  }

  @Test
  void clippingCountsTheStepsWhereItFired() {
    // The first gradient of heart_scale at 0 has norm ≈ 0.3; a bound of 0.05 fires at first.
    TrainingResult r = new Trainer(heartLogistic().regL2(1.0 / 270).learningRate(1.0)
        .clipNorm(0.05).maxSteps(200L).build(), TrainingListener.NONE).train(heart);
    assertTrue(r.clippedSteps() >= 1 && r.clippedSteps() < 200, "clipped " + r.clippedSteps());
    TrainingResult none = new Trainer(heartLogistic().regL2(1.0 / 270).learningRate(1.0)
        .maxSteps(200L).build(), TrainingListener.NONE).train(heart);
    assertEquals(0, none.clippedSteps());
  }

  @Test
  void earlyStoppingKeepsTheBestValidationParameters() {
    // a9a.t as validation for a9a with a learning rate that overfits nothing but plateaus:
    // with patience 2 the run stops before its budget and returns the best evaluated point.
    TrainingData test = TestData.libsvm(TestSpark.sharedData("a9a.t"), 2, LabelDomain.BINARY,
        123, 42);
    try {
      TrainingResult r = new Trainer(TrainingConfig.builder().modelType(ModelType.LOGISTIC)
          .regL2(1e-4).learningRate(4.0).batchSize(256L).evalEvery(20).patience(2)
          .maxSteps(5000L).build(), TrainingListener.NONE).train(a9a, test);
      assertEquals(StopReason.EARLY_STOPPING, r.stopReason());
      assertTrue(r.steps() < 5000);
      assertTrue(r.parameters().startsWith("best validation loss, step "), r.parameters());
      double atBest = Objective.full(test.blocks(), new LogisticLoss(), r.params(), false, 0, 2);
      assertEquals(r.bestValidationLoss(), atBest, 1e-12);
    } finally {
      test.unpersist();
    }
  }

  @Test
  void configurationErrorsNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> heartLogistic().optimizer("lbfgs").regL1(0.1).build().validate());
    assertTrue(e.getMessage().contains("OWL-QN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> heartLogistic().average("tail").build().validate());
    assertTrue(e.getMessage().contains("--average-last"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> heartLogistic().clipValue(-1.0).build().validate());
    assertTrue(e.getMessage().contains("--clip-value"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(heartLogistic().patience(3).build(), TrainingListener.NONE).train(heart));
    assertTrue(e.getMessage().contains("--patience"), e.getMessage());
  }
}
