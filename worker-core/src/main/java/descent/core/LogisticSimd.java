package descent.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The logistic loss's row loop on SIMD lanes (the incubating Vector API): the same formula as
 * {@link LogisticLoss#lossAndMultipliers}, {@code e = exp(−|y·m|)}, loss
 * {@code max(−y·m, 0) + log1p(e)}, multiplier {@code −y·(y·m > 0 ? e : 1)/(1 + e)}, several rows
 * an instruction. On x86-64 the JIT compiles the lanes' {@code exp} and {@code log} to SVML
 * calls, each within 1 ulp, so the per-row exp/log/division no longer dominates the chunk.
 *
 * <p>Loaded only when {@link LogisticLoss#simdLanes()} is above 1: the class links against
 * {@code jdk.incubator.vector}, which a JVM has only with
 * {@code --add-modules=jdk.incubator.vector} (Spark 4's launcher adds it to every driver and
 * executor; so do {@code bin/descent} and the tests).
 */
final class LogisticSimd {
  private LogisticSimd() {}

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  /** Rows a call handles for {@code n} rows: the largest multiple of the lane count. */
  static int rows(int n) {
    return n - n % SPECIES.length();
  }

  /**
   * For {@code i < n}, {@code n} a multiple of the lane count (see {@link #rows}): sets
   * {@code mult[i]} and returns the weighted loss sum, as {@link LogisticLoss} defines them.
   */
  static double lossAndMultipliers(double[] margins, double[] labels, double[] weights,
      int offset, int n, double[] mult) {
    int lanes = SPECIES.length();
    DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
    DoubleVector sum = DoubleVector.zero(SPECIES);
    for (int i = 0; i < n; i += lanes) {
      DoubleVector y = DoubleVector.fromArray(SPECIES, labels, offset + i);
      DoubleVector ym = y.mul(DoubleVector.fromArray(SPECIES, margins, i));
      DoubleVector e = ym.abs().neg().lanewise(VectorOperators.EXP);
      DoubleVector u = one.add(e);
      DoubleVector inv = one.div(u);
      // log1p(e) = log(u) + (e − (u − 1))/u, as LogisticLoss.log1p.
      DoubleVector log1p = u.lanewise(VectorOperators.LOG).add(e.sub(u.sub(one)).mul(inv));
      DoubleVector loss = ym.neg().max(0.0).add(log1p);
      VectorMask<Double> positive = ym.compare(VectorOperators.GT, 0.0);
      DoubleVector m = one.blend(e, positive).mul(inv).mul(y).neg();
      if (weights != null) {
        DoubleVector s = DoubleVector.fromArray(SPECIES, weights, offset + i);
        loss = loss.mul(s);
        m = m.mul(s);
      }
      sum = sum.add(loss);
      m.intoArray(mult, i);
    }
    return sum.reduceLanes(VectorOperators.ADD);
  }

  /** Double lanes of the CPU's preferred vector width: 4 with AVX2, 8 with AVX-512. */
  static int lanes() {
    return SPECIES.length();
  }
}
