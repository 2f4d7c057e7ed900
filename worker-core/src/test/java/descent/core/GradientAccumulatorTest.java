package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class GradientAccumulatorTest {
  private static final int D = 5;

  private static LossGradientTest.Data data(boolean weighted) {
    return LossGradientTest.randomData(11, false, weighted);
  }

  private static void assertClose(double[] expected, double[] actual) {
    LossGradientTest.assertClose(expected, actual, 1e-12, "gradient");
  }

  @Test
  void addSumsLossGradientWeightsAndRows() {
    for (boolean weighted : new boolean[] {false, true}) {
      LossGradientTest.Data data = data(weighted);
      double[] params = LossGradientTest.randomParams(3, true);
      GradientAccumulator acc = new GradientAccumulator(D + 1, true);
      acc.add(data.dense, 1, 5, new SquaredLoss(), params, true);
      assertEquals(4, acc.rows());
      double weightSum = 0;
      for (int i = 1; i < 5; i++) {
        weightSum += data.weight(i);
      }
      assertEquals(weightSum, acc.weightSum(), 1e-12);
      assertEquals(LossGradientTest.referenceLoss(data, false, 1, 5, params, true), acc.lossSum(),
          1e-12);
      assertClose(LossGradientTest.referenceGradient(data, false, 1, 5, params, true),
          acc.gradientSum());

      GradientAccumulator lossOnly = new GradientAccumulator(D + 1, false);
      lossOnly.add(data.sparse, 1, 5, new SquaredLoss(), params, true);
      assertEquals(acc.lossSum(), lossOnly.lossSum(), 1e-12);
      assertEquals(acc.weightSum(), lossOnly.weightSum(), 1e-12);
      assertArrayEquals(new double[D + 1], lossOnly.gradientSum());
    }
  }

  @Test
  void mergeWithEmptyChangesNothing() {
    LossGradientTest.Data data = data(true);
    double[] params = LossGradientTest.randomParams(4, false);
    GradientAccumulator acc = new GradientAccumulator(D, true);
    acc.add(data.sparse, 0, 7, new SquaredLoss(), params, false);
    double loss = acc.lossSum();
    double weights = acc.weightSum();
    double[] gradient = acc.gradientSum();

    assertSame(acc, acc.merge(new GradientAccumulator(D, true)));
    assertEquals(loss, acc.lossSum(), 0.0);
    assertEquals(weights, acc.weightSum(), 0.0);
    assertEquals(7, acc.rows());
    assertArrayEquals(gradient, acc.gradientSum());

    // And the other way round: empty.merge(full) holds full's sums.
    GradientAccumulator empty = new GradientAccumulator(D, true);
    empty.merge(acc);
    assertEquals(loss, empty.lossSum(), 0.0);
    assertEquals(weights, empty.weightSum(), 0.0);
    assertEquals(7, empty.rows());
    assertArrayEquals(gradient, empty.gradientSum());
    // ... without sharing the buffer: adding to one leaves the other alone.
    empty.add(data.sparse, 0, 2, new SquaredLoss(), params, false);
    assertArrayEquals(gradient, acc.gradientSum());

    // An empty range adds nothing.
    acc.add(data.dense, 3, 3, new SquaredLoss(), params, false);
    assertEquals(7, acc.rows());
    assertArrayEquals(new double[D], new GradientAccumulator(D, true).gradientSum());
  }

  @Test
  void mergingTwoEqualsAddingBothRangesIntoOne() {
    for (boolean weighted : new boolean[] {false, true}) {
      LossGradientTest.Data data = LossGradientTest.randomData(12, true, weighted);
      double[] params = LossGradientTest.randomParams(5, true);
      Loss loss = new LogisticLoss();
      GradientAccumulator one = new GradientAccumulator(D + 1, true);
      one.add(data.dense, 0, 3, loss, params, true);
      one.add(data.sparse, 3, 7, loss, params, true);

      GradientAccumulator left = new GradientAccumulator(D + 1, true);
      left.add(data.dense, 0, 3, loss, params, true);
      GradientAccumulator right = new GradientAccumulator(D + 1, true);
      right.add(data.sparse, 3, 7, loss, params, true);
      left.merge(right);

      assertEquals(one.rows(), left.rows());
      assertEquals(7, left.rows());
      assertEquals(one.lossSum(), left.lossSum(), 1e-12);
      assertEquals(one.weightSum(), left.weightSum(), 1e-12);
      assertClose(one.gradientSum(), left.gradientSum());
      // Both equal the sums over all seven rows.
      assertEquals(LossGradientTest.referenceLoss(data, true, 0, 7, params, true), left.lossSum(),
          1e-12);
      assertClose(LossGradientTest.referenceGradient(data, true, 0, 7, params, true),
          left.gradientSum());
    }
  }

  @Test
  void gradientSumIsACopy() {
    LossGradientTest.Data data = data(false);
    double[] params = LossGradientTest.randomParams(6, false);
    GradientAccumulator acc = new GradientAccumulator(D, true);
    acc.add(data.dense, 0, 7, new SquaredLoss(), params, false);
    double[] g = acc.gradientSum();
    assertNotSame(g, acc.gradientSum());
    double[] before = g.clone();
    g[0] += 1000.0;
    assertArrayEquals(before, acc.gradientSum());
  }

  @Test
  void mismatchedDimensionsAreRejected() {
    GradientAccumulator five = new GradientAccumulator(5, true);
    GradientAccumulator six = new GradientAccumulator(6, true);
    assertThrows(IllegalArgumentException.class, () -> five.merge(six));
    assertThrows(IllegalArgumentException.class, () -> six.merge(five));
    assertThrows(IllegalArgumentException.class,
        () -> five.merge(new GradientAccumulator(5, false)));

    LossGradientTest.Data data = data(false);
    // 5 features with an intercept need 6 parameters.
    assertThrows(IllegalArgumentException.class, () -> five.add(data.dense, 0, 7,
        new SquaredLoss(), LossGradientTest.randomParams(1, true), true));
    assertThrows(IllegalArgumentException.class, () -> six.add(data.dense, 0, 7,
        new SquaredLoss(), LossGradientTest.randomParams(1, false), false));
  }

  @Test
  void survivesSerializationBetweenTasks() throws Exception {
    LossGradientTest.Data data = data(true);
    double[] params = LossGradientTest.randomParams(8, true);
    GradientAccumulator acc = new GradientAccumulator(D + 1, true);
    acc.add(data.dense, 0, 4, new SquaredLoss(), params, true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    GradientAccumulator copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (GradientAccumulator) in.readObject();
    }
    // The workspace is transient; the copy must still accept rows.
    copy.add(data.dense, 4, 7, new SquaredLoss(), params, true);
    acc.add(data.dense, 4, 7, new SquaredLoss(), params, true);
    assertEquals(acc.lossSum(), copy.lossSum(), 0.0);
    assertEquals(acc.rows(), copy.rows());
    assertArrayEquals(acc.gradientSum(), copy.gradientSum());
  }
}
