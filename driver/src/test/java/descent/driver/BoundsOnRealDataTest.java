package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Box constraints on real data: non-negative least squares reaches SciPy's optimum, every
 * optimizer keeps every iterate in the box, a run on sparse data takes the dense step with the
 * reason "bounds", a resumed run continues bit for bit and refuses other bounds, and bad bounds
 * are refused before the first training job.
 */
class BoundsOnRealDataTest {
  /*
   * Non-negative least squares with a free intercept, descent's linear objective
   * F = (1/(2n)) Σ (w·x_i + b − y_i)², w ≥ 0, b free, regL2 = 0, from SciPy 1.17's bounded-variable
   * least squares:
   *
   *   import numpy as np
   *   from scipy.optimize import lsq_linear
   *   def read(path, d):
   *       X, y = [], []
   *       for line in open(path):
   *           t = line.split(); y.append(float(t[0])); row = np.zeros(d)
   *           for kv in t[1:]:
   *               k, v = kv.split(":"); row[int(k) - 1] = float(v)
   *           X.append(row)
   *       return np.array(X), np.array(y)
   *   for name in ["lpsa.libsvm", "cps1988_logwage.libsvm"]:
   *       X, y = read("/work/shared/data/" + name, 8); n, d = X.shape
   *       A = np.hstack([X, np.ones((n, 1))])
   *       r = lsq_linear(A, y, bounds=(np.r_[np.zeros(d), -np.inf], np.full(d + 1, np.inf)),
   *                      method="bvls", tol=1e-15)
   *       print(name, repr(0.5 * np.mean((A @ r.x - y) ** 2)), r.x)
   *
   * lpsa: w = [0.5566 0.2416 0 0.1989 0.2394 0 0 0.1221], b = 2.4627 (three bounds active);
   * cps1988: w = [0.0994 0.0198 0 0.1542 0.0140 0 0.0286 0], b = 4.3880 (three active).
   */
  static final double LPSA_NNLS = 0.23932423382337137;
  static final double CPS1988_NNLS = 0.19942332347191685;

  static TrainingData lpsa;
  static TrainingData cps;
  static TrainingData a9a;

  @BeforeAll
  static void load() {
    lpsa = TestData.libsvm(TestSpark.sharedData("lpsa.libsvm"), 2, LabelDomain.REAL, 8, 42);
    cps = TestData.libsvm(TestSpark.sharedData("cps1988_logwage.libsvm"), 2, LabelDomain.REAL,
        8, 42);
    a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
  }

  @AfterAll
  static void drop() {
    lpsa.unpersist();
    cps.unpersist();
    a9a.unpersist();
  }

  private static TrainingConfig.Builder nnls(String optimizer) {
    return TrainingConfig.builder().modelType(ModelType.LINEAR).fitIntercept(true)
        .optimizer(optimizer).bounds(BoxConstraints.nonNegative()).maxSteps(300L).tol(1e-14)
        .evalEvery(1);
  }

  @ParameterizedTest(name = "{0}, standardize={1}")
  @CsvSource({"newton,false", "lbfgs,false", "newton,true", "lbfgs,true"})
  void nonNegativeLeastSquaresEqualsScipysBoundedSolver(String optimizer, boolean standardize) {
    for (Object[] set : new Object[][] {{lpsa, LPSA_NNLS, "lpsa"}, {cps, CPS1988_NNLS,
        "cps1988"}}) {
      TrainingResult r = new Trainer(nnls(optimizer).standardize(standardize).build().validate(),
          TrainingListener.NONE).train((TrainingData) set[0]);
      double optimum = (Double) set[1];
      double gap = (r.objective() - optimum) / optimum;
      System.out.printf("NNLS %s %s standardize=%s: %d steps, %d passes, stop %s, gap %.3e%n",
          set[2], optimizer, standardize, r.steps(), r.passes(), r.stopReason().id(), gap);
      assertTrue(Math.abs(gap) <= 1e-8, set[2] + " " + optimizer + ": relative gap " + gap
          + " after " + r.steps() + " steps");
      for (int j = 0; j < 8; j++) {
        assertTrue(r.params()[j] >= 0, set[2] + " coefficient " + j + " = " + r.params()[j]);
      }
    }
  }

