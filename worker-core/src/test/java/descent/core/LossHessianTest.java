package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LossGradientTest.Data;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Hessian kernel {@code Σ s_i ℓ''(m_i) x̃_i x̃_iᵀ}: against the per-row formula, against
 * centred finite differences of the gradient, dense against CSR, and summed through
 * {@link GradientAccumulator#withHessian} including {@code merge}.
 */
class LossHessianTest {

  static Stream<Arguments> cases() {
    return Stream.of(false, true).flatMap(logistic -> Stream.of(false, true).flatMap(
        intercept -> Stream.of(false, true).map(weighted ->
            Arguments.of(logistic, intercept, weighted))));
  }

  /** ℓ''(m): 1 for squared error, σ(m)(1 − σ(m)) for logistic. */
  static double rowCurvature(boolean logistic, double m) {
    if (!logistic) {
      return 1.0;
    }
    double sigma = 1.0 / (1.0 + Math.exp(-m));
    return sigma * (1.0 - sigma);
  }

  static double[][] referenceHessian(Data data, boolean logistic, double[] params,
      boolean intercept) {
    int p = params.length;
    double[][] h = new double[p][p];
    for (int i = 0; i < data.x.length; i++) {
      double[] xt = new double[p];
      System.arraycopy(data.x[i], 0, xt, 0, data.x[i].length);
      if (intercept) {
        xt[p - 1] = 1.0;
      }
      double c = data.weight(i)
          * rowCurvature(logistic, LossGradientTest.margin(data.x[i], params, intercept));
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          h[j][k] += c * xt[j] * xt[k];
        }
      }
    }
    return h;
  }

  static Loss loss(boolean logistic) {
    return logistic ? new LogisticLoss() : new SquaredLoss();
  }

  @ParameterizedTest(name = "logistic={0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void hessianEqualsTheRowFormulaInBothLayouts(boolean logistic, boolean intercept,
      boolean weighted) {
    Data data = LossGradientTest.randomData(11, logistic, weighted);
    double[] params = LossGradientTest.randomParams(12, intercept);
    double[][] expected = referenceHessian(data, logistic, params, intercept);
    int p = params.length;
    for (DataBlock block : new DataBlock[] {data.dense, data.sparse}) {
      GradientAccumulator acc = GradientAccumulator.withHessian(p);
      acc.add(block, 0, block.numRows(), loss(logistic), params, intercept);
      double[] h = acc.hessianSum();
      for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++) {
          assertEquals(expected[j][k], h[j + k * p], 1e-12 * (1 + Math.abs(expected[j][k])),
              (block.isDense() ? "dense" : "csr") + " H[" + j + "][" + k + "]");
        }
      }
      // The gradient and loss come out as from the gradient-only accumulator.
      GradientAccumulator plain = new GradientAccumulator(p, true);
      plain.add(block, 0, block.numRows(), loss(logistic), params, intercept);
      assertEquals(plain.lossSum(), acc.lossSum(), 1e-12);
      double[] g = acc.gradientSum();
      double[] g0 = plain.gradientSum();
      for (int j = 0; j < p; j++) {
        assertEquals(g0[j], g[j], 1e-12);
      }
    }
  }

  @ParameterizedTest(name = "logistic={0} intercept={1} weighted={2}")
  @MethodSource("cases")
  void hessianIsTheDerivativeOfTheGradient(boolean logistic, boolean intercept,
      boolean weighted) {
    Data data = LossGradientTest.randomData(21, logistic, weighted);
    double[] params = LossGradientTest.randomParams(22, intercept);
    int p = params.length;
    GradientAccumulator acc = GradientAccumulator.withHessian(p);
    acc.add(data.sparse, 0, data.sparse.numRows(), loss(logistic), params, intercept);
    double[] h = acc.hessianSum();
    double step = 1e-5;
    for (int k = 0; k < p; k++) {
      double[] plus = params.clone();
      double[] minus = params.clone();
      plus[k] += step;
      minus[k] -= step;
      double[] gp = gradient(data.dense, logistic, plus, intercept);
      double[] gm = gradient(data.dense, logistic, minus, intercept);
      for (int j = 0; j < p; j++) {
        double fd = (gp[j] - gm[j]) / (2 * step);
        assertEquals(fd, h[j + k * p], 1e-7 * (1 + Math.abs(fd)), "H[" + j + "][" + k + "]");
      }
    }
  }

  private static double[] gradient(DataBlock block, boolean logistic, double[] params,
      boolean intercept) {
    GradientAccumulator acc = new GradientAccumulator(params.length, true);
    acc.add(block, 0, block.numRows(), loss(logistic), params, intercept);
    return acc.gradientSum();
  }

  @Test
  void mergedPartsEqualTheWhole() {
    Data data = LossGradientTest.randomData(31, true, true);
    double[] params = LossGradientTest.randomParams(32, true);
    int p = params.length;
    Loss loss = new LogisticLoss();
    GradientAccumulator whole = GradientAccumulator.withHessian(p);
    whole.add(data.dense, 0, data.dense.numRows(), loss, params, true);
    GradientAccumulator left = GradientAccumulator.withHessian(p);
    left.add(data.dense, 0, 3, loss, params, true);
    GradientAccumulator right = GradientAccumulator.withHessian(p);
    right.add(data.sparse, 3, data.sparse.numRows(), loss, params, true);
    GradientAccumulator empty = GradientAccumulator.withHessian(p);
    double[] merged = empty.merge(left).merge(right).hessianSum();
    double[] expected = whole.hessianSum();
    for (int j = 0; j < p * p; j++) {
      assertEquals(expected[j], merged[j], 1e-12);
    }
    assertThrows(IllegalArgumentException.class,
        () -> whole.merge(new GradientAccumulator(p, true)));
  }

  @Test
  void oneRowHandComputed() {
    // x = (2, −1), y = +1, w = (0, 0), b = 0: m = 0, σ = ½, ℓ'' = ¼;
    // H = ¼ · (2, −1, 1)(2, −1, 1)ᵀ = [[1, −½, ½], [−½, ¼, −¼], [½, −¼, ¼]].
    DataBlock block = DataBlock.dense(0, 0, 2, new double[] {1.0}, null, new double[] {2, -1});
    GradientAccumulator acc = GradientAccumulator.withHessian(3);
    acc.add(block, 0, 1, new LogisticLoss(), new double[3], true);
    double[] expected = {1, -0.5, 0.5, -0.5, 0.25, -0.25, 0.5, -0.25, 0.25};
    double[] h = acc.hessianSum();
    for (int j = 0; j < 9; j++) {
      assertEquals(expected[j], h[j], 1e-15);
    }
  }

  @Test
  void onlyTwiceDifferentiableLossesOfferIt() {
    assertTrue(new LogisticLoss().hasHessian());
    assertTrue(new SquaredLoss().hasHessian());
    assertThrows(IllegalStateException.class,
        () -> new GradientAccumulator(3, true).hessianSum());
    assertFalse(new Loss() {
      @Override
      public LabelDomain labelDomain() {
        return LabelDomain.REAL;
      }

      @Override
      public double addGradient(DataBlock block, int from, int to, double[] params,
          boolean fitIntercept, double[] gradient, Workspace workspace) {
        return 0;
      }

      @Override
      public double addLoss(DataBlock block, int from, int to, double[] params,
          boolean fitIntercept, Workspace workspace) {
        return 0;
      }

      @Override
      public double predict(double margin) {
        return margin;
      }
    }.hasHessian());
  }
}
