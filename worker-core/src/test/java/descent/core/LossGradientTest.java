package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link SquaredLoss} and {@link LogisticLoss} against the per-row formulas, against
 * centred finite differences of their own loss, and dense against CSR layouts of the same rows.
 */
class LossGradientTest {
  private static final int ROWS = 7;
  private static final int FEATURES = 5;

  /** The same rows in both layouts, plus the plain matrix the reference formulas use. */
  static final class Data {
    final double[][] x;
    final double[] y;
    final double[] s;
    final DataBlock dense;
    final DataBlock sparse;

    Data(double[][] x, double[] y, double[] s) {
      this.x = x;
      this.y = y;
      this.s = s;
      this.dense = denseBlock(x, y, s);
      this.sparse = csrBlock(x, y, s);
    }

    double weight(int i) {
      return s == null ? 1.0 : s[i];
    }
  }

  static DataBlock denseBlock(double[][] x, double[] y, double[] s) {
    int d = x.length == 0 ? 0 : x[0].length;
    double[] values = new double[x.length * d];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, values, i * d, d);
    }
    return DataBlock.dense(0, 0, d, y.clone(), s == null ? null : s.clone(), values);
  }

  static DataBlock csrBlock(double[][] x, double[] y, double[] s) {
    int d = x.length == 0 ? 0 : x[0].length;
    int[] indptr = new int[x.length + 1];
    List<Integer> idx = new ArrayList<>();
    List<Double> val = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < d; j++) {
        if (x[i][j] != 0.0) {
          idx.add(j);
          val.add(x[i][j]);
        }
      }
      indptr[i + 1] = idx.size();
    }
    int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
    double[] values = val.stream().mapToDouble(Double::doubleValue).toArray();
    return DataBlock.sparse(0, 0, d, y.clone(), s == null ? null : s.clone(), indptr, indices,
        values);
  }

  /** 7 x 5 random rows with about a third of the cells zero (one row entirely zero). */
  static Data randomData(long seed, boolean logistic, boolean weighted) {
    Random random = new Random(seed);
    double[][] x = new double[ROWS][FEATURES];
    double[] y = new double[ROWS];
    double[] s = weighted ? new double[ROWS] : null;
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i][j] = (i == 3 || random.nextDouble() < 0.35) ? 0.0 : random.nextGaussian();
      }
      y[i] = logistic ? (random.nextBoolean() ? 1.0 : -1.0) : 2.0 * random.nextGaussian();
      if (weighted) {
        s[i] = 0.25 + 2.0 * random.nextDouble();
      }
    }
    return new Data(x, y, s);
  }

  static double[] randomParams(long seed, boolean fitIntercept) {
    Random random = new Random(seed);
    double[] params = new double[FEATURES + (fitIntercept ? 1 : 0)];
    for (int j = 0; j < params.length; j++) {
      params[j] = random.nextGaussian();
    }
    return params;
  }

  static double margin(double[] xi, double[] params, boolean fitIntercept) {
    double m = fitIntercept ? params[xi.length] : 0.0;
    for (int j = 0; j < xi.length; j++) {
      m += params[j] * xi[j];
    }
    return m;
  }

  /** ℓ(m, y): ½(m − y)² or log(1 + exp(−y m)), written from the definitions. */
  static double rowLoss(boolean logistic, double m, double y) {
    if (logistic) {
      return Math.log(1.0 + Math.exp(-y * m));
    }
    return 0.5 * (m - y) * (m - y);
  }

  /** dℓ/dm: m − y, or −y·σ(−y m) = −y / (1 + exp(y m)). */
  static double rowDerivative(boolean logistic, double m, double y) {
    if (logistic) {
      return -y / (1.0 + Math.exp(y * m));
    }
    return m - y;
  }

  static double referenceLoss(Data data, boolean logistic, int from, int to, double[] params,
      boolean fitIntercept) {
    double sum = 0.0;
    for (int i = from; i < to; i++) {
      sum += data.weight(i) * rowLoss(logistic, margin(data.x[i], params, fitIntercept), data.y[i]);
    }
    return sum;
  }

  static double[] referenceGradient(Data data, boolean logistic, int from, int to,
      double[] params, boolean fitIntercept) {
    double[] g = new double[params.length];
    for (int i = from; i < to; i++) {
      double m = margin(data.x[i], params, fitIntercept);
      double c = data.weight(i) * rowDerivative(logistic, m, data.y[i]);
      for (int j = 0; j < FEATURES; j++) {
        g[j] += c * data.x[i][j];
      }
      if (fitIntercept) {
        g[FEATURES] += c;
      }
    }
    return g;
  }

  static void assertClose(double expected, double actual, double tol, String what) {
    assertTrue(Math.abs(expected - actual) <= tol * Math.max(1.0, Math.abs(expected)),
        what + ": expected " + expected + " but was " + actual);
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int j = 0; j < expected.length; j++) {
      assertClose(expected[j], actual[j], tol, what + "[" + j + "]");
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (boolean logistic : new boolean[] {false, true}) {
      for (boolean fitIntercept : new boolean[] {false, true}) {
        for (boolean weighted : new boolean[] {false, true}) {
          out.add(Arguments.of(logistic ? "logistic" : "squared", fitIntercept, weighted));
        }
      }
    }
    return out.stream();
  }

  static Loss loss(String name) {
    return name.equals("logistic") ? new LogisticLoss() : new SquaredLoss();
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void lossMatchesPerRowFormula(String name, boolean fitIntercept, boolean weighted) {
    boolean logistic = name.equals("logistic");
    Loss loss = loss(name);
    for (long seed = 1; seed <= 5; seed++) {
      Data data = randomData(seed, logistic, weighted);
      double[] params = randomParams(100 + seed, fitIntercept);
      double expected = referenceLoss(data, logistic, 0, ROWS, params, fitIntercept);
      for (DataBlock block : List.of(data.dense, data.sparse)) {
        String what = name + (block.isDense() ? " dense" : " csr") + " seed " + seed;
        double actual = loss.addLoss(block, 0, ROWS, params, fitIntercept, new Workspace());
        assertClose(expected, actual, 1e-12, what + " addLoss");
        double[] gradient = new double[params.length];
        double withGradient =
            loss.addGradient(block, 0, ROWS, params, fitIntercept, gradient, new Workspace());
        assertClose(expected, withGradient, 1e-12, what + " addGradient's loss");
        assertClose(referenceGradient(data, logistic, 0, ROWS, params, fitIntercept), gradient,
            1e-12, what + " gradient vs Σ s_i ℓ'(m_i)(x_i, 1)");
      }
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void gradientMatchesCentredFiniteDifferences(String name, boolean fitIntercept,
      boolean weighted) {
    boolean logistic = name.equals("logistic");
    Loss loss = loss(name);
    double h = 1e-5;
    for (long seed = 1; seed <= 3; seed++) {
      Data data = randomData(seed, logistic, weighted);
      double[] params = randomParams(200 + seed, fitIntercept);
      for (DataBlock block : List.of(data.dense, data.sparse)) {
        String what = name + (block.isDense() ? " dense" : " csr") + " seed " + seed;
        Workspace ws = new Workspace();
        double[] gradient = new double[params.length];
        loss.addGradient(block, 0, ROWS, params, fitIntercept, gradient, ws);
        for (int j = 0; j < params.length; j++) {
          double[] plus = params.clone();
          double[] minus = params.clone();
          plus[j] += h;
          minus[j] -= h;
          double fd = (loss.addLoss(block, 0, ROWS, plus, fitIntercept, ws)
              - loss.addLoss(block, 0, ROWS, minus, fitIntercept, ws)) / (2 * h);
          assertClose(fd, gradient[j], 1e-6, what + " ∂/∂θ_" + j);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void denseAndCsrAgree(String name, boolean fitIntercept, boolean weighted) {
    boolean logistic = name.equals("logistic");
    Loss loss = loss(name);
    for (long seed = 1; seed <= 5; seed++) {
      Data data = randomData(seed, logistic, weighted);
      double[] params = randomParams(300 + seed, fitIntercept);
      Workspace ws = new Workspace();
      for (int from = 0; from <= ROWS; from++) {
        for (int to = from; to <= ROWS; to++) {
          double[] gd = new double[params.length];
          double[] gs = new double[params.length];
          double ld = loss.addGradient(data.dense, from, to, params, fitIntercept, gd, ws);
          double ls = loss.addGradient(data.sparse, from, to, params, fitIntercept, gs, ws);
          String what = name + " seed " + seed + " rows [" + from + "," + to + ")";
          assertClose(ld, ls, 1e-12, what + " loss");
          assertClose(gd, gs, 1e-12, what + " gradient");
          assertClose(loss.addLoss(data.dense, from, to, params, fitIntercept, ws),
              loss.addLoss(data.sparse, from, to, params, fitIntercept, ws), 1e-12,
              what + " addLoss");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void rowRangesCountOnlyTheirRows(String name, boolean fitIntercept, boolean weighted) {
    boolean logistic = name.equals("logistic");
    Loss loss = loss(name);
    Data data = randomData(42, logistic, weighted);
    double[] params = randomParams(4242, fitIntercept);
    // One workspace for every range: buffers left over from a longer range must not leak.
    Workspace ws = new Workspace();
    for (DataBlock block : List.of(data.dense, data.sparse)) {
      for (int from = 0; from <= ROWS; from++) {
        for (int to = from; to <= ROWS; to++) {
          String what = name + (block.isDense() ? " dense" : " csr") + " [" + from + "," + to
              + ")";
          double expectedLoss = referenceLoss(data, logistic, from, to, params, fitIntercept);
          double[] expectedGradient =
              referenceGradient(data, logistic, from, to, params, fitIntercept);
          assertClose(expectedLoss, loss.addLoss(block, from, to, params, fitIntercept, ws),
              1e-12, what + " addLoss");
          double[] gradient = new double[params.length];
          double l = loss.addGradient(block, from, to, params, fitIntercept, gradient, ws);
          assertClose(expectedLoss, l, 1e-12, what + " addGradient's loss");
          assertClose(expectedGradient, gradient, 1e-12, what + " gradient");
        }
      }
      // Splitting a range in two and adding both halves into one buffer gives the whole.
      double[] whole = new double[params.length];
      double wholeLoss = loss.addGradient(block, 1, 6, params, fitIntercept, whole, ws);
      double[] parts = new double[params.length];
      double partsLoss = loss.addGradient(block, 1, 4, params, fitIntercept, parts, ws)
          + loss.addGradient(block, 4, 6, params, fitIntercept, parts, ws);
      assertClose(wholeLoss, partsLoss, 1e-12, name + " split loss");
      assertClose(whole, parts, 1e-12, name + " split gradient");
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void addGradientAddsIntoTheBufferAndEmptyRangeIsZero(String name, boolean fitIntercept,
      boolean weighted) {
    boolean logistic = name.equals("logistic");
    Loss loss = loss(name);
    Data data = randomData(7, logistic, weighted);
    double[] params = randomParams(77, fitIntercept);
    for (DataBlock block : List.of(data.dense, data.sparse)) {
      double[] start = new double[params.length];
      for (int j = 0; j < start.length; j++) {
        start[j] = 10.0 + j;
      }
      double[] gradient = start.clone();
      loss.addGradient(block, 0, ROWS, params, fitIntercept, gradient, new Workspace());
      double[] expected = referenceGradient(data, logistic, 0, ROWS, params, fitIntercept);
      for (int j = 0; j < start.length; j++) {
        expected[j] += start[j];
      }
      assertClose(expected, gradient, 1e-12, name + " accumulated gradient");

      double[] untouched = start.clone();
      assertEquals(0.0, loss.addGradient(block, 3, 3, params, fitIntercept, untouched,
          new Workspace()));
      assertEquals(0.0, loss.addLoss(block, 5, 5, params, fitIntercept, new Workspace()));
      assertTrue(Arrays.equals(start, untouched), "an empty range leaves the gradient alone");
    }
  }

  @Test
  void marginsAreWDotXPlusB() {
    Data data = randomData(9, false, false);
    double[] params = randomParams(99, true);
    for (DataBlock block : List.of(data.dense, data.sparse)) {
      double[] margins = new double[4];
      MarginLoss.margins(block, 2, 4, params, true, margins);
      for (int i = 0; i < 4; i++) {
        assertClose(margin(data.x[2 + i], params, true), margins[i], 1e-12, "margin " + i);
      }
      MarginLoss.margins(block, 2, 4, Arrays.copyOf(params, FEATURES), false, margins);
      for (int i = 0; i < 4; i++) {
        assertClose(margin(data.x[2 + i], params, false), margins[i], 1e-12, "margin " + i);
      }
    }
  }

  @Test
  void log1pFromTheRoundedSumIsWithinFourUlpsOfMathLog1p() {
    Random random = new Random(7);
    List<Double> es = new ArrayList<>(List.of(0.0, Double.MIN_VALUE, 1e-300, 1e-17,
        0x1p-53, 0x1p-52, 1.5e-16, 1e-15, 1e-10, 1e-5, 0.1331489917415424, 0.5, 1.0));
    for (int i = 0; i < 200_000; i++) {
      es.add(Math.exp(-Math.abs(random.nextGaussian()) * (i % 3 == 0 ? 300 : 3)));
    }
    for (double e : es) {
      double u = 1.0 + e;
      double expected = Math.log1p(e);
      double actual = LogisticLoss.log1p(e, u, 1.0 / u);
      assertTrue(Math.abs(actual - expected) <= 4 * Math.ulp(expected),
          "log1p(" + e + ") = " + expected + ", got " + actual);
    }
  }

  @Test
  void logisticLossOfAWellClassifiedRowKeepsItsRelativePrecision() {
    // y·m = 40: ℓ = log(1 + e^−40) ≈ 4.2e−18, which log(1 + e^−40) computed naively rounds to 0,
    // and ℓ' = −σ(−40) = −e^−40 / (1 + e^−40).
    double[][] x = {{1.0}};
    double[] y = {1.0};
    double[] params = {40.0};
    double expectedLoss = Math.log1p(Math.exp(-40.0));
    double expectedGradient = -Math.exp(-40.0) / (1.0 + Math.exp(-40.0));
    Loss loss = new LogisticLoss();
    for (DataBlock block : List.of(denseBlock(x, y, null), csrBlock(x, y, null))) {
      double[] gradient = new double[1];
      double withGradient = loss.addGradient(block, 0, 1, params, false, gradient, new Workspace());
      double lossOnly = loss.addLoss(block, 0, 1, params, false, new Workspace());
      assertEquals(expectedLoss, withGradient, 1e-15 * expectedLoss);
      assertEquals(expectedLoss, lossOnly, 1e-15 * expectedLoss);
      assertEquals(expectedGradient, gradient[0], 1e-15 * -expectedGradient);
    }
  }

  @Test
  void logisticStaysFiniteForHugeMargins() {
    // One feature x = 1 and w = ±800, so the margins are ±800; labels +1 then -1.
    double[][] x = {{1.0}, {1.0}};
    double[] y = {1.0, -1.0};
    Loss loss = new LogisticLoss();
    for (DataBlock block : List.of(denseBlock(x, y, null), csrBlock(x, y, null))) {
      for (double w : new double[] {800.0, -800.0}) {
        double[] params = {w};
        double[] gradient = new double[1];
        double l = loss.addGradient(block, 0, 2, params, false, gradient, new Workspace());
        double lossOnly = loss.addLoss(block, 0, 2, params, false, new Workspace());
        // The row with y·m = −800 costs log(1 + e^800) ≈ 800; the other costs log(1 + e^−800) ≈ 0.
        assertTrue(Double.isFinite(l) && Double.isFinite(lossOnly), "loss " + l + " / " + lossOnly);
        assertEquals(800.0, l, 1e-9);
        assertEquals(800.0, lossOnly, 1e-9);
        // d/dw = Σ −y x σ(−y m): only the misclassified row counts, with σ ≈ 1, i.e. −y of it.
        double misclassifiedY = w > 0 ? -1.0 : 1.0;
        assertTrue(Double.isFinite(gradient[0]));
        assertEquals(-misclassifiedY, gradient[0], 1e-12);
      }
    }
    for (double m : new double[] {800.0, -800.0, 1e308, -1e308}) {
      double p = loss.predict(m);
      assertFalse(Double.isNaN(p));
      assertTrue(p >= 0.0 && p <= 1.0, "P(y=+1) = " + p + " at margin " + m);
    }
    assertEquals(0.5, loss.predict(0.0), 0.0);
  }

  @Test
  void labelDomainsAndPredictions() {
    assertEquals(LabelDomain.REAL, new SquaredLoss().labelDomain());
    assertEquals(LabelDomain.BINARY, new LogisticLoss().labelDomain());
    assertEquals(-3.25, new SquaredLoss().predict(-3.25), 0.0);
    double m = 0.7;
    assertEquals(1.0 / (1.0 + Math.exp(-m)), new LogisticLoss().predict(m), 1e-15);
  }
}
