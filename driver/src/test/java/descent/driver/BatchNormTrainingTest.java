package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.Activation;
import descent.core.BatchNormStatistics;
import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.MiniBatchPlan;
import descent.core.MlpLoss;
import descent.core.Workspace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batch-normalized networks ({@code --batch-norm}) on digits and iris: the step normalizes with
 * the statistics of the whole mini-batch, so two partitions give the gradient and the trained
 * network of one; the gradient agrees with centred differences in every layer, β and γ
 * included; the model keeps the population statistics of the training rows, which make its loss
 * on those rows the full objective; runs resume bit for bit; L1 reaches weights only.
 */
class BatchNormTrainingTest {
  static TrainingData digitsOne;
  static TrainingData digitsTwo;
  static TrainingData iris;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    Path digits = TestSpark.sharedData("digits.libsvm");
    digitsOne = TestData.libsvm(digits, 1, LabelDomain.classes(0), 64, 42);
    digitsTwo = TestData.libsvm(digits, 2, LabelDomain.classes(0), 64, 42);
    iris = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 2, LabelDomain.classes(0), 4, 42);
  }

  @AfterAll
  static void drop() {
    digitsOne.unpersist();
    digitsTwo.unpersist();
    iris.unpersist();
  }

  static TrainingConfig.Builder normalized(String activation, int... hidden) {
    return TrainingConfig.builder().modelType(ModelType.MLP).hidden(hidden)
        .activation(activation).outputLoss("softmax").batchNorm(true);
  }

  static TrainingResult train(TrainingData data, TrainingConfig config) {
    return new Trainer(config, TrainingListener.NONE).train(data);
  }

  static BatchObjective fullBatch(TrainingData data, MlpLoss loss) {
    return new BatchObjective(data.blocks(), new MiniBatchPlan(data.partitionRows(),
        data.totalRows()), loss, true, Regularizer.of(0.0, 0.0), null, 1,
        loss.numParams(data.numFeatures(), true));
  }

  @Test
  void twoPartitionsGiveTheGradientAndTheNetworkOfOnePartition() {
    TrainingConfig config = normalized("relu", 32, 16).optimizer("adam").learningRate(0.01)
        .batchFraction(1.0).maxSteps(15L).seed(3).build().validate();
    MlpLoss loss = (MlpLoss) config.loss(10);
    double[] start = loss.initialParams(64, true, 3);
    Evaluation one = fullBatch(digitsOne, loss).evaluate(start);
    Evaluation two = fullBatch(digitsTwo, loss).evaluate(start);
    assertEquals(one.value(), two.value(), 1e-12 * one.value());
    assertEquals(0.0, relativeDistance(one.gradient(), two.gradient()), 1e-12);
    TrainingResult r1 = train(digitsOne, config);
    TrainingResult r2 = train(digitsTwo, config);
    double distance = relativeDistance(r1.params(), r2.params());
    assertTrue(distance <= 1e-12, "trained networks differ by " + distance);
    assertEquals(0.0, relativeDistance(r1.batchNorm().mean(), r2.batchNorm().mean()), 1e-12);
    assertEquals(0.0, relativeDistance(r1.batchNorm().variance(), r2.batchNorm().variance()),
        1e-12);
  }

  /** {@code ||a − b|| / ||a||}. */
  static double relativeDistance(double[] a, double[] b) {
    double num = 0.0;
    double den = 0.0;
    for (int j = 0; j < a.length; j++) {
      num += (a[j] - b[j]) * (a[j] - b[j]);
      den += a[j] * a[j];
    }
    return Math.sqrt(num / den);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void everyLayerWithItsBetaAndGammaPassesTheGradientCheck(Activation activation) {
    MlpLoss loss = new MlpLoss(new int[] {5, 4}, activation, descent.core.OutputLoss.SOFTMAX, 3,
        true);
    GradientCheck.Result r = GradientCheck.onData(iris, loss, true, 1e-3, 11, 1000, 1e-6, 1);
    assertTrue(r.worstError() < 1e-6, "worst " + r.worst());
    Map<String, Long> kinds = r.checks().stream().filter(GradientCheck.Check::isCoordinate)
        .collect(Collectors.groupingBy(c -> loss.describe(c.coordinate(), 4)
            .replaceAll(" \\(.*", ""), Collectors.counting()));
    assertEquals(Map.of("layer 1 weight", 20L, "layer 1 β", 5L, "layer 1 γ", 5L,
        "layer 2 weight", 20L, "layer 2 β", 4L, "layer 2 γ", 4L, "layer 3 weight", 12L,
        "layer 3 bias", 3L), kinds, "every parameter of every layer is checked");
  }

  @Test
  void theModelKeepsThePopulationStatisticsAndItsLossOnTheTrainingRowsIsTheObjective()
      throws Exception {
    TrainingConfig config = normalized("tanh", 12).optimizer("adam").learningRate(0.02)
        .batchSize(128L).maxSteps(40L).seed(5).build().validate();
    TrainingResult r = train(digitsTwo, config);
    LinearModel model = LinearModel.of(config, 64, r, Map.of("steps", 40));
    MlpLoss loss = (MlpLoss) model.loss();
    double[] p = model.params();
    // γ and β are learned: they left their start of 1 and 0.
    int gamma = loss.gammaOffset(1, 64);
    int beta = loss.biasOffset(1, 64);
    for (int u = 0; u < 12; u++) {
      assertNotEquals(1.0, p[gamma + u], "γ of unit " + u);
      assertNotEquals(0.0, p[beta + u], "β of unit " + u);
    }
    // The saved statistics are the mean and the biased variance of z = W_1 x over every row.
    double[] sum = new double[12];
    double[] squares = new double[12];
    long rows = 0;
    for (DataBlock b : digitsTwo.blocks().collect()) {
      for (int i = 0; i < b.numRows(); i++) {
        double[] x = row(b, i);
        for (int u = 0; u < 12; u++) {
          double z = 0.0;
          for (int j = 0; j < 64; j++) {
            z += p[loss.weightOffset(1, 64) + u * 64 + j] * x[j];
          }
          sum[u] += z;
          squares[u] += z * z;
        }
        rows++;
      }
    }
    BatchNormStatistics saved = model.batchNorm();
    for (int u = 0; u < 12; u++) {
      double mean = sum[u] / rows;
      assertEquals(mean, saved.mean()[u], 1e-10 * Math.max(1.0, Math.abs(mean)), "mean " + u);
      double variance = squares[u] / rows - mean * mean;
      assertEquals(variance, saved.variance()[u], 1e-8 * variance, "variance " + u);
    }
    // With them the model's loss on the training rows is the full objective (no penalty here).
    assertEquals(r.objective(), meanLoss(loss, p, digitsTwo), 1e-12 * r.objective());
    // model.json keeps the layers, γ and the statistics, and reads back the same network.
    Path file = dir.resolve("model.json");
    java.nio.file.Files.writeString(file, model.toJson());
    LinearModel read = LinearModel.load(file);
    assertEquals(model.network(), read.network());
    assertArrayEquals(p, read.params(), 0.0);
    assertArrayEquals(saved.mean(), read.batchNorm().mean(), 0.0);
    assertArrayEquals(saved.variance(), read.batchNorm().variance(), 0.0);
    assertEquals(r.objective(), meanLoss((MlpLoss) read.loss(), p, digitsTwo),
        1e-12 * r.objective());
  }

  /** Row {@code i} of a block as a dense array. */
  static double[] row(DataBlock b, int i) {
    int d = b.numFeatures();
    double[] x = new double[d];
    if (b.isDense()) {
      System.arraycopy(b.values(), i * d, x, 0, d);
    } else {
      for (int q = b.indptr()[i]; q < b.indptr()[i + 1]; q++) {
        x[b.indices()[q]] = b.values()[q];
      }
    }
    return x;
  }

  private static double meanLoss(MlpLoss loss, double[] p, TrainingData data) {
    double total = 0.0;
    long rows = 0;
    for (DataBlock b : data.blocks().collect()) {
      total += loss.addLoss(b, 0, b.numRows(), p, true, new Workspace());
      rows += b.numRows();
    }
    return total / rows;
  }

  @Test
  void theValidationLossNormalizesWithThePopulationStatistics() {
    // Validation on the training rows themselves: the best validation loss is then exactly the
    // full objective of the network early stopping returns.
    TrainingConfig config = normalized("sigmoid", 6).optimizer("adam").learningRate(0.05)
        .batchSize(32L).maxSteps(60L).evalEvery(10).patience(2).seed(2).build().validate();
    TrainingResult r = new Trainer(config, TrainingListener.NONE).train(iris, iris);
    assertEquals(r.bestValidationLoss(), r.objective(), 1e-13 * r.objective());
  }

  @Test
  void aResumedRunContinuesBitForBit() {
    Path checkpoints = dir.resolve("checkpoints");
    PrintStream log = new PrintStream(OutputStream.nullOutputStream());
    TrainingConfig.Builder b = normalized("relu", 8, 5).optimizer("adam").learningRate(0.02)
        .batchSize(32L).clipNorm(5.0).regL2(1e-3).seed(4);
    TrainingConfig all = b.maxSteps(24L).build();
    TrainingResult uninterrupted = train(iris, all);
    TrainingConfig first = b.maxSteps(13L).build();
    new Trainer(first, TrainingListener.NONE).withCheckpoints(new Checkpoints(
        checkpoints.toString(), 5, 2, false, first.fingerprint(), log)).train(iris);
    TrainingResult resumed = new Trainer(all, TrainingListener.NONE).withCheckpoints(
        new Checkpoints(checkpoints.toString(), 5, 2, true, all.fingerprint(), log)).train(iris);
    assertEquals(24, resumed.steps());
    for (int j = 0; j < uninterrupted.params().length; j++) {
      assertEquals(Double.doubleToRawLongBits(uninterrupted.params()[j]),
          Double.doubleToRawLongBits(resumed.params()[j]), "parameter " + j);
    }
    assertArrayEquals(uninterrupted.batchNorm().mean(), resumed.batchNorm().mean(), 0.0);
  }

  @Test
  void l1ThresholdsTheWeightsAndNeverGammaOrBeta() {
    // A threshold of lr·reg = 0.25 a step would zero γ = 1 within four steps if it applied.
    TrainingConfig config = normalized("tanh", 4).elasticNet(5.0, 1.0).learningRate(0.05)
        .maxSteps(200L).seed(1).build().validate();
    TrainingResult r = train(iris, config);
    MlpLoss loss = (MlpLoss) config.loss(3);
    for (int j = 0; j < loss.numCoefficients(4); j++) {
      assertEquals(0.0, r.params()[j], loss.describe(j, 4));
    }
    for (int u = 0; u < 4; u++) {
      assertNotEquals(0.0, r.params()[loss.gammaOffset(1, 4) + u], "γ of unit " + u);
    }
  }

  @Test
  void batchNormIsRefusedWhereItCannotSeeTheWholeBatch() {
    InvalidConfigException rounds = assertThrows(InvalidConfigException.class,
        () -> normalized("relu", 4).localSteps(10).build().validate());
    assertTrue(rounds.getMessage().contains("see one partition's rows only"),
        rounds.getMessage());
    InvalidConfigException linear = assertThrows(InvalidConfigException.class,
        () -> TrainingConfig.builder().modelType(ModelType.SOFTMAX).batchNorm(true).build()
            .validate());
    assertTrue(linear.getMessage().contains("apply to"), linear.getMessage());
    InvalidConfigException pretrain = assertThrows(InvalidConfigException.class,
        () -> normalized("relu", 4, 3).pretrainEpochs(2).build().validate());
    assertTrue(pretrain.getMessage().contains("cannot be combined with --batch-norm"),
        pretrain.getMessage());
  }
}
