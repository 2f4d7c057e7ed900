package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up that margin losses run once a JVM ({@link SimdWarmup}): it goes through every SIMD
 * kernel on this CPU's lane count without reading past its arrays, its kernels give the same bits
 * each time, and it leaves them computing what the scalar loops compute. (What it is for, the
 * JIT's code for the logistic loss, is checked in the harness with {@code -XX:+LogCompilation};
 * see {@code StreamHarness}.)
 */
class SimdWarmupTest {
  @Test
  void afterTheWarmupTheSimdKernelsAgreeWithTheScalarLoops() {
    // Loading the margin losses on SIMD lanes runs the warm-up.
    assertTrue(MarginLoss.simdLanes() >= 2, "lanes: " + MarginLoss.simdLanes());
    SimdWarmup.run();
    int lanes = DenseSimd.lanes();
    // Columns through the four-accumulator loop, the single-vector loop and the scalar tail.
    int d = 5 * lanes + 3;
    int rows = LogisticSimd.rows(8 * lanes + 5);
    double[] x = new double[rows * d];
    double[] w = new double[d];
    double[] labels = new double[rows];
    double[] weights = new double[rows];
    for (int k = 0; k < x.length; k++) {
      x[k] = ((k * 29) % 23 - 11) / 4.0;
    }
    for (int j = 0; j < d; j++) {
      w[j] = ((j * 13) % 9 - 4) / 8.0;
    }
    for (int i = 0; i < rows; i++) {
      labels[i] = i % 3 == 0 ? 1.0 : -1.0;
      weights[i] = 0.25 + i % 4;
    }
    double b = -0.375;
    double[] margins = new double[rows];
    DenseSimd.margins(x, 0, rows, d, w, b, margins);
    for (int i = 0; i < rows; i++) {
      double m = b;
      for (int j = 0; j < d; j++) {
        m += x[i * d + j] * w[j];
      }
      assertEquals(m, margins[i], 1e-12 * (1 + Math.abs(m)), "margin of row " + i);
    }
    for (double[] s : new double[][] {null, weights}) {
      double[] simd = new double[rows];
      double[] scalar = new double[rows];
      double simdLoss = LogisticSimd.lossAndMultipliers(margins, labels, s, 0, rows, simd);
      double scalarLoss = LogisticLoss.scalarLossAndMultipliers(margins, labels, s, 0, 0, rows,
          scalar);
      assertTrue(scalarLoss > 0, "loss " + scalarLoss);
      assertEquals(scalarLoss, simdLoss, 1e-13 * scalarLoss, "loss, weights " + (s != null));
      for (int i = 0; i < rows; i++) {
        assertEquals(scalar[i], simd[i], 1e-14 * (1 + Math.abs(scalar[i])),
            "multiplier of row " + i + ", weights " + (s != null));
      }
    }
    double sum = 0.0;
    for (double v : x) {
      sum += v;
    }
    assertEquals(sum, DenseSimd.sum(x), 1e-12 * x.length);
  }

  @Test
  void everyRoundOfEveryKernelGivesTheSameBits() {
    double first = SimdWarmup.run();
    double again = SimdWarmup.run();
    assertTrue(Double.isFinite(first), "warm-up sum: " + first);
    assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(again));
  }
}
