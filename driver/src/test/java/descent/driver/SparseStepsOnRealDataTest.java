package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.driver.optim.SparseUpdate;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On real sparse data (a9a, 123 features, and npm_popular, 2^20 hashed features) a run takes the
 * sparse step by itself, and in {@code exact} mode it reaches the dense step's model: the same
 * parameters to 1e-12 relative (max norm) after many mini-batch steps, for SGD, momentum
 * (heavy ball and Nesterov, through two shipped vectors), AdaGrad, RMSProp and Adam, with an L2
 * penalty and with the elastic net. Where an update has no exact sparse form (Adam, any L1) the
 * run says so and keeps the dense step; {@code lazy} then moves only the touched coordinates and
 * still trains.
 */
class SparseStepsOnRealDataTest {
  static TrainingData a9a;
  static TrainingData npm;

  @BeforeAll
  static void load() {
    a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
    npm = TestData.libsvm(TestSpark.sharedData("npm_popular.libsvm.gz"), 4, LabelDomain.BINARY,
        1 << 20, 42);
  }

  @AfterAll
  static void drop() {
    a9a.unpersist();
    npm.unpersist();
  }

  static OptimizerConfig optimizer(String name, Double momentum) {
    return new OptimizerConfig(name, momentum, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  static OptimizerConfig nesterov(double momentum) {
    return new OptimizerConfig("sgd", momentum, null, true, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of("sgd, L2", optimizer("sgd", null), 0.5, 1e-3, 0.0, "sparse (exact)"),
        Arguments.of("sgd, elastic net", optimizer("sgd", null), 0.5, 1e-3, 1e-3, "dense: "),
        Arguments.of("momentum, L2", optimizer("sgd", 0.9), 0.1, 1e-3, 0.0, "sparse (exact)"),
        Arguments.of("momentum, elastic net", optimizer("sgd", 0.9), 0.1, 1e-3, 1e-3,
            "dense: "),
        Arguments.of("adagrad", optimizer("adagrad", null), 0.5, 0.0, 0.0, "sparse (exact)"),
        Arguments.of("adagrad, L2", optimizer("adagrad", null), 0.5, 1e-3, 0.0, "dense: "),
        Arguments.of("adam, L2", optimizer("adam", null), 0.01, 1e-3, 0.0, "dense: "),
        Arguments.of("adam, elastic net", optimizer("adam", null), 0.01, 1e-3, 1e-3,
            "dense: "));
  }

  /**
   * The runs whose exact mode takes the sparse step (the others take the dense step on both
   * sides, which a9a shows): on npm_popular, 2^20 features.
   */
  static Stream<Arguments> sparseRuns() {
    return Stream.of(
        Arguments.of("sgd, L2", optimizer("sgd", null), 0.5, 1e-3, 0.0, "sparse (exact)"),
        Arguments.of("momentum, L2", optimizer("sgd", 0.9), 0.1, 1e-3, 0.0, "sparse (exact)"),
        Arguments.of("nesterov, L2", nesterov(0.9), 0.1, 1e-3, 0.0, "sparse (exact)"),
        Arguments.of("adagrad", optimizer("adagrad", null), 0.5, 0.0, 0.0, "sparse (exact)"),
        Arguments.of("rmsprop", optimizer("rmsprop", null), 0.01, 0.0, 0.0, "sparse (exact)"));
  }

  static TrainingConfig config(OptimizerConfig optimizer, double lr, double regL2, double regL1,
      SparseUpdate mode, long steps, long batch) {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).fitIntercept(true)
        .optimizer(optimizer).learningRate(lr).regL2(regL2).regL1(regL1).batchSize(batch)
        .maxSteps(steps).sparseUpdate(mode).seed(7).build();
  }

  @ParameterizedTest(name = "a9a, {0}")
  @MethodSource("runs")
  void onA9aTheExactSparseStepReachesTheDenseStepsModel(String name, OptimizerConfig optimizer,
      double lr, double regL2, double regL1, String path) {
    TrainingConfig c = config(optimizer, lr, regL2, regL1, SparseUpdate.EXACT, 150, 256);
    sameModel(name, c, a9a, path);
  }

  @ParameterizedTest(name = "npm_popular, {0}")
  @MethodSource("sparseRuns")
  void onNpmPopularTheExactSparseStepReachesTheDenseStepsModel(String name,
      OptimizerConfig optimizer, double lr, double regL2, double regL1, String path) {
    TrainingConfig c = config(optimizer, lr, regL2, regL1, SparseUpdate.EXACT, 30, 2048);
    sameModel(name, c, npm, path);
  }

  static void sameModel(String name, TrainingConfig c, TrainingData data, String path) {
    TrainingResult sparse = new Trainer(c, TrainingListener.NONE).train(data);
    TrainingResult dense = new Trainer(c, TrainingListener.NONE).withDenseSteps().train(data);
    assertTrue(sparse.driverStep().startsWith(path), name + ": " + sparse.driverStep());
    assertEquals("dense: the dense step was asked for", dense.driverStep());
    double scale = 0.0;
    double diff = 0.0;
    for (int j = 0; j < dense.params().length; j++) {
      scale = Math.max(scale, Math.abs(dense.params()[j]));
      diff = Math.max(diff, Math.abs(sparse.params()[j] - dense.params()[j]));
    }
    assertTrue(scale > 0, name + ": the dense run left every parameter at 0");
    assertTrue(diff <= 1e-12 * scale, name + ": max |w_sparse − w_dense| = " + diff
        + " against max |w_dense| = " + scale);
    assertEquals(dense.objective(), sparse.objective(), 1e-12 * Math.abs(dense.objective()),
        name);
  }

  /** Standardized: v holds the standardized coefficients, the executors the raw ones. */
  @Test
  void withStandardizedFeaturesTheSparseStepReachesTheDenseStepsModel() {
    TrainingConfig c = TrainingConfig.builder().modelType(ModelType.LOGISTIC).fitIntercept(true)
        .optimizer(optimizer("sgd", null)).learningRate(0.5).regL2(1e-3).batchSize(256L)
        .maxSteps(150L).standardize(true).seed(7).build();
    sameModel("sgd, L2, standardized", c, a9a, "sparse (exact)");
    TrainingConfig m = TrainingConfig.builder().modelType(ModelType.LOGISTIC).fitIntercept(true)
        .optimizer(nesterov(0.9)).learningRate(0.1).regL2(1e-3).batchSize(256L).maxSteps(150L)
        .standardize(true).seed(7).build();
    sameModel("nesterov, L2, standardized", m, a9a, "sparse (exact)");
  }

  @Test
  void lazyAdamMovesOnlyTouchedCoordinatesAndStillLowersTheObjective() {
    TrainingConfig c = config(optimizer("adam", null), 0.01, 1e-4, 0.0, SparseUpdate.LAZY, 100,
        2048);
    TrainingResult lazy = new Trainer(c, TrainingListener.NONE).train(npm);
    assertEquals("sparse (lazy)", lazy.driverStep());
    // At w = 0 the logistic loss is ln 2 on every row.
    assertTrue(lazy.objective() < Math.log(2) - 0.05, "lazy adam: objective "
        + lazy.objective());
  }

  /**
   * A checkpoint brings every coordinate up to date (the scale folded into v), which is part of
   * the run: the uninterrupted run writes checkpoints at the same steps.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("resumedRuns")
  void aSparseRunResumedFromItsCheckpointEndsBitForBitLikeAnUninterruptedOne(String name,
      OptimizerConfig optimizer, double lr, @TempDir Path dir) {
    TrainingConfig all = config(optimizer, lr, 1e-3, 0.0, SparseUpdate.EXACT, 40, 2048);
    TrainingResult whole = new Trainer(all, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("whole"), false, all)).train(npm);
    TrainingConfig first = config(optimizer, lr, 1e-3, 0.0, SparseUpdate.EXACT, 25, 2048);
    new Trainer(first, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("split"), false, first)).train(npm);
    TrainingResult resumed = new Trainer(all, TrainingListener.NONE)
        .withCheckpoints(checkpoints(dir.resolve("split"), true, all)).train(npm);
    assertEquals("sparse (exact)", resumed.driverStep());
    assertEquals(whole.steps(), resumed.steps());
    for (int j = 0; j < whole.params().length; j++) {
      assertEquals(Double.doubleToRawLongBits(whole.params()[j]),
          Double.doubleToRawLongBits(resumed.params()[j]), "parameter " + j);
    }
  }

  static Stream<Arguments> resumedRuns() {
    return Stream.of(Arguments.of("sgd, L2", optimizer("sgd", null), 0.5),
        Arguments.of("momentum, L2 (v, y and the 2x2 map)", optimizer("sgd", 0.9), 0.1));
  }

  static Checkpoints checkpoints(Path dir, boolean resume, TrainingConfig c) {
    return new Checkpoints(dir.toString(), 10, 2, resume, c.fingerprint(),
        new PrintStream(OutputStream.nullOutputStream()));
  }
}
