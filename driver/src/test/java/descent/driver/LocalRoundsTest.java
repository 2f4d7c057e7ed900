package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.driver.schedule.ScheduleSpec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds of local steps ({@link LocalSteps}): H = 1 is the synchronous step; one partition with
 * outer SGD at rate 1 is sequential SGD over the same windows; a round reads the rows of the H
 * steps it replaces; a resumed run continues bit for bit; a9a with H = 50 reaches its optimum;
 * bad settings are refused before the first job.
 */
class LocalRoundsTest {
  static final double A9A_OPTIMUM = 0.324506924713758;
  static TrainingData heart;
  static TrainingData heartOnePartition;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
    heartOnePartition = TestData.libsvm(TestSpark.sharedData("heart_scale"), 1,
        LabelDomain.BINARY, 13, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
    heartOnePartition.unpersist();
  }

  private static TrainingConfig.Builder logistic() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1.0 / 270)
        .fitIntercept(true).batchSize(27L);
  }

  private static TrainingResult train(TrainingData data, TrainingConfig config) {
    return new Trainer(config, TrainingListener.NONE).train(data);
  }

  private static void assertSameBits(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int j = 0; j < expected.length; j++) {
      assertEquals(Double.doubleToRawLongBits(expected[j]),
          Double.doubleToRawLongBits(actual[j]), "parameter " + j);
    }
  }

  private static void assertClose(double[] expected, double[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual[j], tolerance * scale, "parameter " + j);
    }
  }

  @Test
  void oneLocalStepIsTheSynchronousStepBitForBit() {
    TrainingConfig sync = logistic().learningRate(0.5).maxSteps(40L).build();
    TrainingConfig one = logistic().learningRate(0.5).maxSteps(40L).localSteps(1).build();
    assertEquals(sync.fingerprint(), one.fingerprint());
    TrainingResult a = train(heart, sync);
    TrainingResult b = train(heart, one);
    assertSameBits(a.params(), b.params());
    assertEquals(Double.doubleToRawLongBits(a.objective()), Double.doubleToRawLongBits(
        b.objective()));
  }

  @Test
  void onePartitionWithOuterSgdAtRateOneIsSequentialSgdOverTheSameWindows() {
    int h = 7;
    long rounds = 6;
    for (String inner : List.of("sgd", "momentum", "adam")) {
      double lr = inner.equals("adam") ? 0.01 : 0.3;
      OptimizerConfig sequential = inner.equals("sgd") ? OptimizerConfig.named("sgd")
          : inner.equals("momentum") ? new OptimizerConfig("sgd", 0.9, null, null, null, null,
              null, null, null, null, null, null, null, null, null, null, null)
          : OptimizerConfig.named("adam");
      // Local rounds restart the inner optimizer each round, so compare one round of H steps.
      long steps = inner.equals("sgd") ? h * rounds : h;
      TrainingResult seq = train(heartOnePartition, logistic().optimizer(sequential)
          .learningRate(lr).maxSteps(steps).build());
      TrainingResult local = train(heartOnePartition, logistic().localSteps(h)
          .innerOptimizer(inner).innerLearningRate(lr).learningRate(1.0)
          .maxSteps(steps / h).build());
      assertEquals(steps / h, local.steps());
      assertEquals(seq.epochs(), local.epochs(), 1e-12);
      assertClose(seq.params(), local.params(), 1e-12);
      assertEquals(seq.objective(), local.objective(), 1e-12 * seq.objective());
    }
  }

  @Test
  void perRowRoundsOnOnePartitionAreSequentialPerRowSgd() {
    // Batch size 1 takes the one-row kernel: the margin summed in another order than the
    // synchronous step's SIMD lanes, so equal to rounding.
    for (String inner : List.of("sgd", "adam")) {
      double lr = inner.equals("adam") ? 0.01 : 0.2;
      TrainingResult seq = train(heartOnePartition, logistic().batchSize(1L)
          .optimizer(inner).learningRate(lr).maxSteps(inner.equals("sgd") ? 540L : 90L).build());
      TrainingResult local = train(heartOnePartition, logistic().batchSize(1L).localSteps(90)
          .innerOptimizer(inner).innerLearningRate(lr).learningRate(1.0)
          .maxSteps(inner.equals("sgd") ? 6L : 1L).build());
      assertClose(seq.params(), local.params(), 1e-11);
    }
  }

  @Test
  void aRoundReadsTheRowsOfTheStepsItReplacesAndReportsThem() {
    List<StepReport> reports = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        reports.add(r);
      }
    };
    TrainingConfig config = logistic().localSteps(5).innerLearningRate(0.3).epochs(2.0).build();
    TrainingResult r = new Trainer(config, listener).train(heart);
    // 2 epochs of 270 rows at 27 a step: 20 plan steps, 4 rounds of 5.
    assertEquals(4, r.steps());
    assertEquals(StopReason.EPOCHS, r.stopReason());
    assertEquals(2.0, r.epochs(), 1e-12);
    for (StepReport s : reports) {
      assertEquals(5 * 27, s.rows());
    }
  }

  @Test
  void postLocalSgdTakesSynchronousRoundsFirst() {
    List<StepReport> reports = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        reports.add(r);
      }
    };
    TrainingConfig config = logistic().localSteps(4).localStepsAfter(3L).innerLearningRate(0.3)
        .maxSteps(5L).build();
    TrainingResult r = new Trainer(config, listener).train(heart);
    assertEquals(5, r.steps());
    // Rounds 1-3 take one step each, rounds 4-5 four: 11 plan steps of 27 rows.
    assertEquals(11 * 27.0 / 270, r.epochs(), 1e-12);
    assertEquals(List.of(27L, 27L, 27L, 108L, 108L),
        reports.stream().map(StepReport::rows).toList());
  }

  @Test
  void roundsOfOneStepWithOuterSgdAtRateOneAreSynchronousSgdToRounding() {
    TrainingResult sync = train(heart, logistic().learningRate(0.4).maxSteps(30L).build());
    // local-steps-after beyond the budget: every round is one synchronous step.
    TrainingResult rounds = train(heart, logistic().localSteps(10).localStepsAfter(1000L)
        .innerLearningRate(0.4).learningRate(1.0).maxSteps(30L).build());
    assertClose(sync.params(), rounds.params(), 1e-12);
  }

  @Test
  void aResumedRunContinuesBitForBitAtRoundBoundaries() {
    Path checkpoints = dir.resolve("checkpoints");
    PrintStream log = new PrintStream(OutputStream.nullOutputStream());
    TrainingConfig all = logistic().localSteps(5).innerOptimizer("momentum")
        .innerLearningRate(0.1).optimizer(new OptimizerConfig("sgd", 0.9, null, true, null, null,
            null, null, null, null, null, null, null, null, null, null, null))
        .learningRate(0.7).clipNorm(5.0).average("polyak").averageStart(4L).maxSteps(20L)
        .build();
    TrainingResult uninterrupted = train(heart, all);
    TrainingConfig first = logistic().localSteps(5).innerOptimizer("momentum")
        .innerLearningRate(0.1).optimizer(new OptimizerConfig("sgd", 0.9, null, true, null, null,
            null, null, null, null, null, null, null, null, null, null, null))
        .learningRate(0.7).clipNorm(5.0).average("polyak").averageStart(4L).maxSteps(13L)
        .build();
    new Trainer(first, TrainingListener.NONE).withCheckpoints(new Checkpoints(
        checkpoints.toString(), 5, 2, false, first.fingerprint(), log)).train(heart);
    TrainingResult resumed = new Trainer(all, TrainingListener.NONE).withCheckpoints(
        new Checkpoints(checkpoints.toString(), 5, 2, true, all.fingerprint(), log))
        .train(heart);
    assertEquals(20, resumed.steps());
    assertSameBits(uninterrupted.params(), resumed.params());
    assertEquals(Double.doubleToRawLongBits(uninterrupted.objective()),
        Double.doubleToRawLongBits(resumed.objective()));
  }

  @Test
  void elasticNetWithStandardizationAndSoftmaxTrainInRounds() {
    TrainingConfig.Builder elasticNet = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .elasticNet(0.05, 0.9).fitIntercept(true).batchSize(27L).standardize(true);
    TrainingResult sync = train(heart, elasticNet.learningRate(0.05).epochs(30.0).build());
    TrainingResult enet = train(heart, elasticNet.localSteps(10).innerLearningRate(0.05)
        .learningRate(1.0).epochs(30.0).build());
    int zeros = 0;
    int syncZeros = 0;
    for (int j = 0; j < 13; j++) {
      zeros += enet.params()[j] == 0.0 ? 1 : 0;
      syncZeros += sync.params()[j] == 0.0 ? 1 : 0;
    }
    // The workers' thresholds give exact zeros; their average keeps the zeros they share.
    System.out.printf("elastic net in rounds: objective %.6f (synchronous %.6f), %d zeros (%d)%n",
        enet.objective(), sync.objective(), zeros, syncZeros);
    assertEquals(sync.objective(), enet.objective(), 2e-3 * sync.objective());
    TrainingData iris = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 1,
        LabelDomain.classes(3), 4, 42);
    try {
      TrainingConfig.Builder softmax = TrainingConfig.builder().modelType(ModelType.SOFTMAX)
          .regL2(1e-3).fitIntercept(true).batchSize(10L);
      TrainingResult seq = train(iris, softmax.learningRate(0.5).maxSteps(60L).build());
      TrainingResult local = train(iris, softmax.localSteps(15).innerLearningRate(0.5)
          .learningRate(1.0).maxSteps(4L).build());
      assertClose(seq.params(), local.params(), 1e-12);
    } finally {
      iris.unpersist();
    }
  }

  @Test
  void nesterovOutsideTheAveragedChangeReachesTheOptimum() {
    TrainingConfig.Builder base = logistic().regL2(1e-3).epochs(100.0);
    TrainingResult diLoCo = train(heart, base.optimizer(new OptimizerConfig("sgd", 0.9, null,
        true, null, null, null, null, null, null, null, null, null, null, null, null, null))
        .learningRate(0.7).localSteps(10).innerLearningRate(0.1)
        .innerSchedule(ScheduleSpec.parse("cosine(t-max=1000)")).build());
    // heart_scale's optimum with intercept, regL2 1e-3 (../shared/data/README.md).
    double optimum = 0.338544519965559;
    double gap = (diLoCo.objective() - optimum) / optimum;
    System.out.printf("heart_scale, Nesterov outside (H = 10): gap %.3e%n", gap);
    assertTrue(gap > -1e-12 && gap < 2e-3, "gap " + gap);
  }

  @Test
  void a9aWithFiftyLocalStepsReachesItsOptimumWithinOneInAThousand() {
    TrainingData a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123,
        42);
    try {
      long rounds = 100;
      TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
          .batchSize(326L).localSteps(50).innerLearningRate(1.0)
          .innerSchedule(ScheduleSpec.parse("cosine(t-max=" + 50 * rounds + ")"))
          .maxSteps(rounds).build();
      TrainingResult r = train(a9a, config);
      double gap = (r.objective() - A9A_OPTIMUM) / A9A_OPTIMUM;
      System.out.printf("a9a, 50 local steps a round: %d rounds, %.1f epochs, %.2f s, gap %.3e%n",
          r.steps(), r.epochs(), r.seconds(), gap);
      assertTrue(gap > -1e-12 && gap < 1e-3, "relative gap " + gap);
    } finally {
      a9a.unpersist();
    }
  }

  @Test
  void badSettingsAreRefusedBeforeTheFirstJob() {
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(0),
        "--local-steps must be at least 1");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .innerOptimizer("newton"), "needs the Hessian");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .optimizer("lbfgs"), "first-order outer optimizer");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .optimizer("newton"), "first-order outer optimizer");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .innerOptimizer("adam"), "--inner-optimizer needs --local-steps above 1");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .innerMomentum(0.5), "--inner-momentum applies to --inner-optimizer momentum");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .innerLearningRate(-1.0), "--inner-lr must be a positive number");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .localStepsAfter(-2L), "--local-steps-after must be >= 0");
    assertRefused(TrainingConfig.builder().modelType(ModelType.LOGISTIC).localSteps(10)
        .innerSchedule(ScheduleSpec.parse("plateau")), "cannot be plateau");
  }

  private static void assertRefused(TrainingConfig.Builder b, String text) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new Trainer(b.build(), TrainingListener.NONE));
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
