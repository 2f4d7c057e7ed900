package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch normalization in {@link MlpLoss}: the batch's statistics computed pass by pass over the
 * parts of a batch (as partitions hold it) give the loss and the gradient of a reference that
 * normalizes the whole batch at once, straight from Ioffe and Szegedy's definitions; the
 * gradient equals the centred differences of that reference, for every parameter (weights, β
 * and γ) of every layer; and the batch split in two parts gives the model of one part.
 */
class BatchNormLossTest {
  private static final int ROWS = 12;
  private static final int FEATURES = 5;
  private static final int[] HIDDEN = {4, 3};
  private static final int CLASSES = 3;

  static Stream<Arguments> networks() {
    return Stream.of(Activation.values()).flatMap(a -> Stream.of(OutputLoss.values())
        .map(o -> Arguments.of(a, o)));
  }

  static MlpLoss network(Activation a, OutputLoss o) {
    return new MlpLoss(HIDDEN, a, o, CLASSES, true);
  }

  /** Random rows with labels for {@code o} and row weights; row 2 is all zero. */
  static LossGradientTest.Data data(long seed, OutputLoss o, int from, int to) {
    Random r = new Random(seed);
    double[][] x = new double[ROWS][FEATURES];
    double[] y = new double[ROWS];
    double[] s = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = i == 2 || r.nextInt(4) == 0 ? 0.0 : 1.5 + r.nextGaussian();
      }
      y[i] = switch (o) {
        case SOFTMAX -> r.nextInt(CLASSES);
        case LOGISTIC -> r.nextBoolean() ? 1.0 : -1.0;
        case SQUARED -> 2 * r.nextGaussian();
      };
      s[i] = 0.25 + r.nextDouble();
    }
    return new LossGradientTest.Data(Arrays.copyOfRange(x, from, to),
        Arrays.copyOfRange(y, from, to), Arrays.copyOfRange(s, from, to));
  }

  /** A random point: weights of standard deviation 0.7, β of 0.5, γ around 1. */
  static double[] point(MlpLoss loss, long seed) {
    Random r = new Random(seed);
    double[] p = new double[loss.numParams(FEATURES, true)];
    int w = loss.numCoefficients(FEATURES);
    int g = loss.gammaOffset(1, FEATURES);
    for (int j = 0; j < p.length; j++) {
      p[j] = j < w ? 0.7 * r.nextGaussian() : j < g ? 0.5 * r.nextGaussian()
          : 1.0 + 0.3 * r.nextGaussian();
    }
    return p;
  }

  /**
   * The reference: the weighted loss sum of the whole batch, each hidden layer normalized with
   * the batch's mean and biased variance, {@code y = γ (z − μ)/sqrt(σ² + ε) + β}.
   */
  static double reference(MlpLoss loss, double[][] x, double[] labels, double[] s, double[] p) {
    int layers = loss.numLayers();
    int rows = x.length;
    double[][] a = x;
    for (int l = 1; l <= layers; l++) {
      int n = loss.width(l, FEATURES);
      int fanIn = loss.width(l - 1, FEATURES);
      double[][] z = new double[rows][n];
      for (int i = 0; i < rows; i++) {
        for (int u = 0; u < n; u++) {
          double sum = l == layers ? p[loss.biasOffset(l, FEATURES) + u] : 0.0;
          for (int j = 0; j < fanIn; j++) {
            sum += p[loss.weightOffset(l, FEATURES) + u * fanIn + j] * a[i][j];
          }
          z[i][u] = sum;
        }
      }
      if (l < layers) {
        for (int u = 0; u < n; u++) {
          double mean = 0.0;
          for (int i = 0; i < rows; i++) {
            mean += z[i][u] / rows;
          }
          double var = 0.0;
          for (int i = 0; i < rows; i++) {
            var += (z[i][u] - mean) * (z[i][u] - mean) / rows;
          }
          double gamma = p[loss.gammaOffset(l, FEATURES) + u];
          double beta = p[loss.biasOffset(l, FEATURES) + u];
          for (int i = 0; i < rows; i++) {
            double y = gamma * (z[i][u] - mean) / Math.sqrt(var + BatchNormStatistics.EPS) + beta;
            z[i][u] = switch (loss.activation()) {
              case RELU -> Math.max(0.0, y);
              case TANH -> Math.tanh(y);
              case SIGMOID -> 1.0 / (1.0 + Math.exp(-y));
            };
          }
        }
      }
      a = z;
    }
    double total = 0.0;
    for (int i = 0; i < rows; i++) {
      double y = labels[i];
      double rowLoss = switch (loss.output()) {
        case SOFTMAX -> {
          double sum = 0.0;
          for (double v : a[i]) {
            sum += Math.exp(v);
          }
          yield Math.log(sum) - a[i][(int) y];
        }
        case LOGISTIC -> Math.log(1.0 + Math.exp(-y * a[i][0]));
        case SQUARED -> 0.5 * (a[i][0] - y) * (a[i][0] - y);
      };
      total += s[i] * rowLoss;
    }
    return total;
  }

  /** The passes over a batch held in {@code parts}, each part merged in order, as partitions. */
  static MlpLoss.BatchPasses over(List<DataBlock> parts, double[] p) {
    return new MlpLoss.BatchPasses() {
      @Override
      public double[] moments(MlpLoss loss) {
        double[] total = null;
        for (DataBlock part : parts) {
          double[] m = BatchNormStatistics.zeroMoments(
              loss.hidden()[loss.momentsLayer() - 1]);
          loss.addMoments(part, 0, part.numRows(), p, m, new Workspace());
          total = total == null ? m : BatchNormStatistics.mergeMoments(total, m);
        }
        return total;
      }

      @Override
      public double[] gradientSum(MlpLoss loss) {
        double[] g = new double[p.length];
        for (DataBlock part : parts) {
          loss.addGradient(part, 0, part.numRows(), p, true, g, new Workspace());
        }
        return g;
      }
    };
  }

  /** The loss sum and, when {@code g} is set, the gradient sum over the parts. */
  static double lossAndGradient(MlpLoss network, List<DataBlock> parts, double[] p, double[] g) {
    MlpLoss resolved = network.withBatchStatistics(over(parts, p), g != null);
    double value = 0.0;
    for (DataBlock part : parts) {
      value += g == null ? resolved.addLoss(part, 0, part.numRows(), p, true, new Workspace())
          : resolved.addGradient(part, 0, part.numRows(), p, true, g, new Workspace());
    }
    return value;
  }

  @ParameterizedTest(name = "{0} hidden layers, {1} output")
  @MethodSource("networks")
  void everyWeightBetaAndGammaMatchesCentredDifferencesOfTheWholeBatchReference(Activation a,
      OutputLoss o) {
    MlpLoss loss = network(a, o);
    LossGradientTest.Data all = data(3, o, 0, ROWS);
    LossGradientTest.Data first = data(3, o, 0, 5);
    LossGradientTest.Data second = data(3, o, 5, ROWS);
    double[] p = point(loss, 7);
    double expected = reference(loss, all.x, all.y, all.s, p);
    for (List<DataBlock> parts : List.of(List.of(first.dense, second.dense),
        List.of(first.sparse, second.sparse))) {
      double[] g = new double[p.length];
      double value = lossAndGradient(loss, parts, p, g);
      assertEquals(expected, value, 1e-12 * Math.abs(expected), "the loss of the whole batch");
      double h = 1e-5;
      for (int j = 0; j < p.length; j++) {
        double[] plus = p.clone();
        double[] minus = p.clone();
        plus[j] += h;
        minus[j] -= h;
        double numeric = (reference(loss, all.x, all.y, all.s, plus)
            - reference(loss, all.x, all.y, all.s, minus)) / (2 * h);
        assertEquals(numeric, g[j], 1e-6 * Math.max(1.0, Math.abs(numeric)),
            loss.describe(j, FEATURES));
      }
    }
  }

  @Test
  void aBatchInTwoPartsGivesTheGradientOfTheBatchInOnePart() {
    MlpLoss loss = network(Activation.TANH, OutputLoss.SOFTMAX);
    double[] p = point(loss, 8);
    LossGradientTest.Data all = data(4, OutputLoss.SOFTMAX, 0, ROWS);
    double[] one = new double[p.length];
    double v1 = lossAndGradient(loss, List.of(all.dense), p, one);
    double[] two = new double[p.length];
    double v2 = lossAndGradient(loss, List.of(data(4, OutputLoss.SOFTMAX, 0, 7).dense,
        data(4, OutputLoss.SOFTMAX, 7, ROWS).dense), p, two);
    assertEquals(v1, v2, 1e-13 * Math.abs(v1));
    for (int j = 0; j < p.length; j++) {
      assertEquals(one[j], two[j], 1e-12 * Math.max(1e-3, Math.abs(one[j])),
          loss.describe(j, FEATURES));
    }
  }

  @Test
  void oneUnitOnThreeRowsNormalizesAsWorkedByHand() {
    // d = 1, one ReLU unit, squared output: z = 2x for x = 1, 2, 3 gives μ = 4, σ² = 8/3; with
    // γ = 1.5 and β = 0.5 the unit's outputs are relu(1.5 (z − 4)/sqrt(8/3 + ε) + 0.5), and the
    // score is 3·a − 1.
    MlpLoss loss = new MlpLoss(new int[] {1}, Activation.RELU, OutputLoss.SQUARED, 0, true);
    double[] p = new double[loss.numParams(1, true)];
    assertEquals(5, p.length, "W_1, W_2, β_1, b_2 and γ_1");
    p[loss.weightOffset(1, 1)] = 2.0;
    p[loss.weightOffset(2, 1)] = 3.0;
    p[loss.biasOffset(1, 1)] = 0.5;
    p[loss.biasOffset(2, 1)] = -1.0;
    p[loss.gammaOffset(1, 1)] = 1.5;
    DataBlock block = DataBlock.dense(0, 0, 1, new double[] {0.0, 1.0, 4.0}, null,
        new double[] {1.0, 2.0, 3.0});
    double sd = Math.sqrt(8.0 / 3.0 + 1e-5);
    double expected = 0.0;
    double[] x = {1.0, 2.0, 3.0};
    double[] y = {0.0, 1.0, 4.0};
    for (int i = 0; i < 3; i++) {
      double a = Math.max(0.0, 1.5 * (2 * x[i] - 4.0) / sd + 0.5);
      double r = 3 * a - 1.0 - y[i];
      expected += 0.5 * r * r;
    }
    double value = lossAndGradient(loss, List.of(block), p, null);
    assertEquals(expected, value, 1e-14);
    BatchNormStatistics stats = loss.withBatchStatistics(over(List.of(block), p), false)
        .statistics();
    assertEquals(4.0, stats.mean()[0], 1e-15);
    assertEquals(8.0 / 3.0, stats.variance()[0], 1e-15);
    assertEquals(3.0, stats.count());
  }

  @Test
  void inferenceStatisticsAreConstantsOfTheLossAndItsGradient() {
    MlpLoss loss = network(Activation.SIGMOID, OutputLoss.LOGISTIC);
    double[] p = point(loss, 9);
    LossGradientTest.Data data = data(5, OutputLoss.LOGISTIC, 0, ROWS);
    Random r = new Random(2);
    double[] mean = new double[loss.hiddenUnits()];
    double[] var = new double[loss.hiddenUnits()];
    for (int u = 0; u < mean.length; u++) {
      mean[u] = r.nextGaussian();
      var[u] = 0.5 + r.nextDouble();
    }
    MlpLoss fixed = loss.withStatistics(BatchNormStatistics.inference(HIDDEN, mean, var));
    double[] g = new double[p.length];
    fixed.addGradient(data.dense, 0, ROWS, p, true, g, new Workspace());
    double h = 1e-5;
    for (int j = 0; j < p.length; j++) {
      double[] plus = p.clone();
      double[] minus = p.clone();
      plus[j] += h;
      minus[j] -= h;
      double numeric = (fixed.addLoss(data.dense, 0, ROWS, plus, true, new Workspace())
          - fixed.addLoss(data.dense, 0, ROWS, minus, true, new Workspace())) / (2 * h);
      assertEquals(numeric, g[j], 1e-6 * Math.max(1.0, Math.abs(numeric)),
          loss.describe(j, FEATURES));
    }
    // The population statistics of the training rows make inference equal the full batch.
    BatchNormStatistics population = loss.withBatchStatistics(over(List.of(data.dense), p),
        false).statistics().asInference();
    double train = lossAndGradient(loss, List.of(data.dense), p, null);
    double inferred = loss.withStatistics(population).addLoss(data.dense, 0, ROWS, p, true,
        new Workspace());
    assertEquals(train, inferred, 1e-13 * Math.abs(train));
  }

  @Test
  void mergedMomentsEqualTheMomentsOfAllRows() {
    Random r = new Random(6);
    double[] all = new double[50];
    for (int i = 0; i < all.length; i++) {
      all[i] = 1e6 + r.nextGaussian();
    }
    double[] a = moments(Arrays.copyOfRange(all, 0, 17));
    double[] b = moments(Arrays.copyOfRange(all, 17, 50));
    double[] merged = BatchNormStatistics.mergeMoments(a, b);
    double[] direct = moments(all);
    assertEquals(50.0, merged[0]);
    assertEquals(direct[1], merged[1], 1e-15 * 1e6);
    assertEquals(direct[2], merged[2], 1e-9 * direct[2]);
    assertEquals(direct[2], BatchNormStatistics.mergeMoments(
        BatchNormStatistics.zeroMoments(1), moments(all))[2]);
  }

  private static double[] moments(double[] z) {
    double mean = Arrays.stream(z).sum() / z.length;
    double m2 = 0.0;
    for (double v : z) {
      m2 += (v - mean) * (v - mean);
    }
    return new double[] {z.length, mean, m2};
  }

  @Test
  void theParametersHoldGammaAfterEveryBiasStartingAtOne() {
    MlpLoss loss = network(Activation.RELU, OutputLoss.SOFTMAX);
    int weights = 4 * 5 + 3 * 4 + 3 * 3;
    assertEquals(weights, loss.numCoefficients(FEATURES));
    assertEquals(4 + 3 + 3 + 4 + 3, loss.numBiases(true), "biases, then γ of 7 hidden units");
    double[] p = loss.initialParams(FEATURES, true, 1);
    for (int j = loss.gammaOffset(1, FEATURES); j < p.length; j++) {
      assertEquals(1.0, p[j]);
    }
    assertEquals("layer 2 γ (unit 1)", loss.describe(loss.gammaOffset(2, FEATURES) + 1,
        FEATURES));
    assertEquals("layer 1 β (unit 3)", loss.describe(loss.biasOffset(1, FEATURES) + 3,
        FEATURES));
    assertEquals("layer 3 bias (unit 0)", loss.describe(loss.biasOffset(3, FEATURES),
        FEATURES));
    assertEquals("mlp(d-4-3-3, relu, softmax, batch-norm)", loss.toString());
  }

  @Test
  void aBatchNormalizedNetworkWithoutTheBatchStatisticsRefusesToGuessThem() {
    MlpLoss loss = network(Activation.RELU, OutputLoss.SQUARED);
    LossGradientTest.Data data = data(1, OutputLoss.SQUARED, 0, ROWS);
    double[] p = point(loss, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loss.addGradient(
        data.dense, 0, ROWS, p, true, new double[p.length], new Workspace()));
    assertTrue(e.getMessage().contains("statistics of its whole mini-batch; layer 1 has none"),
        e.getMessage());
  }
}
