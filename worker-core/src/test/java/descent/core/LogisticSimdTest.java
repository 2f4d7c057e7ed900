package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The logistic row loop on SIMD lanes ({@link LogisticSimd}) against the scalar loop it replaces:
 * the same multipliers within a few ulps and the same loss sum, for margins from 0 to past
 * {@code exp}'s underflow, with and without row weights, at an offset, and with a tail that is not
 * a whole number of lanes.
 */
class LogisticSimdTest {
  @Test
  void theTestJvmRunsTheSimdLoop() {
    // surefire's argLine carries --add-modules=jdk.incubator.vector, as Spark's launcher does; the
    // other tests here would compare the scalar loop with itself without it.
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    assertTrue(LogisticLoss.simdLanes() >= 2, "lanes: " + LogisticLoss.simdLanes());
    assertEquals(LogisticSimd.lanes(), LogisticLoss.simdLanes());
  }

  @Test
  void simdLoopMatchesTheScalarLoop() {
    Random random = new Random(11);
    int offset = 3;
    int n = 4099; // not a multiple of 2, 4 or 8 lanes: the kernel's scalar tail runs too
    double[] labels = new double[offset + n];
    double[] weights = new double[offset + n];
    double[] margins = new double[n];
    double[] special = {0.0, -0.0, Double.MIN_VALUE, -1e-300, 1e-17, 40.0, -40.0, 700.0, -700.0,
        745.2, -745.2, 800.0, -800.0, 1e6, -1e6};
    for (int i = 0; i < n; i++) {
      labels[offset + i] = random.nextBoolean() ? 1.0 : -1.0;
      weights[offset + i] = i % 5 == 0 ? 0.0 : random.nextDouble() * 3;
      margins[i] = i < special.length ? special[i] : random.nextGaussian() * (i % 2 == 0 ? 3 : 60);
    }
    for (double[] w : new double[][] {null, weights}) {
      double[] expected = new double[n];
      double[] actual = new double[n];
      double expectedLoss =
          LogisticLoss.scalarLossAndMultipliers(margins, labels, w, offset, 0, n, expected);
      double actualLoss =
          new LogisticLoss().lossAndMultipliers(margins, labels, w, offset, n, actual);
      assertEquals(expectedLoss, actualLoss, 1e-13 * expectedLoss);
      for (int i = 0; i < n; i++) {
        assertTrue(Math.abs(actual[i] - expected[i]) <= 4 * Math.ulp(expected[i]),
            "row " + i + " margin " + margins[i] + ": multiplier " + expected[i] + ", got "
                + actual[i]);
      }
    }
  }

