package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SoftmaxLoss}: the cross-entropy {@code log Σ_k exp(z_k) − z_y} and its gradient
 * {@code (p − e_y) x̃ᵀ} against a hand-computed row, against the per-row formula written from
 * the definition, against centred finite differences, dense against CSR, and weights against
 * duplicated rows.
 */
class SoftmaxLossTest {
  private static final int K = 3;
  private static final int D = 4;

  static Stream<Arguments> cases() {
    return Stream.of(false, true).flatMap(intercept -> Stream.of(false, true).map(weighted ->
        Arguments.of(intercept, weighted)));
  }

  /** One row x = (1, 2), label 1, W = [[1, 0], [0, 1], [0, 0]], b = 0: z = (1, 2, 0). */
  @Test
  void oneRowByHand() {
    DataBlock block = DataBlock.dense(0, 0, 2, new double[] {1}, null, new double[] {1, 2});
    double[] w = {1, 0, 0, 1, 0, 0};
    double[] g = new double[6];
    double loss = new SoftmaxLoss(3).addGradient(block, 0, 1, w, false, g, new Workspace());
    double sum = Math.exp(1) + Math.exp(2) + Math.exp(0);
    // ℓ = log(e + e² + 1) − 2.
    assertEquals(Math.log(sum) - 2, loss, 1e-15);
    double[] p = {Math.exp(1) / sum, Math.exp(2) / sum, 1 / sum};
    // ∂ℓ/∂W_k = (p_k − [k = 1]) x.
    double[] expected = {p[0], 2 * p[0], p[1] - 1, 2 * (p[1] - 1), p[2], 2 * p[2]};
    for (int j = 0; j < 6; j++) {
      assertEquals(expected[j], g[j], 1e-15, "gradient[" + j + "]");
    }
  }

