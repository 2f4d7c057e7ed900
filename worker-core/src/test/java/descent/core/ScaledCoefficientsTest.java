package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The kernels at the coefficients {@code w = scale·v}: the loss and the gradient with respect to
 * w equal those computed at w itself (to rounding), for CSR and dense blocks and every loss; at
 * scale 1 they are the unscaled kernels bit for bit; summed sparsely they keep the dense bits.
 * The same for the paired kernels at {@code w = scale·v + secondScale·y}, which a sparse
 * momentum step ships.
 */
class ScaledCoefficientsTest {
  private static final int ROWS = 300;
  private static final int D = 40;
  private static final double SCALE = 0.3717;

  static DataBlock csr(long seed, boolean softmax, boolean binary) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] indptr = new int[ROWS + 1];
    int[] indices = new int[ROWS * 6];
    double[] values = new double[ROWS * 6];
    double[] labels = new double[ROWS];
    double[] weights = new double[ROWS];
    int nnz = 0;
    for (int i = 0; i < ROWS; i++) {
      int j = r.nextInt(4);
      while (j < D && nnz - indptr[i] < 6) {
        indices[nnz] = j;
        values[nnz++] = r.nextDouble(-2, 2);
        j += 1 + r.nextInt(12);
      }
      indptr[i + 1] = nnz;
      labels[i] = softmax ? r.nextInt(3) : binary ? r.nextInt(2) : r.nextDouble(-3, 3);
      weights[i] = r.nextDouble(0.5, 2);
    }
    return DataBlock.sparse(0, 0, D, labels, weights, indptr,
        java.util.Arrays.copyOf(indices, nnz), java.util.Arrays.copyOf(values, nnz));
  }

  static DataBlock dense(DataBlock csr) {
    double[] x = new double[ROWS * D];
    for (int i = 0; i < ROWS; i++) {
      for (int q = csr.indptr()[i]; q < csr.indptr()[i + 1]; q++) {
        x[i * D + csr.indices()[q]] = csr.values()[q];
      }
    }
    return DataBlock.dense(0, 0, D, csr.labels(), csr.weights(), x);
  }

  private static Loss[] losses() {
    return new Loss[] {new LogisticLoss(), new SquaredLoss(), new HingeLoss(),
        new SquaredHingeLoss(), new HuberLoss(1.0), new SoftmaxLoss(3)};
  }

  private static boolean binary(Loss loss) {
    return loss.labelDomain() == LabelDomain.BINARY;
  }

  /** v, and w with {@code w_j = scale·v_j} for the coefficients, the intercepts as in v. */
  private static double[][] vAndW(Loss loss, long seed) {
    int p = loss.numParams(D, true);
    int coefficients = loss.numCoefficients(D);
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[p];
    double[] w = new double[p];
    for (int j = 0; j < p; j++) {
      v[j] = r.nextDouble(-1, 1);
      w[j] = j < coefficients ? SCALE * v[j] : v[j];
    }
    return new double[][] {v, w};
  }

  @Test
  void theScaledKernelsGiveTheLossAndGradientAtW() {
    for (Loss loss : losses()) {
      DataBlock sparse = csr(3, loss instanceof SoftmaxLoss, binary(loss));
      for (DataBlock block : new DataBlock[] {sparse, dense(sparse)}) {
        double[][] vw = vAndW(loss, 5);
        int p = vw[0].length;
        GradientAccumulator scaled = new GradientAccumulator(p, true)
            .add(block, 7, ROWS - 3, loss, vw[0], SCALE, true);
        GradientAccumulator atW = new GradientAccumulator(p, true)
            .add(block, 7, ROWS - 3, loss, vw[1], true);
        String where = loss + (block.isDense() ? " dense" : " CSR");
        assertEquals(atW.lossSum(), scaled.lossSum(), 1e-12 * Math.abs(atW.lossSum()), where);
        double[] g = scaled.gradientSum();
        double[] reference = atW.gradientSum();
        for (int j = 0; j < p; j++) {
          assertEquals(reference[j], g[j], 1e-11 * (1 + Math.abs(reference[j])), where + " " + j);
        }
        GradientAccumulator lossOnly = new GradientAccumulator(p, false)
            .add(block, 7, ROWS - 3, loss, vw[0], SCALE, true);
        assertEquals(scaled.lossSum(), lossOnly.lossSum(), 1e-12 * Math.abs(atW.lossSum()),
            where);
      }
    }
  }

  @Test
  void scaleOneIsTheUnscaledKernelBitForBit() {
    for (Loss loss : losses()) {
      DataBlock sparse = csr(4, loss instanceof SoftmaxLoss, binary(loss));
      for (DataBlock block : new DataBlock[] {sparse, dense(sparse)}) {
        double[] v = vAndW(loss, 6)[0];
        GradientAccumulator one = new GradientAccumulator(v.length, true)
            .add(block, 0, ROWS, loss, v, 1.0, true);
        GradientAccumulator plain = new GradientAccumulator(v.length, true)
            .add(block, 0, ROWS, loss, v, true);
        assertEquals(Double.doubleToLongBits(plain.lossSum()),
            Double.doubleToLongBits(one.lossSum()));
        assertArrayEquals(plain.gradientSum(), one.gradientSum());
      }
    }
  }

  @Test
  void aScaledSparseSumHasTheBitsOfTheScaledDenseSum() {
    for (Loss loss : losses()) {
      DataBlock block = csr(8, loss instanceof SoftmaxLoss, binary(loss));
      double[] v = vAndW(loss, 9)[0];
      GradientAccumulator sparse = new GradientAccumulator(v.length, true);
      GradientAccumulator dense = GradientAccumulator.alwaysDense(v.length);
      for (int from = 0; from < ROWS; from += 37) {
        sparse.add(block, from, Math.min(ROWS, from + 37), loss, v, SCALE, true);
        dense.add(block, from, Math.min(ROWS, from + 37), loss, v, SCALE, true);
      }
      assertEquals(Double.doubleToLongBits(dense.lossSum()),
          Double.doubleToLongBits(sparse.lossSum()));
      assertArrayEquals(dense.gradientSum(), sparse.gradientSum(), loss.toString());
    }
  }

  private static final double SECOND = -0.5821;

  /**
   * v then y (2p values), and w with {@code w_j = scale·v_j + second·y_j} for the coefficients,
   * the intercepts as in v (y's intercept entries are noise the kernels must not read).
   */
  private static double[][] pairAndW(Loss loss, long seed) {
    int p = loss.numParams(D, true);
    int coefficients = loss.numCoefficients(D);
    SplittableRandom r = new SplittableRandom(seed);
    double[] vy = new double[2 * p];
    for (int j = 0; j < 2 * p; j++) {
      vy[j] = r.nextDouble(-1, 1);
    }
    double[] w = new double[p];
    for (int j = 0; j < p; j++) {
      w[j] = j < coefficients ? SCALE * vy[j] + SECOND * vy[p + j] : vy[j];
    }
    return new double[][] {vy, w};
  }

  @Test
  void thePairedKernelsGiveTheLossAndGradientAtW() {
    for (Loss loss : losses()) {
      DataBlock sparse = csr(13, loss instanceof SoftmaxLoss, binary(loss));
      for (DataBlock block : new DataBlock[] {sparse, dense(sparse)}) {
        double[][] vw = pairAndW(loss, 15);
        int p = vw[1].length;
        GradientAccumulator paired = new GradientAccumulator(p, true)
            .add(block, 5, ROWS - 2, loss, vw[0], SCALE, SECOND, true);
        GradientAccumulator atW = new GradientAccumulator(p, true)
            .add(block, 5, ROWS - 2, loss, vw[1], true);
        String where = loss + (block.isDense() ? " dense" : " CSR");
        assertEquals(atW.lossSum(), paired.lossSum(), 1e-12 * Math.abs(atW.lossSum()), where);
        double[] g = paired.gradientSum();
        double[] reference = atW.gradientSum();
        for (int j = 0; j < p; j++) {
          assertEquals(reference[j], g[j], 1e-11 * (1 + Math.abs(reference[j])), where + " " + j);
        }
        GradientAccumulator lossOnly = new GradientAccumulator(p, false)
            .add(block, 5, ROWS - 2, loss, vw[0], SCALE, SECOND, true);
        assertEquals(paired.lossSum(), lossOnly.lossSum(), 1e-12 * Math.abs(atW.lossSum()),
            where);
      }
    }
  }

  @Test
  void aPairedSparseSumHasTheBitsOfThePairedDenseSumAndSecondScaleZeroReadsVAlone() {
    for (Loss loss : losses()) {
      DataBlock block = csr(18, loss instanceof SoftmaxLoss, binary(loss));
      double[] vy = pairAndW(loss, 19)[0];
      int p = vy.length / 2;
      GradientAccumulator sparse = new GradientAccumulator(p, true);
      GradientAccumulator dense = GradientAccumulator.alwaysDense(p);
      for (int from = 0; from < ROWS; from += 37) {
        sparse.add(block, from, Math.min(ROWS, from + 37), loss, vy, SCALE, SECOND, true);
        dense.add(block, from, Math.min(ROWS, from + 37), loss, vy, SCALE, SECOND, true);
      }
      assertEquals(Double.doubleToLongBits(dense.lossSum()),
          Double.doubleToLongBits(sparse.lossSum()));
      assertArrayEquals(dense.gradientSum(), sparse.gradientSum(), loss.toString());

      GradientAccumulator zero = new GradientAccumulator(p, true)
          .add(block, 0, ROWS, loss, vy, SCALE, 0.0, true);
      GradientAccumulator alone = new GradientAccumulator(p, true)
          .add(block, 0, ROWS, loss, java.util.Arrays.copyOf(vy, p), SCALE, true);
      assertEquals(Double.doubleToLongBits(alone.lossSum()),
          Double.doubleToLongBits(zero.lossSum()));
      assertArrayEquals(alone.gradientSum(), zero.gradientSum(), loss.toString());
    }
  }

  @Test
  void aSecondScaleNeedsBothVectorsAndNoHessian() {
    DataBlock block = csr(1, false, true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GradientAccumulator(D + 1, true).add(block, 0, 10, new LogisticLoss(),
            new double[D + 1], SCALE, SECOND, true));
    assertTrue(e.getMessage().contains("needs v and y"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> GradientAccumulator.withHessian(D + 1)
        .add(block, 0, 10, new LogisticLoss(), new double[2 * (D + 1)], 1.0, 0.0, true));
  }

  @Test
  void theTouchedCoordinatesComeAscendingWithTheirSums() {
    int d = 1 << 16;
    DataBlock block = DataBlock.sparse(0, 0, d, new double[] {1, 0},
        null, new int[] {0, 3, 5}, new int[] {7, 900, 40000, 5, 900}, new double[] {1, 2, 3, 4, 5});
    GradientAccumulator acc = new GradientAccumulator(d + 1, true)
        .add(block, 0, 2, new LogisticLoss(), new double[d + 1], SCALE, true);
    assertTrue(acc.isSparse());
    double[] values = new double[acc.storedCoordinates()];
    int[] coordinates = acc.gradientCoordinates(values);
    assertArrayEquals(new int[] {5, 7, 900, 40000, d}, coordinates);
    double[] dense = acc.gradientSum();
    for (int i = 0; i < coordinates.length; i++) {
      assertEquals(dense[coordinates[i]], values[i]);
    }
    assertEquals(0, new GradientAccumulator(d + 1, true).gradientCoordinates(null).length);
  }

  @Test
  void theHessianIsRefusedAtAScaleOtherThanOne() {
    DataBlock block = csr(1, false, true);
    double[] v = new double[D + 1];
    assertThrows(UnsupportedOperationException.class, () -> GradientAccumulator.withHessian(D + 1)
        .add(block, 0, 10, new LogisticLoss(), v, SCALE, true));
  }
}
