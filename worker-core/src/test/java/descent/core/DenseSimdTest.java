package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense passes on SIMD lanes ({@link DenseSimd}): the margins {@code b + x_i·w} equal the dot
 * product computed exactly and then rounded, within the rounding a sum of {@code d} products can
 * have, for widths below, at and past whole lane groups; and the plain sum the bench floor runs is
 * the sum of every element.
 */
class DenseSimdTest {
  @Test
  void theTestJvmRunsTheSimdPasses() {
    assertTrue(LogisticLoss.simdLanes() >= 2, "lanes: " + LogisticLoss.simdLanes());
  }

  @Test
  void marginsAreTheRowsDotProductsPlusTheIntercept() {
    Random random = new Random(5);
    for (int d : new int[] {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 100, 123}) {
      int rows = 37;
      int from = 3;
      double[] x = new double[(from + rows) * d];
      for (int k = 0; k < x.length; k++) {
        x[k] = random.nextGaussian() * (k % 7 == 0 ? 1e3 : 1);
      }
      double[] params = new double[d + 1];
      for (int j = 0; j <= d; j++) {
        params[j] = random.nextGaussian();
      }
      double b = params[d];
      DataBlock block = DataBlock.dense(0, 0, d, new double[from + rows], null, x);
      double[] margins = new double[rows];
      MarginLoss.margins(block, from, rows, params, true, margins);
      for (int i = 0; i < rows; i++) {
        BigDecimal exact = new BigDecimal(b);
        double magnitude = Math.abs(b);
        for (int j = 0; j < d; j++) {
          double xj = x[(from + i) * d + j];
          exact = exact.add(new BigDecimal(xj).multiply(new BigDecimal(params[j])));
          magnitude += Math.abs(xj * params[j]);
        }
        double expected = exact.doubleValue();
        // A sum of d + 1 terms in any order is within (d + 1)·2^−53·Σ|terms| of the exact sum.
        double bound = (d + 1) * 0x1p-53 * magnitude + Math.ulp(expected);
        assertTrue(Math.abs(margins[i] - expected) <= bound,
            "d " + d + " row " + i + ": " + expected + ", got " + margins[i]);
      }
    }
  }

  @Test
  void marginsAgreeWithBlasGemv() {
    // The path a JVM without the vector module takes: netlib's GEMV-T.
    Random random = new Random(6);
    int d = 100;
    int rows = 500;
    double[] x = new double[rows * d];
    for (int k = 0; k < x.length; k++) {
      x[k] = random.nextGaussian();
    }
    double[] params = new double[d + 1];
    for (int j = 0; j <= d; j++) {
      params[j] = random.nextGaussian();
    }
    double[] simd = new double[rows];
    MarginLoss.margins(DataBlock.dense(0, 0, d, new double[rows], null, x), 0, rows, params,
        true, simd);
    double[] gemv = new double[rows];
    java.util.Arrays.fill(gemv, params[d]);
    BLAS.getInstance().dgemv("T", d, rows, 1.0, x, 0, d, params, 0, 1, 1.0, gemv, 0, 1);
    for (int i = 0; i < rows; i++) {
      assertEquals(gemv[i], simd[i], 1e-12 * (1 + Math.abs(gemv[i])), "row " + i);
    }
  }

