package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MlpLoss} against a plain reference network written from the formulas (nested loops, one
 * row at a time): the loss of the kernel equals the reference's, and the kernel's gradient equals
 * the centred differences of the reference loss for every parameter of every layer, for each
 * activation and output loss, on dense and CSR blocks with row weights.
 */
class MlpLossTest {
  private static final int ROWS = 9;
  private static final int FEATURES = 5;
  private static final int[] HIDDEN = {4, 3};
  private static final int CLASSES = 3;

  static Stream<Arguments> networks() {
    return Stream.of(Activation.values()).flatMap(a -> Stream.of(OutputLoss.values())
        .map(o -> Arguments.of(a, o)));
  }

  /** Random rows (about a third of the cells zero, one row all zero) with labels for {@code o}. */
  static LossGradientTest.Data data(long seed, OutputLoss o, boolean weighted) {
    Random r = new Random(seed);
    double[][] x = new double[ROWS][FEATURES];
    double[] y = new double[ROWS];
    double[] s = weighted ? new double[ROWS] : null;
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = i == 2 || r.nextInt(3) == 0 ? 0.0 : r.nextGaussian();
      }
      y[i] = switch (o) {
        case SOFTMAX -> r.nextInt(CLASSES);
        case LOGISTIC -> r.nextBoolean() ? 1.0 : -1.0;
        case SQUARED -> 2 * r.nextGaussian();
      };
      if (weighted) {
        s[i] = 0.25 + r.nextDouble();
      }
    }
    return new LossGradientTest.Data(x, y, s);
  }

  /** A random point: weights of standard deviation 0.7, biases of 0.5 (away from ReLU's kink). */
  static double[] point(MlpLoss loss, long seed) {
    Random r = new Random(seed);
    double[] p = new double[loss.numParams(FEATURES, true)];
    int w = loss.numCoefficients(FEATURES);
    for (int j = 0; j < p.length; j++) {
      p[j] = (j < w ? 0.7 : 0.5) * r.nextGaussian();
    }
    return p;
  }

  /** The reference: the weighted loss sum, one row at a time, straight from the definitions. */
  static double reference(MlpLoss loss, LossGradientTest.Data data, double[] p) {
    int layers = loss.numLayers();
    double total = 0.0;
    for (int i = 0; i < data.x.length; i++) {
      double[] a = data.x[i];
      for (int l = 1; l <= layers; l++) {
        int n = loss.width(l, FEATURES);
        int fanIn = loss.width(l - 1, FEATURES);
        double[] z = new double[n];
        for (int u = 0; u < n; u++) {
          double sum = p[loss.biasOffset(l, FEATURES) + u];
          for (int j = 0; j < fanIn; j++) {
            sum += p[loss.weightOffset(l, FEATURES) + u * fanIn + j] * a[j];
          }
          z[u] = l == layers ? sum : switch (loss.activation()) {
            case RELU -> Math.max(0.0, sum);
            case TANH -> Math.tanh(sum);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-sum));
          };
        }
        a = z;
      }
      double y = data.y[i];
      double rowLoss = switch (loss.output()) {
        case SOFTMAX -> {
          double sum = 0.0;
          for (double v : a) {
            sum += Math.exp(v);
          }
          yield Math.log(sum) - a[(int) y];
        }
        case LOGISTIC -> Math.log(1.0 + Math.exp(-y * a[0]));
        case SQUARED -> 0.5 * (a[0] - y) * (a[0] - y);
      };
      total += data.weight(i) * rowLoss;
    }
    return total;
  }

  static MlpLoss network(Activation a, OutputLoss o) {
    return new MlpLoss(HIDDEN, a, o, CLASSES);
  }

  @ParameterizedTest(name = "{0} hidden layers, {1} output")
  @MethodSource("networks")
  void everyLayersGradientMatchesCentredDifferencesOfTheReference(Activation a, OutputLoss o) {
    MlpLoss loss = network(a, o);
    LossGradientTest.Data data = data(11, o, true);
    double[] p = point(loss, 5);
    double expected = reference(loss, data, p);
    for (DataBlock block : new DataBlock[] {data.dense, data.sparse}) {
      double[] g = new double[p.length];
      double value = loss.addGradient(block, 0, ROWS, p, true, g, new Workspace());
      assertEquals(expected, value, 1e-12 * Math.abs(expected), "loss, " + (block.isDense()
          ? "dense" : "CSR"));
      assertEquals(value, loss.addLoss(block, 0, ROWS, p, true, new Workspace()), 0.0);
      double largest = Arrays.stream(g).map(Math::abs).max().orElseThrow();
      double[] worst = new double[loss.numLayers() + 1];
      for (int j = 0; j < p.length; j++) {
        double h = 1e-5 * Math.max(1.0, Math.abs(p[j]));
        double[] plus = p.clone();
        double[] minus = p.clone();
        plus[j] += h;
        minus[j] -= h;
        double numeric = (reference(loss, data, plus) - reference(loss, data, minus))
            / (plus[j] - minus[j]);
        double error = Math.abs(g[j] - numeric)
            / Math.max(Math.max(Math.abs(g[j]), Math.abs(numeric)), 1e-3 * largest);
        int layer = loss.layerOf(j, FEATURES);
        worst[layer] = Math.max(worst[layer], error);
        assertTrue(error < 1e-6, loss.describe(j, FEATURES) + ": analytic " + g[j]
            + ", numeric " + numeric + " (" + (block.isDense() ? "dense" : "CSR") + ")");
      }
      for (int l = 1; l <= loss.numLayers(); l++) {
        assertTrue(worst[l] > 0, "layer " + l + " was checked");
      }
    }
  }

  @Test
  void aOneUnitNetworkMatchesTheHandComputedChainRule() {
    // x = (1, 2), h = relu(0.5·1 − 0.25·2 + 0.1) = 0.1, f = 3·h − 0.2 = 0.1, y = 1: r = −0.9.
    MlpLoss loss = new MlpLoss(new int[] {1}, Activation.RELU, OutputLoss.SQUARED, 0);
    double[] p = {0.5, -0.25, 3.0, 0.1, -0.2};
    DataBlock b = DataBlock.dense(0, 0, 2, new double[] {1.0}, null, new double[] {1.0, 2.0});
    double[] g = new double[5];
    double value = loss.addGradient(b, 0, 1, p, true, g, new Workspace());
    assertEquals(0.5 * 0.81, value, 1e-15);
    // ∂/∂f = r; W2: r·h; b2: r; b1: r·3; W1: r·3·x.
    assertArrayEquals(new double[] {-2.7, -5.4, -0.09, -2.7, -0.9}, g, 1e-14);
  }

  @Test
  void biasesFollowTheWeightsSoThePenaltyReachesOnlyWeights() {
    MlpLoss loss = network(Activation.TANH, OutputLoss.SOFTMAX);
    // Weights 4·5 + 3·4 + 3·3 = 41, biases 4 + 3 + 3 = 10.
    assertEquals(41, loss.numCoefficients(FEATURES));
    assertEquals(10, loss.numBiases(false));
    assertEquals(51, loss.numParams(FEATURES, false));
    assertEquals(20, loss.numInputCoefficients(FEATURES));
    assertEquals("layer 1 weight (unit 0, feature 0)", loss.describe(0, FEATURES));
    assertEquals("layer 2 weight (unit 1, input 2)", loss.describe(20 + 4 + 2, FEATURES));
    assertEquals("layer 3 weight (unit 2, input 2)", loss.describe(40, FEATURES));
    assertEquals("layer 1 bias (unit 0)", loss.describe(41, FEATURES));
    assertEquals("layer 3 bias (unit 2)", loss.describe(50, FEATURES));
    assertFalse(loss.isLinear());
  }

  @Test
  void manyRowsInChunksEqualTheSumOfSingleRows() {
    MlpLoss loss = new MlpLoss(new int[] {6}, Activation.SIGMOID, OutputLoss.LOGISTIC, 0);
    Random r = new Random(3);
    int n = 3 * loss.chunkRows(FEATURES) + 17;
    double[][] x = new double[n][FEATURES];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = r.nextBoolean() ? 1 : -1;
    }
    LossGradientTest.Data data = new LossGradientTest.Data(x, y, null);
    double[] p = loss.initialParams(FEATURES, true, 9);
    double[] whole = new double[p.length];
    double value = loss.addGradient(data.dense, 0, n, p, true, whole, new Workspace());
    double[] rows = new double[p.length];
    double sum = 0.0;
    Workspace ws = new Workspace();
    for (int i = 0; i < n; i++) {
      sum += loss.addGradient(data.sparse, i, i + 1, p, true, rows, ws);
    }
    assertEquals(sum, value, 1e-10 * Math.abs(sum));
    for (int j = 0; j < p.length; j++) {
      assertEquals(rows[j], whole[j], 1e-10 * (1 + Math.abs(rows[j])), loss.describe(j, FEATURES));
    }
    double[] scores = new double[n];
    loss.outputs(data.dense, 0, n, p, scores, ws);
    double[] one = new double[1];
    loss.outputs(data.dense, n - 1, 1, p, one, ws);
    assertEquals(one[0], scores[n - 1], 1e-12);
  }

  @Test
  void initialWeightsComeFromTheSeedWithHeOrGlorotScaleAndZeroBiases() {
    MlpLoss relu = new MlpLoss(new int[] {400}, Activation.RELU, OutputLoss.SQUARED, 0);
    int d = 200;
    double[] a = relu.initialParams(d, true, 17);
    assertArrayEquals(a, relu.initialParams(d, true, 17));
    assertFalse(Arrays.equals(a, relu.initialParams(d, true, 18)));
    double sq = 0.0;
    for (int j = 0; j < 400 * d; j++) {
      sq += a[j] * a[j];
    }
    // He: variance 2/fanIn = 0.01 over 80,000 draws (standard error about 0.5 %).
    assertEquals(2.0 / d, sq / (400 * d), 0.03 * 2.0 / d);
    double limit = Math.sqrt(6.0 / (400 + 1));
    for (int j = 400 * d; j < 400 * d + 400; j++) {
      assertTrue(Math.abs(a[j]) <= limit && a[j] != 0.0);
    }
    for (int j = relu.numCoefficients(d); j < a.length; j++) {
      assertEquals(0.0, a[j]);
    }
    MlpLoss tanh = new MlpLoss(new int[] {400}, Activation.TANH, OutputLoss.SQUARED, 0);
    double[] t = tanh.initialParams(d, true, 17);
    double glorot = Math.sqrt(6.0 / (d + 400));
    double tsq = 0.0;
    for (int j = 0; j < 400 * d; j++) {
      assertTrue(Math.abs(t[j]) <= glorot);
      tsq += t[j] * t[j];
    }
    // Uniform on ±limit: variance limit²/3.
    assertEquals(glorot * glorot / 3, tsq / (400 * d), 0.03 * glorot * glorot / 3);
  }

  @Test
  void refusesWhatANetworkCannotBe() {
    assertThrows(IllegalArgumentException.class,
        () -> new MlpLoss(new int[0], Activation.RELU, OutputLoss.SQUARED, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new MlpLoss(new int[] {3, 0}, Activation.RELU, OutputLoss.SQUARED, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MlpLoss(new int[] {3}, Activation.RELU, OutputLoss.SOFTMAX, 1));
    assertTrue(e.getMessage().contains("softmax output needs between 2"), e.getMessage());
    MlpLoss loss = network(Activation.RELU, OutputLoss.SOFTMAX);
    LossGradientTest.Data data = data(1, OutputLoss.SOFTMAX, false);
    UnsupportedOperationException scaled = assertThrows(UnsupportedOperationException.class,
        () -> loss.addGradient(data.dense, 0, ROWS, point(loss, 1), 0.5, true,
            new double[loss.numParams(FEATURES, true)], new Workspace()));
    assertTrue(scaled.getMessage().contains("scale"), scaled.getMessage());
    assertFalse(loss.hasHessian());
  }
}
