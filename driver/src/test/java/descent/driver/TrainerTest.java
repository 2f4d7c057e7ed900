package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.JavaRDDComparisons;
import descent.core.DataBlock;
import descent.core.LabelDomain;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The driver loop: determinism, the stop criteria, batch modes, and the shuffled blocks. */
class TrainerTest {
  static TrainingData heart;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
  }

  static TrainingConfig.Builder logistic() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1.0 / 270).learningRate(1.0);
  }

  static TrainingResult train(TrainingData data, TrainingConfig config) {
    return new Trainer(config, TrainingListener.NONE).train(data);
  }

  static void assertRelativelyEqual(double[] expected, double[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int j = 0; j < expected.length; j++) {
      double scale = Math.max(Math.abs(expected[j]), 1e-300);
      assertTrue(Math.abs(expected[j] - actual[j]) <= tolerance * scale,
          "parameter " + j + ": " + expected[j] + " vs " + actual[j]);
    }
  }

  @Test
  void sameSeedSameDataSamePartitionsGiveTheSameModel() {
    TrainingConfig config = logistic().batchSize(27L).maxSteps(60L).fitIntercept(true).build();
    TrainingData again = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2,
        LabelDomain.BINARY, 13, 42);
    try {
      double[] first = train(heart, config).params();
      double[] second = train(again, config).params();
      assertRelativelyEqual(first, second, 1e-12);
    } finally {
      again.unpersist();
    }
  }

  @Test
  void anotherSeedShufflesOtherwiseAndGivesAnotherMiniBatchPath() {
    TrainingConfig config = logistic().batchSize(27L).maxSteps(5L).build();
    TrainingData other = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2,
        LabelDomain.BINARY, 13, 7);
    try {
      double[] a = train(heart, config).params();
      double[] b = train(other, config).params();
      double diff = 0;
      for (int j = 0; j < a.length; j++) {
        diff = Math.max(diff, Math.abs(a[j] - b[j]));
      }
      assertTrue(diff > 1e-6, "max difference " + diff);
    } finally {
      other.unpersist();
    }
  }

  @Test
  void shuffledBlocksHoldExactlyTheInputRows() {
    TrainingData unshuffled = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2,
        LabelDomain.BINARY, 13, 42);
    JavaRDD<String> shuffledRows = rowsAsText(heart.blocks());
    JavaRDD<String> inputRows = rowsAsText(unshuffled.blocks());
    JavaRDDComparisons.assertRDDEquals(inputRows, shuffledRows);
    assertEquals(270, heart.totalRows());
    assertArrayEquals(new long[] {135, 135}, heart.partitionRows());
    unshuffled.unpersist();
  }

  static JavaRDD<String> rowsAsText(JavaRDD<DataBlock> blocks) {
    return blocks.flatMap(b -> {
      List<String> rows = new ArrayList<>();
      int d = b.numFeatures();
      for (int i = 0; i < b.numRows(); i++) {
        StringBuilder s = new StringBuilder(Double.toString(b.labels()[i]));
        if (b.isDense()) {
          for (int j = 0; j < d; j++) {
            double v = b.values()[i * d + j];
            if (v != 0) {
              s.append(' ').append(j).append(':').append(v);
            }
          }
        } else {
          for (int k = b.indptr()[i]; k < b.indptr()[i + 1]; k++) {
            s.append(' ').append(b.indices()[k]).append(':').append(b.values()[k]);
          }
        }
        rows.add(s.toString());
      }
      return rows.iterator();
    });
  }

  @Test
  void fullBatchStepEqualsTheGradientFormula() {
    // One step from w = 0: the gradient of mean log(1+exp(−y w·x)) at 0 is −mean(y x)/2,
    // so w_1 = lr · mean(y x) / 2 (the L2 term vanishes at 0).
    TrainingResult r = train(heart, logistic().learningRate(0.5).maxSteps(1L).build());
    double[] meanYx = new double[13];
    heart.blocks().collect().forEach(b -> {
      for (int i = 0; i < b.numRows(); i++) {
        for (int j = 0; j < 13; j++) {
          double x = b.isDense() ? b.values()[i * 13 + j] : valueAt(b, i, j);
          meanYx[j] += b.labels()[i] * x / 270;
        }
      }
    });
    for (int j = 0; j < 13; j++) {
      assertEquals(0.5 * meanYx[j] / 2, r.params()[j], 1e-12, "w_" + j);
    }
  }

  static double valueAt(DataBlock b, int row, int feature) {
    for (int k = b.indptr()[row]; k < b.indptr()[row + 1]; k++) {
      if (b.indices()[k] == feature) {
        return b.values()[k];
      }
    }
    return 0;
  }

  @Test
  void stopsByMaxStepsEpochsOrTolerance() {
    TrainingResult steps = train(heart, logistic().maxSteps(7L).build());
    assertEquals(StopReason.MAX_STEPS, steps.stopReason());
    assertEquals(7, steps.steps());

    // 2 epochs of 54-row batches over 270 rows: ceil(2·270/54) = 10 steps.
    TrainingResult epochs = train(heart, logistic().batchSize(54L).epochs(2.0).build());
    assertEquals(StopReason.EPOCHS, epochs.stopReason());
    assertEquals(10, epochs.steps());
    assertEquals(2.0, epochs.epochs(), 1e-12);

    // Fewer steps than the epochs need: the step budget fires.
    TrainingResult both = train(heart, logistic().batchSize(54L).epochs(2.0).maxSteps(4L).build());
    assertEquals(StopReason.MAX_STEPS, both.stopReason());
    assertEquals(4, both.steps());

    TrainingResult tol = train(heart, logistic().learningRate(3.0).tol(1e-9).evalEvery(5)
        .maxSteps(5000L).build());
    assertEquals(StopReason.TOLERANCE, tol.stopReason());
    assertTrue(tol.steps() < 5000 && tol.steps() % 5 == 0, "steps " + tol.steps());
    assertTrue((tol.objective() - 0.363802961141248) / 0.363802961141248 < 1e-6);
  }

  @Test
  void batchFractionAndStochasticModes() {
    TrainingResult fraction = train(heart, logistic().batchFraction(0.1).maxSteps(10L).build());
    assertEquals(27, fraction.batchSize());
    assertEquals(1.0, fraction.epochs(), 1e-12);

    // Stochastic descent: one row a step, the two partitions taking turns; 270 steps are an epoch.
    List<Long> rows = new ArrayList<>();
    TrainingResult stochastic = new Trainer(logistic().batchSize(1L).maxSteps(270L).build(),
        r -> rows.add(r.rows())).train(heart);
    assertEquals(270, stochastic.steps());
    assertEquals(1.0, stochastic.epochs(), 1e-12);
    assertTrue(rows.stream().allMatch(n -> n == 1), "one row a step");
  }

  @Test
  void aBatchLargerThanTheDataIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> train(heart, logistic().batchSize(271L).build()));
    assertTrue(e.getMessage().contains("271") && e.getMessage().contains("270"), e.getMessage());
  }

  @Test
  void divergingRunStopsAtOnceWithStepLossAndHint() {
    DivergenceException e = assertThrows(DivergenceException.class, () ->
        train(heart, TrainingConfig.builder().modelType(ModelType.LINEAR).learningRate(50.0)
            .maxSteps(1000L).build()));
    assertTrue(e.step() < 1000, "step " + e.step());
    assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
    assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
  }

  @Test
  void invalidConfigurationListsEveryProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        logistic().learningRate(-1).batchSize(0L).maxSteps(0L).epochs(Double.NaN).build().validate());
    for (String option : new String[] {"--lr", "--batch-size", "--max-steps", "--epochs"}) {
      assertTrue(e.getMessage().contains(option), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> TrainingConfig.builder().learningRate(0.1).build().validate(), "model required");
  }
}
