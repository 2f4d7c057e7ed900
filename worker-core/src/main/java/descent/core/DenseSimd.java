package descent.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense passes on SIMD lanes: the margins {@code m_i = b + x_i·w} of a margin loss, the same
 * margins interleaved with the gradient's {@code g += c_i·x_i} of other rows, and the plain sum
 * that {@code bench}'s memory floor runs.
 *
 * <p>Why not BLAS's two GEMVs: a chunk's GEMV-N ran from cache while the memory stood idle; here
 * the rows of the next chunk stream in while this chunk's rows are added into the gradient, so the
 * core has memory reads in flight all along (the gradient kernel took 17–36 % less time over
 * 1M × 100 rows from memory, two threads, see docs/benchmarks.md). And netlib's GEMV-T walks four
 * rows side by side, which read from memory at 1.05–1.60 × a scalar plain pass against 0.94–1.07 ×
 * for one row front to back (the larger gaps when the memory was slow).
 *
 * <p>Loaded only when {@link MarginLoss#simdLanes()} is above 1 (see there). Every operation is
 * an exactly rounded lane operation (fused multiply-add, add) or {@link Math#fma}, and lanes are
 * summed in a fixed order, so the results have the same bits interpreted or compiled.
 */
final class DenseSimd {
  private DenseSimd() {}

  /** The species of {@link LogisticSimd} and netlib's VectorBLAS (see there why one only). */
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_MAX;

  /** Double lanes of the vectors these passes run on. */
  static int lanes() {
    return SPECIES.length();
  }

  /** {@code margins[i] = b + x_{from+i}·w} for {@code i < n}, x row-major with {@code d} columns. */
  static void margins(double[] x, int from, int n, int d, double[] w, double b,
      double[] margins) {
    marginsAndAdd(x, from, n, 0, 0, d, w, b, margins, null, null, new double[SPECIES.length()]);
  }

  /**
   * Two passes over different rows in one loop, row by row: {@code margins[i] = b + x_{from+i}·w}
   * for {@code i < n}, and {@code g += c[i]·x_{addFrom+i}} (first {@code d} entries of g) for
   * {@code i < addRows}. {@code partial} holds the lanes of a row's sum (at least {@link #lanes}
   * entries).
   */
  static void marginsAndAdd(double[] x, int from, int n, int addFrom, int addRows, int d,
      double[] w, double b, double[] margins, double[] c, double[] g, double[] partial) {
    int lanes = SPECIES.length();
    int whole = SPECIES.loopBound(d);
    int unrolled = whole - whole % (4 * lanes);
    for (int i = 0, end = Math.max(n, addRows); i < end; i++) {
      if (i < n) {
        // Row from+i front to back: four lane accumulators a_k over the vectors k, k+4, …, the
        // lanes of (a_0 + a_1) + (a_2 + a_3) in order (reduceLanes may associate them
        // differently), then the columns past the last whole vector.
        int row = (from + i) * d;
        DoubleVector a0 = DoubleVector.zero(SPECIES);
        DoubleVector a1 = DoubleVector.zero(SPECIES);
        DoubleVector a2 = DoubleVector.zero(SPECIES);
        DoubleVector a3 = DoubleVector.zero(SPECIES);
        int j = 0;
        for (; j < unrolled; j += 4 * lanes) {
          a0 = DoubleVector.fromArray(SPECIES, x, row + j)
              .fma(DoubleVector.fromArray(SPECIES, w, j), a0);
          a1 = DoubleVector.fromArray(SPECIES, x, row + j + lanes)
              .fma(DoubleVector.fromArray(SPECIES, w, j + lanes), a1);
          a2 = DoubleVector.fromArray(SPECIES, x, row + j + 2 * lanes)
              .fma(DoubleVector.fromArray(SPECIES, w, j + 2 * lanes), a2);
          a3 = DoubleVector.fromArray(SPECIES, x, row + j + 3 * lanes)
              .fma(DoubleVector.fromArray(SPECIES, w, j + 3 * lanes), a3);
        }
        for (; j < whole; j += lanes) {
          a0 = DoubleVector.fromArray(SPECIES, x, row + j)
              .fma(DoubleVector.fromArray(SPECIES, w, j), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(partial, 0);
        double m = b;
        for (int l = 0; l < lanes; l++) {
          m += partial[l];
        }
        for (; j < d; j++) {
          m += x[row + j] * w[j];
        }
        margins[i] = m;
      }
      if (i < addRows) {
        // g[j] = fma(c_i, x[addFrom+i][j], g[j]) for j < d.
        int row = (addFrom + i) * d;
        double ci = c[i];
        DoubleVector vc = DoubleVector.broadcast(SPECIES, ci);
        int j = 0;
        for (; j < whole; j += lanes) {
          DoubleVector.fromArray(SPECIES, x, row + j).fma(vc, DoubleVector.fromArray(SPECIES, g, j))
              .intoArray(g, j);
        }
        for (; j < d; j++) {
          g[j] = Math.fma(ci, x[row + j], g[j]);
        }
      }
    }
  }

  /**
   * {@code Σ v[i]}, four lane accumulators over the array front to back: the fewest instructions
   * a read of every element can take, so it runs at the memory's speed where a scalar loop (eight
   * running sums) kept fewer reads in flight and took 15-31 % longer from memory.
   */
  static double sum(double[] v) {
    int lanes = SPECIES.length();
    int n = v.length;
    int unrolled = n - n % (4 * lanes);
    DoubleVector a0 = DoubleVector.zero(SPECIES);
    DoubleVector a1 = DoubleVector.zero(SPECIES);
    DoubleVector a2 = DoubleVector.zero(SPECIES);
    DoubleVector a3 = DoubleVector.zero(SPECIES);
    int i = 0;
    for (; i < unrolled; i += 4 * lanes) {
      a0 = a0.add(DoubleVector.fromArray(SPECIES, v, i));
      a1 = a1.add(DoubleVector.fromArray(SPECIES, v, i + lanes));
      a2 = a2.add(DoubleVector.fromArray(SPECIES, v, i + 2 * lanes));
      a3 = a3.add(DoubleVector.fromArray(SPECIES, v, i + 3 * lanes));
    }
    double s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += v[i];
    }
    return s;
  }
}