  @Test
  void eachLaneKeepsTheRelativePrecisionOfAWellClassifiedRow() {
    // Every lane at y·m = 40: ℓ = log1p(e^−40) ≈ 4.2e−18 and ℓ' = −e^−40/(1 + e^−40), which a
    // naive log(1 + exp(−40)) would round to 0.
    int n = LogisticSimd.lanes();
    double[] labels = new double[n];
    double[] margins = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2 == 0 ? 1.0 : -1.0;
      margins[i] = 40.0 * labels[i];
    }
    double[] mult = new double[n];
    double loss = LogisticSimd.lossAndMultipliers(margins, labels, null, 0, n, mult);
    double rowLoss = Math.log1p(Math.exp(-40.0));
    assertEquals(n * rowLoss, loss, 1e-15 * n * rowLoss);
    for (int i = 0; i < n; i++) {
      double expected = -labels[i] * Math.exp(-40.0) / (1.0 + Math.exp(-40.0));
      assertEquals(expected, mult[i], 1e-15 * Math.abs(expected), "lane " + i);
    }
  }

  @Test
  void theMarginsCannotDoubleAsTheMultipliers() {
    // The first of the two loops stores exp(−|y·m|) in mult before the second reads the
    // margins: with one array for both, the second loop would take each row's e for its margin.
    int n = 2 * LogisticSimd.lanes();
    double[] margins = new double[n];
    double[] labels = new double[n];
    Arrays.fill(labels, 1.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LogisticSimd.lossAndMultipliers(margins, labels, null, 0, n, margins));
    assertTrue(e.getMessage().contains("margins"), e.getMessage());
  }

  @Test
  void interpretedAndCompiledGiveTheSameBits() throws Exception {
    // The Vector API runs a lane operation as plain Java until the JIT compiles the loop. Its own
    // EXP and LOG then switch from Math's to SVML's, 1 ulp apart for about 1 value in 200, and a
    // run resumed from a checkpoint (a fresh JVM) no longer ended with the uninterrupted run's
    // model. The loop's exp and log1p use only exactly rounded lane operations instead; here a
    // JVM that only interprets (-Xint) must give this JVM's bits once it has compiled the loop.
    for (int i = 0; i < 3000; i++) {
      Fingerprint.of();
    }
    String compiled = Fingerprint.of();
    Process child = new ProcessBuilder(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xint", "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        Fingerprint.class.getName())).redirectErrorStream(true).start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the -Xint JVM did not finish");
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), out);
    String interpreted = out.lines().filter(l -> l.startsWith("fingerprint ")).findFirst()
        .orElse(out);
    assertEquals(compiled, interpreted);
  }

  /**
   * The loss sum's bits and a hash of every multiplier's bits over rows from 0 to 800, and hashes
   * of the bits of dense margins and of a dense gradient.
   */
  static final class Fingerprint {
    public static void main(String[] args) {
      System.out.println(of());
    }

    static String of() {
      Random random = new Random(17);
      int n = 1024;
      double[] labels = new double[n];
      double[] weights = new double[n];
      double[] margins = new double[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextBoolean() ? 1.0 : -1.0;
        weights[i] = random.nextDouble() * 2;
        margins[i] = random.nextGaussian() * (i % 4 == 0 ? 300 : 4);
      }
      double[] mult = new double[n];
      double loss = new LogisticLoss().lossAndMultipliers(margins, labels, weights, 0, n, mult);
      // The dense margins on SIMD lanes (DenseSimd) too: 64 rows of 100 features.
      int d = 100;
      double[] x = gaussians(random, 64 * d, 1.0);
      double[] params = gaussians(random, d + 1, 1.0);
      double[] rowMargins = new double[64];
      MarginLoss.margins(DataBlock.dense(0, 0, d, new double[64], null, x), 0, 64, params, true,
          rowMargins);
      // And the pipelined dense gradient of 40 rows of 1000 features (chunks of 6 rows).
      int wide = 1000;
      double[] xw = gaussians(random, 40 * wide, 1.0);
      double[] paramsWide = gaussians(random, wide + 1, 0.05);
      double[] gradient = new double[wide + 1];
      double wideLoss = new LogisticLoss().addGradient(
          DataBlock.dense(0, 0, wide, java.util.Arrays.copyOf(labels, 40), null, xw), 0, 40,
          paramsWide, true, gradient, new Workspace());
      return "fingerprint " + LogisticLoss.simdLanes() + " lanes, loss "
          + Double.toHexString(loss) + ", multipliers " + bitsHash(mult) + ", margins "
          + bitsHash(rowMargins) + ", dense loss " + Double.toHexString(wideLoss)
          + ", gradient " + bitsHash(gradient);
    }

    /** {@code n} standard normal draws times {@code scale}. */
    private static double[] gaussians(Random random, int n, double scale) {
      double[] v = new double[n];
      for (int k = 0; k < n; k++) {
        v[k] = random.nextGaussian() * scale;
      }
      return v;
    }

    /** A hash of the exact bits of every value. */
    private static int bitsHash(double[] values) {
      long[] bits = new long[values.length];
      for (int i = 0; i < values.length; i++) {
        bits[i] = Double.doubleToRawLongBits(values[i]);
      }
      return Arrays.hashCode(bits);
    }
  }
}