  @Test
  void pipelinedGradientIsTheSumOfTheRowsGradients() {
    // The dense kernel computes chunk c + 1's margins while it adds chunk c's rows into the
    // gradient: over several chunks and a partial last one, at an offset, with row weights and
    // an intercept, it must give Σ s_i ℓ'(m_i, y_i)·(x_i, 1) and Σ s_i ℓ(m_i, y_i).
    Random random = new Random(8);
    for (int d : new int[] {3, 100, 130}) {
      int chunk = MarginLoss.pipelineRows(d);
      int from = 5;
      int rows = 3 * chunk + 7;
      int total = from + rows + 2;
      double[] x = new double[total * d];
      for (int k = 0; k < x.length; k++) {
        x[k] = random.nextGaussian();
      }
      double[] labels = new double[total];
      double[] weights = new double[total];
      for (int i = 0; i < total; i++) {
        labels[i] = random.nextBoolean() ? 1.0 : -1.0;
        weights[i] = 0.5 + random.nextDouble();
      }
      double[] params = new double[d + 1];
      for (int j = 0; j <= d; j++) {
        params[j] = random.nextGaussian() * 0.3;
      }
      DataBlock block = DataBlock.dense(0, 0, d, labels, weights, x);
      double[] gradient = new double[d + 1];
      double loss = new LogisticLoss().addGradient(block, from, from + rows, params, true,
          gradient, new Workspace());

      double[] expected = new double[d + 1];
      double expectedLoss = 0.0;
      for (int i = from; i < from + rows; i++) {
        double m = params[d];
        for (int j = 0; j < d; j++) {
          m += x[i * d + j] * params[j];
        }
        double ym = labels[i] * m;
        expectedLoss += weights[i] * Math.log1p(Math.exp(-ym));
        double derivative = -weights[i] * labels[i] / (1.0 + Math.exp(ym));
        for (int j = 0; j < d; j++) {
          expected[j] += derivative * x[i * d + j];
        }
        expected[d] += derivative;
      }
      assertEquals(expectedLoss, loss, 1e-12 * expectedLoss, "d " + d);
      for (int j = 0; j <= d; j++) {
        assertEquals(expected[j], gradient[j], 1e-11 * (1 + Math.abs(expected[j])),
            "d " + d + " coordinate " + j);
      }
    }
  }

  @Test
  void marginsAndAddDoesBothPassesWhateverRowsTheyShare() {
    // The pass splits the rows into those both passes read in one loop and the rest of either:
    // margins as DenseSimd.margins computes them, and g += c_i x_i row after row, each entry one
    // fused multiply-add, so both agree to the bit.
    Random random = new Random(11);
    int[][] counts = {{5, 5}, {7, 3}, {3, 7}, {0, 4}, {4, 0}, {0, 0}};
    for (int d : new int[] {3, 100, 130}) {
      double[] x = new double[40 * d];
      for (int k = 0; k < x.length; k++) {
        x[k] = random.nextGaussian();
      }
      double[] w = new double[d];
      for (int j = 0; j < d; j++) {
        w[j] = random.nextGaussian();
      }
      double[] c = new double[8];
      for (int i = 0; i < c.length; i++) {
        c[i] = random.nextGaussian();
      }
      for (int[] nk : counts) {
        int n = nk[0];
        int addRows = nk[1];
        int from = 20;
        int addFrom = 2;
        double[] g = new double[d + 1];
        double[] expectedG = new double[d + 1];
        for (int j = 0; j < d; j++) {
          g[j] = expectedG[j] = random.nextGaussian();
        }
        double[] margins = new double[8];
        DenseSimd.marginsAndAdd(x, from, n, addFrom, addRows, d, w, 0.5, margins, c, g,
            new double[DenseSimd.lanes()]);
        double[] expectedMargins = new double[8];
        DenseSimd.margins(x, from, n, d, w, 0.5, expectedMargins);
        for (int i = 0; i < addRows; i++) {
          for (int j = 0; j < d; j++) {
            expectedG[j] = Math.fma(c[i], x[(addFrom + i) * d + j], expectedG[j]);
          }
        }
        String where = "d " + d + ", " + n + " margins, " + addRows + " rows added";
        for (int i = 0; i < 8; i++) {
          assertEquals(expectedMargins[i], margins[i], 0.0, where + ": margin " + i);
        }
        for (int j = 0; j <= d; j++) {
          assertEquals(expectedG[j], g[j], 0.0, where + ": g[" + j + "]");
        }
      }
    }
  }

  @Test
  void plainSumIsTheSumOfEveryElement() {
    // Small integers add exactly in any order, so every element must be counted once.
    for (int n = 0; n <= 70; n++) {
      double[] v = new double[n];
      long expected = 0;
      for (int i = 0; i < n; i++) {
        v[i] = i * 3 + 1;
        expected += i * 3 + 1;
      }
      assertEquals(expected, PlainPass.sum(v), "n " + n);
      assertEquals(expected, PlainPass.scalarSum(v), "n " + n);
    }
  }
}