  /** Coefficients in [0, 0.25] and the intercept at most 2: both sides bind on lpsa. */
  private static final BoxConstraints TIGHT = new BoxConstraints(new double[] {0.0},
      new double[] {0.25}, null, new double[] {2.0});

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "sgd;;", "sgd momentum 0.9 nesterov;;", "adagrad;;", "rmsprop;;", "adam;;",
      "adam amsgrad;;", "adamw;;", "lamb;;", "delta-bar-delta;;", "newton;;", "lbfgs;;",
      "sgd;polyak;", "adam;ema;", "sgd;;l1"})
  void everyOptimizerKeepsEveryIterateInTheBox(String optimizer, String average, String l1) {
    String[] words = optimizer.split(" ");
    OptimizerConfig o = switch (words.length == 1 ? words[0] : String.join(" ", words)) {
      case "sgd momentum 0.9 nesterov" -> new OptimizerConfig("sgd", 0.9, null, true, null, null,
          null, null, null, null, null, null, null, null, null, null, null);
      case "adam amsgrad" -> new OptimizerConfig("adam", null, null, null, null, null, null,
          true, null, null, null, null, null, null, null, null, null);
      default -> OptimizerConfig.named(words[0]);
    };
    boolean secondOrder = o.create(1).isSecondOrder();
    TrainingConfig.Builder b = TrainingConfig.builder().modelType(ModelType.LINEAR)
        .fitIntercept(true).optimizer(o).bounds(TIGHT).maxSteps(secondOrder ? 30L : 200L)
        .average(average);
    if (!secondOrder) {
      // AdaGrad's steps shrink with its accumulated squares: a larger rate reaches the bounds.
      b.batchSize(16L).learningRate(words[0].equals("adagrad") ? 0.5 : 0.05);
    }
    if (l1 != null) {
      b.regL1(0.05);
    }
    int[] steps = {0};
    boolean[] reachedBounds = new boolean[3];
    TrainingListener check = new TrainingListener() {
      @Override
      public void onStep(StepReport report) {}

      @Override
      public boolean wantsParameters() {
        return true;
      }

      @Override
      public void onParameters(StepReport report, double[] gradient, double[] previous,
          double[] params) {
        steps[0]++;
        for (int j = 0; j < 8; j++) {
          assertTrue(params[j] >= 0 && params[j] <= 0.25, optimizer + " step " + report.step()
              + ": coefficient " + j + " = " + params[j]);
          reachedBounds[0] |= params[j] == 0.0;
          reachedBounds[1] |= params[j] == 0.25;
        }
        assertTrue(params[8] <= 2.0, optimizer + " step " + report.step() + ": intercept "
            + params[8]);
        reachedBounds[2] |= params[8] == 2.0;
      }
    };
    TrainingResult r = new Trainer(b.build().validate(), check).train(lpsa);
    assertEquals(r.steps(), steps[0]);
    assertTrue(reachedBounds[1] && reachedBounds[2], optimizer
        + ": the upper bounds were never reached, so the test shows nothing");
    for (int j = 0; j < 8; j++) {
      assertTrue(r.params()[j] >= 0 && r.params()[j] <= 0.25, optimizer + " (" + r.parameters()
          + "): coefficient " + j + " = " + r.params()[j]);
    }
    assertTrue(r.params()[8] <= 2.0, optimizer + ": intercept " + r.params()[8]);
  }

  @Test
  void sparseDataTakesTheDenseStepForBoundsAndStaysFeasible() {
    TrainingConfig c = TrainingConfig.builder().modelType(ModelType.LOGISTIC).fitIntercept(true)
        .optimizer("sgd").learningRate(0.5).batchSize(512L).maxSteps(40L).regL2(1e-4)
        .bounds(new BoxConstraints(new double[] {-0.1}, new double[] {0.1}, null, null))
        .build().validate();
    TrainingResult r = new Trainer(c, TrainingListener.NONE).train(a9a);
    assertTrue(a9a.isSparse());
    assertEquals("dense: bounds: the projection onto the box reads every coordinate each step",
        r.driverStep());
    boolean bound = false;
    for (int j = 0; j < 123; j++) {
      assertTrue(Math.abs(r.params()[j]) <= 0.1, "coefficient " + j + " = " + r.params()[j]);
      bound |= Math.abs(r.params()[j]) == 0.1;
    }
    assertTrue(bound, "no coefficient reached its bound");
    // Without bounds the same run takes the sparse step.
    TrainingConfig free = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .fitIntercept(true).optimizer("sgd").learningRate(0.5).batchSize(512L).maxSteps(2L)
        .regL2(1e-4).build().validate();
    assertEquals("sparse (exact)", new Trainer(free, TrainingListener.NONE).train(a9a)
        .driverStep());
  }

  private static Checkpoints checkpoints(Path dir, boolean resume, TrainingConfig c) {
    return new Checkpoints(dir.toString(), 10, 2, resume, c.fingerprint(),
        new PrintStream(OutputStream.nullOutputStream()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"adam", "lbfgs"})
  void aBoundedRunResumesBitForBitAndRefusesOtherBounds(String optimizer, @TempDir Path dir) {
    TrainingConfig.Builder b = TrainingConfig.builder().modelType(ModelType.LINEAR)
        .fitIntercept(true).optimizer(optimizer).bounds(TIGHT).maxSteps(25L);
    if (optimizer.equals("adam")) {
      b.batchSize(16L).learningRate(0.05);
    }
    TrainingConfig all = b.build().validate();
    TrainingResult whole = new Trainer(all, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("whole"), false, all)).train(lpsa);
    TrainingConfig first = b.maxSteps(15L).build().validate();
    new Trainer(first, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("split"), false, first)).train(lpsa);
    TrainingResult resumed = new Trainer(all, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("split"), true, all)).train(lpsa);
    assertEquals(whole.steps(), resumed.steps());
    for (int j = 0; j < whole.params().length; j++) {
      assertEquals(Double.doubleToRawLongBits(whole.params()[j]),
          Double.doubleToRawLongBits(resumed.params()[j]), "parameter " + j);
    }
    TrainingConfig other = b.maxSteps(25L).bounds(BoxConstraints.nonNegative()).build()
        .validate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(other, TrainingListener.NONE)
            .withCheckpoints(checkpoints(dir.resolve("split"), true, other)).train(lpsa));
    assertTrue(e.getMessage().contains("config.bounds"), e.getMessage());
  }

  @Test
  void theGradientToleranceMeasuresTheProjectedGradient() {
    // At the NNLS solution three coefficients sit at 0 with a positive gradient, so ‖g‖ stays
    // away from 0; the projected gradient vanishes and stops the run.
    TrainingResult r = new Trainer(nnls("lbfgs").tol(0).gradTol(1e-7).build().validate(),
        TrainingListener.NONE).train(lpsa);
    assertEquals(StopReason.GRADIENT_NORM, r.stopReason());
    assertTrue(Math.abs(r.objective() - LPSA_NNLS) <= 1e-8 * LPSA_NNLS, "objective "
        + r.objective());
    TrainingResult free = new Trainer(TrainingConfig.builder().modelType(ModelType.LINEAR)
        .fitIntercept(true).optimizer("newton").maxSteps(1L).gradTol(1e-7)
        .initialParams(r.params()).build().validate(), TrainingListener.NONE).train(lpsa);
    // Without bounds the same point's gradient is far above the tolerance.
    assertEquals(StopReason.MAX_STEPS, free.stopReason());
  }

  @Test
  void theModelSummaryRecordsTheBounds() throws Exception {
    TrainingConfig c = nnls("newton").bounds(new BoxConstraints(new double[] {0.0},
        new double[] {1, 1, 1, 1, 1, 1, 1, Double.POSITIVE_INFINITY}, new double[] {-1.0}, null))
        .build().validate();
    TrainingResult r = new Trainer(c, TrainingListener.NONE).train(lpsa);
    Map<String, Object> s = TrainingSummary.of(c, lpsa, r).toMap();
    @SuppressWarnings("unchecked")
    Map<String, Object> bounds = (Map<String, Object>) s.get("bounds");
    assertEquals(List.of(0.0), bounds.get("lowerBounds"));
    assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, "Infinity"),
        bounds.get("upperBounds"));
    assertEquals(List.of(-1.0), bounds.get("lowerIntercept"));
    assertFalse(bounds.containsKey("upperIntercept"));
    com.fasterxml.jackson.databind.JsonNode written = new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(LinearModel.of(c, 8, r.params(), s).toJson())
        .get("training").get("bounds");
    assertEquals("[0.0]", written.get("lowerBounds").toString());
    assertEquals("[1.0,1.0,1.0,1.0,1.0,1.0,1.0,\"Infinity\"]",
        written.get("upperBounds").toString());
  }

  @Test
  void boundsThatDoNotFitTheModelAreRefusedBeforeTraining() {
    TrainingConfig threeValues = nnls("newton").bounds(new BoxConstraints(
        new double[] {0, 0, 0}, null, null, null)).build().validate();
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new Trainer(threeValues, TrainingListener.NONE).train(lpsa));
    assertEquals("--lower-bounds has 3 values; the model has 8 features: give one value for"
        + " all, or one per coefficient", e.getMessage());
    assertEquals(Param.LOWER_BOUNDS, e.problems().get(0).param());
    TrainingConfig twoIntercepts = nnls("newton").bounds(new BoxConstraints(null, null,
        new double[] {0, 1}, null)).build().validate();
    e = assertThrows(InvalidConfigException.class,
        () -> new Trainer(twoIntercepts, TrainingListener.NONE).train(lpsa));
    assertEquals("--lower-intercept has 2 values; the model has 1 intercept", e.getMessage());
  }
}
