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
    margins(x, from, n, d, w, b, margins, new double[SPECIES.length()]);
  }

  /** The same, with {@code partial} (at least {@link #lanes} entries) for a row's lanes. */
  static void margins(double[] x, int from, int n, int d, double[] w, double b,
      double[] margins, double[] partial) {
    dots(x, from, n, d, w, b, margins, 0, partial);
  }

  /**
   * Two passes over different rows in one loop, row by row: {@code margins[i] = b + x_{from+i}·w}
   * for {@code i < n}, and {@code g += c[i]·x_{addFrom+i}} (first {@code d} entries of g) for
   * {@code i < addRows}. {@code partial} holds the lanes of a row's sum (at least {@link #lanes}
   * entries).
   *
   * <p>The rows both passes share run in one loop without a branch, those of only one pass (the
   * first chunk's margins, the last chunk's rows, a partial chunk) in loops of their own. One loop
   * that tested {@code i < n} and {@code i < addRows} each row saw those tests fail once a pass,
   * so the JIT compiled them as traps, was sent back to the interpreter and recompiled three or
   * four times a run, and what it ended with differed from JVM to JVM. Over 1M × 100 rows
   * (harness, two threads, one JVM per run, the variants in turn) the pipelined gradient took
   * 1.69–1.93 × the SIMD floor (median 1.77) with that loop and 1.59–1.70 × (median 1.65) with
   * this one, six runs each. The sums are the same: every row's dot and the order of the rows
   * added into {@code g} are unchanged.
   */
  static void marginsAndAdd(double[] x, int from, int n, int addFrom, int addRows, int d,
      double[] w, double b, double[] margins, double[] c, double[] g, double[] partial) {
    int both = Math.min(n, addRows);
    if (both > 0) {
      dotsAndAdds(x, from, addFrom, both, d, w, b, margins, c, g, partial);
    }
    if (n > both) {
      dots(x, from + both, n - both, d, w, b, margins, both, partial);
    }
    if (addRows > both) {
      adds(x, addFrom + both, addRows - both, d, c, both, g);
    }
  }

  /** {@code margins[i] = b + x_{from+i}·w} and {@code g += c[i]·x_{addFrom+i}} for {@code i < k}. */
  private static void dotsAndAdds(double[] x, int from, int addFrom, int k, int d, double[] w,
      double b, double[] margins, double[] c, double[] g, double[] partial) {
    int whole = wholeColumns(d);
    int unrolled = unrolledColumns(d);
    for (int i = 0; i < k; i++) {
      margins[i] = dot(x, (from + i) * d, d, w, b, partial, whole, unrolled);
      add(x, (addFrom + i) * d, d, c[i], g);
    }
  }

  /** {@code margins[at + i] = b + x_{from+i}·w} for {@code i < n}. */
  private static void dots(double[] x, int from, int n, int d, double[] w, double b,
      double[] margins, int at, double[] partial) {
    int whole = wholeColumns(d);
    int unrolled = unrolledColumns(d);
    for (int i = 0; i < n; i++) {
      margins[at + i] = dot(x, (from + i) * d, d, w, b, partial, whole, unrolled);
    }
  }

  /** {@code g += c[at + i]·x_{addFrom+i}} for {@code i < n}. */
  private static void adds(double[] x, int addFrom, int n, int d, double[] c, int at,
      double[] g) {
    for (int i = 0; i < n; i++) {
      add(x, (addFrom + i) * d, d, c[at + i], g);
    }
  }

  /**
   * {@code b + x[row..row+d)·w}, front to back: four lane accumulators a_k over the vectors k,
   * k+4, …, the lanes of (a_0 + a_1) + (a_2 + a_3) in order (reduceLanes may associate them
   * differently), then the columns past the last whole vector. {@code whole} and {@code unrolled}
   * are {@link #wholeColumns} and {@link #unrolledColumns} of {@code d}: passed in, they keep the
   * method under the JIT's size limit for inlining a hot method (325 bytes of bytecode), which a
   * call per row would otherwise cost.
   */
  private static double dot(double[] x, int row, int d, double[] w, double b,
      double[] partial, int whole, int unrolled) {
    int lanes = SPECIES.length();
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
    return j < d ? tail(x, row, j, d, w, m) : m;
  }

  /**
   * {@code m + Σ x[row + j]·w[j]} over the columns {@code from ≤ j < d} past the last whole
   * vector: out of {@link #dot}, which then stays small enough for the JIT to inline.
   */
  private static double tail(double[] x, int row, int from, int d, double[] w, double m) {
    for (int j = from; j < d; j++) {
      m += x[row + j] * w[j];
    }
    return m;
  }

  /** The columns of {@code d} in whole vectors. */
  private static int wholeColumns(int d) {
    return SPECIES.loopBound(d);
  }

  /** The whole-vector columns of {@code d} that {@link #dot}'s four accumulators take in turns. */
  private static int unrolledColumns(int d) {
    int whole = wholeColumns(d);
    return whole - whole % (4 * SPECIES.length());
  }

  /** {@code g[j] = fma(c, x[row + j], g[j])} for {@code j < d}. */
  private static void add(double[] x, int row, int d, double c, double[] g) {
    int lanes = SPECIES.length();
    int whole = SPECIES.loopBound(d);
    DoubleVector vc = DoubleVector.broadcast(SPECIES, c);
    int j = 0;
    for (; j < whole; j += lanes) {
      DoubleVector.fromArray(SPECIES, x, row + j).fma(vc, DoubleVector.fromArray(SPECIES, g, j))
          .intoArray(g, j);
    }
    for (; j < d; j++) {
      g[j] = Math.fma(c, x[row + j], g[j]);
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
