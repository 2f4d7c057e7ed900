package descent.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The logistic loss's row loop on SIMD lanes (the incubating Vector API): the same formula as
 * {@link LogisticLoss#lossAndMultipliers}, {@code e = exp(−|y·m|)}, loss
 * {@code max(−y·m, 0) + log1p(e)}, multiplier {@code −y·(y·m > 0 ? e : 1)/(1 + e)}, several rows
 * an instruction, so the per-row exp/log/division no longer dominates the chunk. Its exp and
 * log1p are polynomials in exactly rounded lane operations, so the result is the same bit for bit
 * whether the loop runs interpreted or compiled.
 *
 * <p>Loaded only when {@link MarginLoss#simdLanes()} is above 1: the class links against
 * {@code jdk.incubator.vector}, which a JVM has only with
 * {@code --add-modules=jdk.incubator.vector} (Spark 4's launcher adds it to every driver and
 * executor; so do {@code bin/descent} and the tests).
 */
final class LogisticSimd {
  private LogisticSimd() {}

  /**
   * The widest species, as netlib's VectorBLAS (the GEMVs beside this loop) uses: with
   * SPECIES_PREFERRED, a class of its own at the same width, the JIT saw two vector classes in the
   * Vector API code both share and stopped compiling VectorBLAS's stores to SIMD instructions (the
   * dense kernel fell from 18.7 M to 7.3 M rows/s).
   */
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_MAX;

  /** Rows a call handles for {@code n} rows: the largest multiple of the lane count. */
  static int rows(int n) {
    return n - n % SPECIES.length();
  }

  /**
   * For {@code i < n}, {@code n} a multiple of the lane count (see {@link #rows}): sets
   * {@code mult[i]} and returns the weighted loss sum, as {@link LogisticLoss} defines them.
   *
   * <p>Its exp and log1p use only exactly rounded lane operations (add, multiply, fused
   * multiply-add, divide, integer add and shift). The Vector API's own EXP and LOG run as Java's
   * Math.exp and Math.log until the JIT compiles the loop and as SVML's after, which differ in the
   * last bit for about 1 value in 200: a model would then depend on when the compiler got to the
   * loop. Both are written out in this one method, with their coefficients in constant vectors:
   * vectors that cross a method the JIT does not inline, or a loop over an array of coefficients,
   * are boxed.
   *
   * <ul>
   *   <li>{@code e = exp(x)}, {@code x = −|y·m| ≤ 0}, within 1 ulp: {@code x = k·ln 2 + r} with
   *       {@code |r| ≤ ln 2 / 2}, {@code exp(r)} by its Taylor series to degree 13 (the rest is
   *       below 2^−57), times {@code 2^k} in two halves so that results below 2^−1022 round once
   *       into the subnormals; below −746 it is 0, as exp's is.
   *   <li>{@code log1p(e)}, {@code 0 ≤ e ≤ 1}, within 3 ulps and with the relative precision of
   *       tiny {@code e}: {@code log1p(f) = 2·atanh(s)}, {@code s = f/(2 + f)}, with {@code f = e}
   *       up to {@code √2 − 1} and else {@code log1p(e) = ln 2 + log1p((e − 1)/2)}, so that
   *       {@code |s| ≤ 0.172} and the odd series {@code 2s + 2s³/3 + …} needs 10 terms past
   *       {@code 2s}.
   *   <li>Both series run by Estrin's scheme: pairs of terms {@code c_j + c_{j+1}·r} side by
   *       side, joined with {@code r²}, {@code r⁴}, {@code r⁸}, where Horner's scheme was one chain
   *       of 13 and 9 dependent fused multiply-adds; the loop waited on that chain (in cache, 64
   *       rows a call, it took 0.81 × Horner's time). exp is summed as {@code 1 + (r + r²·T(r))}
   *       so that the two largest terms round last, and stays within 1 ulp of
   *       {@code StrictMath.exp} (2 million draws in [−40, 0]; its last bit differs from Horner's
   *       for about 1 value in 10).
   *   <li>Two loops over the rows: the first computes {@code e} and stores it in {@code mult},
   *       the second reads it back for log1p, the loss and the multiplier. Each loop's body is
   *       then half as long, so the core keeps more rows' chains in flight at once: the same
   *       bits, and (KernelAB, 1M × 100, two threads, six JVMs) 0.90–0.97 × the whole dense
   *       gradient's time of the single loop, median 0.93. A third loop for the multipliers was
   *       not faster (0.910–0.942 × in three JVMs). So {@code mult} must not be
   *       {@code margins}: the first loop would overwrite margins that the second still reads.
   * </ul>
   */
  static double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    if (mult == margins) {
      throw new IllegalArgumentException("the multipliers' array is the margins' array: the"
          + " loss's first loop stores exp(−|y·m|) in it before the second reads the margins");
    }
    int lanes = SPECIES.length();
    DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
    DoubleVector sum = DoubleVector.zero(SPECIES);
    // Two loops: e = exp(−|y·m|) into mult first, then log1p(e) and the multipliers from it.
    for (int i = 0; i < n; i += lanes) {
      DoubleVector y = DoubleVector.fromArray(SPECIES, labels, offset + i);
      DoubleVector ym = y.mul(DoubleVector.fromArray(SPECIES, margins, i));
      DoubleVector x = ym.abs().neg().max(-746.0);
      DoubleVector t = x.mul(LOG2E).add(ROUNDER);
      DoubleVector k = t.sub(ROUNDER);
      DoubleVector r = k.neg().fma(V_LN2_HI, x);
      r = k.neg().fma(V_LN2_LO, r);
      DoubleVector r2 = r.mul(r);
      DoubleVector r4 = r2.mul(r2);
      DoubleVector r8 = r4.mul(r4);
      // exp(r) = 1 + (r + r²·T(r)), T(r) = Σ_{j=2}^{13} r^{j−2}/j! by Estrin's scheme.
      DoubleVector t01 = E3.fma(r, E2);
      DoubleVector t23 = E5.fma(r, E4);
      DoubleVector t45 = E7.fma(r, E6);
      DoubleVector t67 = E9.fma(r, E8);
      DoubleVector t89 = E11.fma(r, E10);
      DoubleVector tab = E13.fma(r, E12);
      DoubleVector t03 = t23.fma(r2, t01);
      DoubleVector t47 = t67.fma(r2, t45);
      DoubleVector t8b = tab.fma(r2, t89);
      DoubleVector tt = t8b.fma(r8, t47.fma(r4, t03));
      DoubleVector p = tt.fma(r2, r).add(1.0);
      // 2^k = 2^a·2^b with a = rint(k/2), b = k − a, each in [−539, 0] so that both are normal
      // and a result below 2^−1022 rounds once; an integer j below 2^51 in magnitude sits in the
      // low bits of j + ROUNDER, and (those bits + 1023) << 52 are the bits of 2^j.
      DoubleVector ta = k.mul(0.5).add(ROUNDER);
      DoubleVector tb = k.sub(ta.sub(ROUNDER)).add(ROUNDER);
      DoubleVector e = p.mul(ta.reinterpretAsLongs().add(1023).lanewise(VectorOperators.LSHL, 52)
              .reinterpretAsDoubles())
          .mul(tb.reinterpretAsLongs().add(1023).lanewise(VectorOperators.LSHL, 52)
              .reinterpretAsDoubles());
      e.intoArray(mult, i);
    }
    for (int i = 0; i < n; i += lanes) {
      DoubleVector y = DoubleVector.fromArray(SPECIES, labels, offset + i);
      DoubleVector ym = y.mul(DoubleVector.fromArray(SPECIES, margins, i));
      DoubleVector e = DoubleVector.fromArray(SPECIES, mult, i);
      // log1p(e).
      VectorMask<Double> large = e.compare(VectorOperators.GT, SQRT2_MINUS_1);
      DoubleVector f = e.blend(e.sub(1.0).mul(0.5), large);
      DoubleVector s = f.div(f.add(2.0));
      DoubleVector z = s.mul(s);
      // q(z) = Σ_{j≥1} 2/(2j + 1)·z^{j−1} to z⁹, by Estrin's scheme too.
      DoubleVector z2 = z.mul(z);
      DoubleVector z4 = z2.mul(z2);
      DoubleVector q35 = A5.fma(z, A3);
      DoubleVector q79 = A9.fma(z, A7);
      DoubleVector q1113 = A13.fma(z, A11);
      DoubleVector q1517 = A17.fma(z, A15);
      DoubleVector q1921 = A21.fma(z, A19);
      DoubleVector q = q1921.fma(z4.mul(z4), q1517.fma(z2, q1113).fma(z4, q79.fma(z2, q35)));
      DoubleVector log1p = s.mul(z).mul(q).add(s.add(s))
          .add(DoubleVector.zero(SPECIES).blend(LN2, large));

      DoubleVector inv = one.div(one.add(e));
      DoubleVector loss = ym.neg().max(0.0).add(log1p);
      VectorMask<Double> positive = ym.compare(VectorOperators.GT, 0.0);
      DoubleVector m = one.blend(e, positive).mul(inv).mul(y).neg();
      if (weights != null) {
        DoubleVector w = DoubleVector.fromArray(SPECIES, weights, offset + i);
        loss = loss.mul(w);
        m = m.mul(w);
      }
      sum = sum.add(loss);
      m.intoArray(mult, i);
    }
    // The lanes summed in a fixed order: reduceLanes may associate them differently once
    // compiled than while interpreted.
    double[] partial = new double[lanes];
    sum.intoArray(partial, 0);
    double total = 0.0;
    for (double v : partial) {
      total += v;
    }
    return total;
  }

  private static final double LOG2E = 1.4426950408889634;
  /** ln 2 split so that {@code k·LN2_HI} is exact for |k| < 2^20 (fdlibm's split). */
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double LN2 = 0.6931471805599453;
  /** 1.5·2^52: adding it rounds a double of magnitude < 2^51 to an integer in the low bits. */
  private static final double ROUNDER = 0x1.8p52;
  private static final double SQRT2_MINUS_1 = 0.41421356237309503;
  private static final DoubleVector V_LN2_HI = v(LN2_HI);
  private static final DoubleVector V_LN2_LO = v(LN2_LO);
  /** exp's Taylor coefficients 1/j! from j = 2 (the terms 1 + r are added apart). */
  private static final DoubleVector E13 = v(1.0 / 6227020800.0);
  private static final DoubleVector E12 = v(1.0 / 479001600.0);
  private static final DoubleVector E11 = v(1.0 / 39916800.0);
  private static final DoubleVector E10 = v(1.0 / 3628800.0);
  private static final DoubleVector E9 = v(1.0 / 362880.0);
  private static final DoubleVector E8 = v(1.0 / 40320.0);
  private static final DoubleVector E7 = v(1.0 / 5040.0);
  private static final DoubleVector E6 = v(1.0 / 720.0);
  private static final DoubleVector E5 = v(1.0 / 120.0);
  private static final DoubleVector E4 = v(1.0 / 24.0);
  private static final DoubleVector E3 = v(1.0 / 6.0);
  private static final DoubleVector E2 = v(0.5);
  /** 2/(2j + 1): (2·atanh(s) − 2s)/s³ = Σ_{j≥1} 2/(2j + 1)·z^{j−1}, z = s². */
  private static final DoubleVector A21 = v(2.0 / 21);
  private static final DoubleVector A19 = v(2.0 / 19);
  private static final DoubleVector A17 = v(2.0 / 17);
  private static final DoubleVector A15 = v(2.0 / 15);
  private static final DoubleVector A13 = v(2.0 / 13);
  private static final DoubleVector A11 = v(2.0 / 11);
  private static final DoubleVector A9 = v(2.0 / 9);
  private static final DoubleVector A7 = v(2.0 / 7);
  private static final DoubleVector A5 = v(2.0 / 5);
  private static final DoubleVector A3 = v(2.0 / 3);

  private static DoubleVector v(double c) {
    return DoubleVector.broadcast(SPECIES, c);
  }

  /** Double lanes of the CPU's widest vectors: 4 with AVX2, 8 with AVX-512. */
  static int lanes() {
    return SPECIES.length();
  }
}
