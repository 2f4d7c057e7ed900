package descent.core;

import static descent.core.LossGradientTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LossGradientTest.Data;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HingeLoss}, {@link SquaredHingeLoss} and {@link HuberLoss} (δ = 1): a hand-computed
 * case each; the per-row formulas in dense and CSR layouts, weighted and not; centred finite
 * differences of the loss (gradient) and of the gradient (curvature) at random points at least
 * 10⁻³ away from the kinks; and a row of weight 2 counted like the row twice.
 */
class SvmAndHuberLossTest {
  private static final double DELTA = 1.0;

  static Loss loss(String name) {
    return switch (name) {
      case "hinge" -> new HingeLoss();
      case "squared-hinge" -> new SquaredHingeLoss();
      case "huber" -> new HuberLoss(DELTA);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static boolean binary(String name) {
    return !name.equals("huber");
  }

  /** ℓ(m, y) from the definitions: max(0, 1 − ym), max(0, 1 − ym)², or Huber of r = m − y. */
  static double rowLoss(String name, double m, double y) {
    return switch (name) {
      case "hinge" -> Math.max(0.0, 1.0 - y * m);
      case "squared-hinge" -> Math.pow(Math.max(0.0, 1.0 - y * m), 2);
      default -> Math.abs(m - y) <= DELTA ? 0.5 * (m - y) * (m - y)
          : DELTA * (Math.abs(m - y) - 0.5 * DELTA);
    };
  }

  /** dℓ/dm: −y or 0; −2y·max(0, 1 − ym); clamp(m − y, −δ, δ). */
  static double rowDerivative(String name, double m, double y) {
    return switch (name) {
      case "hinge" -> y * m < 1.0 ? -y : 0.0;
      case "squared-hinge" -> -2.0 * y * Math.max(0.0, 1.0 - y * m);
      default -> Math.max(-DELTA, Math.min(DELTA, m - y));
    };
  }

  /** d²ℓ/dm²: 2 where ym < 1 (else 0) for the squared hinge; 1 where |m − y| ≤ δ for Huber. */
  static double rowCurvature(String name, double m, double y) {
    return name.equals("squared-hinge") ? (y * m < 1.0 ? 2.0 : 0.0)
        : Math.abs(m - y) <= DELTA ? 1.0 : 0.0;
  }

  /** How far the margin is from the loss's kink: |1 − ym| for the hinges, ||m − y| − δ| for Huber. */
  static double distanceToKink(String name, double m, double y) {
    return binary(name) ? Math.abs(1.0 - y * m) : Math.abs(Math.abs(m - y) - DELTA);
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String name : List.of("hinge", "squared-hinge", "huber")) {
      for (boolean intercept : new boolean[] {false, true}) {
        for (boolean weighted : new boolean[] {false, true}) {
          out.add(Arguments.of(name, intercept, weighted));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> smoothCases() {
    return cases().filter(a -> !a.get()[0].equals("hinge"));
  }

  /** Random parameters whose margins are all at least 10⁻³ from a kink (the first seed that is). */
  static double[] paramsAwayFromKinks(String name, Data data, long seed, boolean intercept) {
    for (long s = seed; ; s += 1000) {
      double[] params = LossGradientTest.randomParams(s, intercept);
      boolean ok = true;
      for (int i = 0; i < data.x.length; i++) {
        double m = LossGradientTest.margin(data.x[i], params, intercept);
        ok &= distanceToKink(name, m, data.y[i]) > 1e-3;
      }
      if (ok) {
        return params;
      }
    }
  }

  static double[] referenceGradient(String name, Data data, double[] params, boolean intercept) {
    int d = data.x[0].length;
    double[] g = new double[params.length];
    for (int i = 0; i < data.x.length; i++) {
      double m = LossGradientTest.margin(data.x[i], params, intercept);
      double c = data.weight(i) * rowDerivative(name, m, data.y[i]);
      for (int j = 0; j < d; j++) {
        g[j] += c * data.x[i][j];
      }
      if (intercept) {
        g[d] += c;
      }
    }
    return g;
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void lossAndGradientMatchThePerRowFormulaInBothLayouts(String name, boolean intercept,
      boolean weighted) {
    Loss loss = loss(name);
    for (long seed = 1; seed <= 5; seed++) {
      Data data = LossGradientTest.randomData(seed, binary(name), weighted);
      double[] params = LossGradientTest.randomParams(100 + seed, intercept);
      double expected = 0.0;
      for (int i = 0; i < data.x.length; i++) {
        expected += data.weight(i)
            * rowLoss(name, LossGradientTest.margin(data.x[i], params, intercept), data.y[i]);
      }
      double[] expectedGradient = referenceGradient(name, data, params, intercept);
      Workspace ws = new Workspace();
      for (DataBlock block : List.of(data.dense, data.sparse)) {
        String what = name + (block.isDense() ? " dense" : " csr") + " seed " + seed;
        int n = block.numRows();
        assertClose(expected, loss.addLoss(block, 0, n, params, intercept, ws), 1e-12,
            what + " addLoss");
        double[] gradient = new double[params.length];
        assertClose(expected, loss.addGradient(block, 0, n, params, intercept, gradient, ws),
            1e-12, what + " addGradient's loss");
        assertClose(expectedGradient, gradient, 1e-12, what + " Σ s_i ℓ'(m_i)(x_i, 1)");
        // Any split of the rows adds up to the whole.
        double[] parts = new double[params.length];
        double partsLoss = loss.addGradient(block, 0, 3, params, intercept, parts, ws)
            + loss.addGradient(block, 3, n, params, intercept, parts, ws);
        assertClose(expected, partsLoss, 1e-12, what + " split loss");
        assertClose(expectedGradient, parts, 1e-12, what + " split gradient");
      }
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void gradientMatchesCentredFiniteDifferencesAwayFromTheKinks(String name, boolean intercept,
      boolean weighted) {
    Loss loss = loss(name);
    double h = 1e-6;
    for (long seed = 1; seed <= 5; seed++) {
      Data data = LossGradientTest.randomData(seed, binary(name), weighted);
      double[] params = paramsAwayFromKinks(name, data, 200 + seed, intercept);
      for (DataBlock block : List.of(data.dense, data.sparse)) {
        Workspace ws = new Workspace();
        int n = block.numRows();
        double[] gradient = new double[params.length];
        loss.addGradient(block, 0, n, params, intercept, gradient, ws);
        for (int j = 0; j < params.length; j++) {
          double[] plus = params.clone();
          double[] minus = params.clone();
          plus[j] += h;
          minus[j] -= h;
          double fd = (loss.addLoss(block, 0, n, plus, intercept, ws)
              - loss.addLoss(block, 0, n, minus, intercept, ws)) / (2 * h);
          assertClose(fd, gradient[j], 1e-7, name + " seed " + seed + " ∂/∂θ_" + j);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} intercept={1} weighted={2}")
  @MethodSource("smoothCases")
  void curvatureIsTheDerivativeOfTheGradientAwayFromTheKinks(String name, boolean intercept,
      boolean weighted) {
    Loss loss = loss(name);
    assertTrue(loss.hasHessian());
    double h = 1e-6;
    for (long seed = 1; seed <= 5; seed++) {
      Data data = LossGradientTest.randomData(seed, binary(name), weighted);
      double[] params = paramsAwayFromKinks(name, data, 300 + seed, intercept);
      int p = params.length;
      // The per-row formula Σ s_i ℓ''(m_i) x̃_i x̃_iᵀ.
      double[][] expected = new double[p][p];
      for (int i = 0; i < data.x.length; i++) {
        double[] xt = new double[p];
        System.arraycopy(data.x[i], 0, xt, 0, data.x[i].length);
        if (intercept) {
          xt[p - 1] = 1.0;
        }
        double c = data.weight(i) * rowCurvature(name,
            LossGradientTest.margin(data.x[i], params, intercept), data.y[i]);
        for (int j = 0; j < p; j++) {
          for (int k = 0; k < p; k++) {
            expected[j][k] += c * xt[j] * xt[k];
          }
        }
      }
      for (DataBlock block : List.of(data.dense, data.sparse)) {
        String what = name + (block.isDense() ? " dense" : " csr") + " seed " + seed;
        double[] hessian = hessian(block, loss, params, intercept);
        for (int k = 0; k < p; k++) {
          double[] plus = params.clone();
          double[] minus = params.clone();
          plus[k] += h;
          minus[k] -= h;
          double[] gp = new double[p];
          double[] gm = new double[p];
          loss.addGradient(block, 0, block.numRows(), plus, intercept, gp, new Workspace());
          loss.addGradient(block, 0, block.numRows(), minus, intercept, gm, new Workspace());
          for (int j = 0; j <= k; j++) {
            double fd = (gp[j] - gm[j]) / (2 * h);
            assertClose(expected[j][k], hessian[j + k * p], 1e-12, what + " H[" + j + "][" + k
                + "] vs the row formula");
            assertClose(fd, hessian[j + k * p], 1e-7, what + " H[" + j + "][" + k
                + "] vs finite differences");
          }
        }
      }
    }
  }

  private static double[] hessian(DataBlock block, Loss loss, double[] params,
      boolean intercept) {
    GradientAccumulator acc = GradientAccumulator.withHessian(params.length);
    acc.add(block, 0, block.numRows(), loss, params, intercept);
    return acc.hessianSum();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void aRowOfWeightTwoCountsLikeTheRowTwice(String name) {
    Loss loss = loss(name);
    Data data = LossGradientTest.randomData(7, binary(name), false);
    int n = data.x.length;
    double[][] twice = new double[n + 1][];
    double[] twiceY = new double[n + 1];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      twice[i] = data.x[i];
      twiceY[i] = data.y[i];
      weights[i] = i == 2 ? 2.0 : 1.0;
    }
    twice[n] = data.x[2];
    twiceY[n] = data.y[2];
    double[] params = LossGradientTest.randomParams(77, true);
    for (boolean dense : new boolean[] {true, false}) {
      DataBlock weighted = dense ? LossGradientTest.denseBlock(data.x, data.y, weights)
          : LossGradientTest.csrBlock(data.x, data.y, weights);
      DataBlock duplicated = dense ? LossGradientTest.denseBlock(twice, twiceY, null)
          : LossGradientTest.csrBlock(twice, twiceY, null);
      GradientAccumulator a = loss.hasHessian() ? GradientAccumulator.withHessian(params.length)
          : new GradientAccumulator(params.length, true);
      GradientAccumulator b = loss.hasHessian() ? GradientAccumulator.withHessian(params.length)
          : new GradientAccumulator(params.length, true);
      a.add(weighted, 0, n, loss, params, true);
      b.add(duplicated, 0, n + 1, loss, params, true);
      assertClose(b.lossSum(), a.lossSum(), 1e-12, name + " loss");
      assertClose(b.gradientSum(), a.gradientSum(), 1e-12, name + " gradient");
      if (loss.hasHessian()) {
        assertClose(b.hessianSum(), a.hessianSum(), 1e-12, name + " Hessian");
      }
    }
  }

  static Stream<String> names() {
    return Stream.of("hinge", "squared-hinge", "huber");
  }

  /**
   * Three rows x = (1, 0), (2, 1), (0, 2) at w = (½, 1), b = ¼: margins ¾, 9/4, 9/4. With
   * labels +1, −1, +1: y·m = ¾, −9/4, 9/4, so the hinge losses are ¼, 13/4, 0.
   */
  private static final double[][] X = {{1, 0}, {2, 1}, {0, 2}};
  private static final double[] PARAMS = {0.5, 1.0, 0.25};

  private static void assertHandComputed(Loss loss, double[] y, double expectedLoss,
      double[] expectedGradient, double[] expectedHessian) {
    for (DataBlock block : List.of(LossGradientTest.denseBlock(X, y, null),
        LossGradientTest.csrBlock(X, y, null))) {
      GradientAccumulator acc = expectedHessian != null ? GradientAccumulator.withHessian(3)
          : new GradientAccumulator(3, true);
      acc.add(block, 0, 3, loss, PARAMS, true);
      assertEquals(expectedLoss, acc.lossSum(), 1e-15, loss + " loss");
      assertClose(expectedGradient, acc.gradientSum(), 1e-15, loss + " gradient");
      if (expectedHessian != null) {
        // Upper triangle, column-major; the dense kernel's √c·x rounds in the last bit.
        double[] h = acc.hessianSum();
        for (int k = 0; k < 3; k++) {
          for (int j = 0; j <= k; j++) {
            assertEquals(expectedHessian[j + 3 * k], h[j + 3 * k], 1e-14,
                loss + " H[" + j + "][" + k + "]");
          }
        }
      }
    }
  }

  @Test
  void hingeByHand() {
    // ℓ = ¼ + 13/4 + 0 = 7/2; ℓ' = −y where ym < 1: −1 (row 1), +1 (row 2), 0 (row 3);
    // ∇ = −(1, 0, 1) + (2, 1, 1) = (1, 1, 0).
    assertHandComputed(new HingeLoss(), new double[] {1, -1, 1}, 3.5, new double[] {1, 1, 0},
        null);
  }

  @Test
  void squaredHingeByHand() {
    // ℓ = (¼)² + (13/4)² + 0 = 1/16 + 169/16 = 85/8; ℓ' = −2y(1 − ym): −½, 13/2, 0;
    // ∇ = −½(1, 0, 1) + 13/2 (2, 1, 1) = (25/2, 13/2, 6);
    // ℓ'' = 2, 2, 0: H = 2(1, 0, 1)(1, 0, 1)ᵀ + 2(2, 1, 1)(2, 1, 1)ᵀ.
    assertHandComputed(new SquaredHingeLoss(), new double[] {1, -1, 1}, 85.0 / 8,
        new double[] {12.5, 6.5, 6.0}, new double[] {10, 4, 6, 4, 2, 2, 6, 2, 4});
  }

  @Test
  void huberByHand() {
    // Labels ½, 0, 5: residuals r = m − y = ¼, 9/4, −11/4 with δ = 1;
    // ℓ = ½(¼)² + (9/4 − ½) + (11/4 − ½) = 1/32 + 7/4 + 9/4 = 129/32;
    // ℓ' = clamp(r, −1, 1) = ¼, 1, −1: ∇ = ¼(1, 0, 1) + (2, 1, 1) − (0, 2, 1) = (9/4, −1, ¼);
    // ℓ'' = 1, 0, 0: H = (1, 0, 1)(1, 0, 1)ᵀ.
    assertHandComputed(new HuberLoss(1.0), new double[] {0.5, 0, 5}, 129.0 / 32,
        new double[] {2.25, -1, 0.25}, new double[] {1, 0, 1, 0, 0, 0, 1, 0, 1});
  }

  @Test
  void atTheKinksTheSubgradientIsTheInnerSideAndHuberIsContinuous() {
    // y·m = 1 exactly: no loss and no pull, for both hinges.
    DataBlock one = DataBlock.dense(0, 0, 1, new double[] {-1.0}, null, new double[] {2.0});
    double[] params = {-0.5};
    for (Loss loss : List.of(new HingeLoss(), new SquaredHingeLoss())) {
      double[] g = new double[1];
      assertEquals(0.0, loss.addGradient(one, 0, 1, params, false, g, new Workspace()), 0.0);
      assertEquals(0.0, g[0], 0.0, loss + " at ym = 1");
    }
    // |r| = δ: both branches give ½δ², and the derivative is ±δ from either side.
    HuberLoss huber = new HuberLoss(2.0);
    DataBlock row = DataBlock.dense(0, 0, 1, new double[] {0.0}, null, new double[] {1.0});
    for (double w : new double[] {2.0, -2.0}) {
      double[] g = new double[1];
      assertEquals(2.0, huber.addGradient(row, 0, 1, new double[] {w}, false, g,
          new Workspace()), 0.0);
      assertEquals(w, g[0], 0.0);
      for (double side : new double[] {1e-9, -1e-9}) {
        double near = huber.addLoss(row, 0, 1, new double[] {w + side}, false, new Workspace());
        assertEquals(2.0, near, 1e-8, "Huber is continuous at |r| = δ");
      }
    }
  }

  @Test
  void hugeDeltaIsTheSquaredLoss() {
    Data data = LossGradientTest.randomData(5, false, true);
    double[] params = LossGradientTest.randomParams(55, true);
    for (DataBlock block : List.of(data.dense, data.sparse)) {
      GradientAccumulator huber = GradientAccumulator.withHessian(params.length);
      GradientAccumulator squared = GradientAccumulator.withHessian(params.length);
      huber.add(block, 0, block.numRows(), new HuberLoss(1e6), params, true);
      squared.add(block, 0, block.numRows(), new SquaredLoss(), params, true);
      assertEquals(squared.lossSum(), huber.lossSum(), 0.0);
      assertClose(squared.gradientSum(), huber.gradientSum(), 0.0, "gradient");
      assertClose(squared.hessianSum(), huber.hessianSum(), 0.0, "Hessian");
    }
  }

  @Test
  void domainsPredictionsAndDelta() {
    assertEquals(LabelDomain.BINARY, new HingeLoss().labelDomain());
    assertEquals(LabelDomain.BINARY, new SquaredHingeLoss().labelDomain());
    assertEquals(LabelDomain.REAL, new HuberLoss(1.0).labelDomain());
    // The SVMs predict the decision value, whose sign is the class; Huber the fitted value.
    for (Loss loss : List.of(new HingeLoss(), new SquaredHingeLoss(), new HuberLoss(0.5))) {
      assertEquals(-1.75, loss.predict(-1.75), 0.0);
      assertEquals(3.0, loss.predict(3.0), 0.0);
    }
    assertFalse(new HingeLoss().hasHessian());
    assertTrue(new SquaredHingeLoss().hasHessian());
    assertTrue(new HuberLoss(1.0).hasHessian());
    assertThrows(UnsupportedOperationException.class, () -> new HingeLoss().addGradientAndHessian(
        LossGradientTest.denseBlock(X, new double[] {1, -1, 1}, null), 0, 3, PARAMS, true,
        new double[3], new double[9], new Workspace()));
    assertEquals(0.25, new HuberLoss(0.25).delta(), 0.0);
    for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new HuberLoss(bad));
      assertTrue(e.getMessage().contains("delta"), e.getMessage());
    }
  }
}