  static double[][] x(Random r, int rows) {
    double[][] x = new double[rows][D];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < D; j++) {
        x[i][j] = (i == 2 || r.nextDouble() < 0.3) ? 0.0 : 3 * r.nextGaussian();
      }
    }
    return x;
  }

  /** Nine rows: features from {@link #x}, labels 0..K−1 and, when weighted, weights in [¼, 2¼). */
  record Rows(double[][] x, double[] y, double[] s) {}

  static Rows randomRows(Random r, boolean weighted) {
    int rows = 9;
    double[][] x = x(r, rows);
    double[] y = new double[rows];
    double[] s = weighted ? new double[rows] : null;
    for (int i = 0; i < rows; i++) {
      y[i] = r.nextInt(K);
      if (weighted) {
        s[i] = 0.25 + 2 * r.nextDouble();
      }
    }
    return new Rows(x, y, s);
  }

  static double[] gaussian(Random r, int n, double scale) {
    double[] v = new double[n];
    for (int j = 0; j < n; j++) {
      v[j] = scale * r.nextGaussian();
    }
    return v;
  }

  /** ℓ and ∂ℓ/∂θ of one row, from the definition. */
  static double referenceRow(double[] xi, int y, double[] params, boolean intercept, double s,
      double[] g) {
    double[] z = new double[K];
    for (int k = 0; k < K; k++) {
      z[k] = intercept ? params[K * D + k] : 0.0;
      for (int j = 0; j < D; j++) {
        z[k] += params[k * D + j] * xi[j];
      }
    }
    double sum = 0;
    for (int k = 0; k < K; k++) {
      sum += Math.exp(z[k]);
    }
    for (int k = 0; k < K; k++) {
      double r = s * (Math.exp(z[k]) / sum - (k == y ? 1 : 0));
      for (int j = 0; j < D; j++) {
        g[k * D + j] += r * xi[j];
      }
      if (intercept) {
        g[K * D + k] += r;
      }
    }
    return s * (Math.log(sum) - z[y]);
  }

  @ParameterizedTest(name = "intercept={0} weighted={1}")
  @MethodSource("cases")
  void gradientMatchesTheDefinitionAndFiniteDifferences(boolean intercept, boolean weighted) {
    Random r = new Random(7);
    Rows rows = randomRows(r, weighted);
    double[][] x = rows.x();
    double[] y = rows.y();
    double[] s = rows.s();
    int p = K * D + (intercept ? K : 0);
    double[] params = gaussian(r, p, 1.0);
    SoftmaxLoss loss = new SoftmaxLoss(K);
    assertEquals(p, loss.numParams(D, intercept));
    double[] expected = new double[p];
    double expectedLoss = 0;
    for (int i = 1; i < 8; i++) {
      expectedLoss += referenceRow(x[i], (int) y[i], params, intercept, s == null ? 1 : s[i],
          expected);
    }
    for (DataBlock block : new DataBlock[] {LossGradientTest.denseBlock(x, y, s),
        LossGradientTest.csrBlock(x, y, s)}) {
      double[] g = new double[p];
      double value = loss.addGradient(block, 1, 8, params, intercept, g, new Workspace());
      assertEquals(expectedLoss, value, 1e-12 * Math.abs(expectedLoss));
      assertEquals(value, loss.addLoss(block, 1, 8, params, intercept, new Workspace()), 1e-12);
      for (int j = 0; j < p; j++) {
        assertEquals(expected[j], g[j], 1e-12, "gradient[" + j + "]");
        double h = 1e-6;
        double[] plus = params.clone();
        double[] minus = params.clone();
        plus[j] += h;
        minus[j] -= h;
        double fd = (loss.addLoss(block, 1, 8, plus, intercept, new Workspace())
            - loss.addLoss(block, 1, 8, minus, intercept, new Workspace())) / (2 * h);
        assertEquals(fd, g[j], 1e-6 * Math.max(1, Math.abs(fd)), "finite difference " + j);
      }
    }
  }

  @ParameterizedTest(name = "intercept={0} weighted={1}")
  @MethodSource("cases")
  void hessianMatchesFiniteDifferencesOfTheGradient(boolean intercept, boolean weighted) {
    Random r = new Random(11);
    Rows data = randomRows(r, weighted);
    double[][] x = data.x();
    double[] y = data.y();
    double[] s = data.s();
    int rows = y.length;
    int p = K * D + (intercept ? K : 0);
    double[] params = gaussian(r, p, 0.5);
    SoftmaxLoss loss = new SoftmaxLoss(K);
    assertTrue(loss.hasHessian());
    for (DataBlock block : new DataBlock[] {LossGradientTest.denseBlock(x, y, s),
        LossGradientTest.csrBlock(x, y, s)}) {
      double[] g = new double[p];
      double[] h = new double[p * p];
      double value = loss.addGradientAndHessian(block, 0, rows, params, intercept, g, h,
          new Workspace());
      assertEquals(loss.addLoss(block, 0, rows, params, intercept, new Workspace()), value, 1e-12);
      for (int k = 0; k < p; k++) {
        double step = 1e-6;
        double[] plus = params.clone();
        double[] minus = params.clone();
        plus[k] += step;
        minus[k] -= step;
        double[] gp = new double[p];
        double[] gm = new double[p];
        loss.addGradient(block, 0, rows, plus, intercept, gp, new Workspace());
        loss.addGradient(block, 0, rows, minus, intercept, gm, new Workspace());
        // Column k of the Hessian is ∂g/∂θ_k; only the upper triangle (j ≤ k) is defined.
        for (int j = 0; j <= k; j++) {
          double fd = (gp[j] - gm[j]) / (2 * step);
          assertEquals(fd, h[j + k * p], 1e-6 * Math.max(1, Math.abs(fd)),
              "H[" + j + "][" + k + "]");
        }
      }
    }
  }

  @Test
  void aWeightOfTwoEqualsTheRowTwice() {
    double[][] x = {{1, -2, 0, 0.5}, {0, 3, 1, -1}};
    double[][] twice = {{1, -2, 0, 0.5}, {1, -2, 0, 0.5}, {0, 3, 1, -1}};
    double[] params = gaussian(new Random(3), K * D + K, 1.0);
    SoftmaxLoss loss = new SoftmaxLoss(K);
    double[] gw = new double[params.length];
    double[] gd = new double[params.length];
    double lw = loss.addGradient(LossGradientTest.denseBlock(x, new double[] {2, 0},
        new double[] {2, 1}), 0, 2, params, true, gw, new Workspace());
    double ld = loss.addGradient(LossGradientTest.csrBlock(twice, new double[] {2, 2, 0}, null),
        0, 3, params, true, gd, new Workspace());
    assertEquals(ld, lw, 1e-13);
    for (int j = 0; j < params.length; j++) {
      assertEquals(gd[j], gw[j], 1e-13);
    }
  }

  @Test
  void largeScoresDoNotOverflow() {
    DataBlock block = DataBlock.dense(0, 0, 1, new double[] {0}, null, new double[] {1});
    double[] params = {1000, 0, -1000};
    double loss = new SoftmaxLoss(3).addLoss(block, 0, 1, params, false, new Workspace());
    assertEquals(0.0, loss, 1e-300);
    double[] g = new double[3];
    assertTrue(Double.isFinite(new SoftmaxLoss(3).addGradient(block, 0, 1,
        new double[] {0, 1000, 0}, false, g, new Workspace())));
    assertEquals(-1.0, g[0], 1e-15);
    assertEquals(1.0, g[1], 1e-15);
  }

  @Test
  void aLabelOutsideTheClassesIsNamed() {
    DataBlock block = DataBlock.dense(0, 0, 1, new double[] {3}, null, new double[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SoftmaxLoss(3).addLoss(block, 0, 1, new double[3], false, new Workspace()));
    assertEquals("label 3 is not a class of this 3-class model (labels 0..2)", e.getMessage());
  }

  @Test
  void theLabelDomainChecksClassIndices() {
    assertEquals(2.0, LabelDomain.classes(3).encode(2));
    assertEquals("label 3 is not a class index; a 3-class model takes labels 0..2",
        assertThrows(IllegalArgumentException.class, () -> LabelDomain.classes(3).encode(3))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> LabelDomain.classes(0).encode(1.5));
    assertThrows(IllegalArgumentException.class, () -> LabelDomain.classes(0).encode(-1));
    assertEquals(17.0, LabelDomain.classes(0).encode(17));
  }
}
