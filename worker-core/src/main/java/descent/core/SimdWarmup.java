package descent.core;

/**
 * Runs every SIMD kernel of the margin losses on a few tiny rows, all of them in one loop, once a
 * JVM, before any real data reaches them, so that the Vector API's own shared methods see every
 * kind of lane operation before the JIT compiles them.
 *
 * <p>Why: the Vector API sends every operation through a handful of shared methods
 * ({@code VectorOperators.opCode}, {@code VectorSupport.binaryOp}, {@code DoubleVector.intoArray},
 * ...). When the first kernel to get hot uses only some kinds (the floor's plain sum: loads and
 * adds), the JIT compiles those shared methods betting on the one class it has seen; the logistic
 * loss's other kinds (unary, ternary, compares, blends, shifts) then break the bet, and each
 * shared method records a few class-check traps. {@link LogisticSimd}'s row loop inlines those
 * methods about sixty times, so its compilation adds their traps up (260 or 521 against C2's
 * limit of 100 a compilation, {@code -XX:PerMethodTrapLimit}), stops betting on classes, and
 * leaves some lane operations on their boxed fallback: the loop compiled to 8,920 bytes or more
 * instead of 2,400 and the dense logistic gradient took 67–95 instead of 44–63 ns a row in cache,
 * for the JVM's life. It happened in 1 of 6 and in 4 of 8 JVMs in two sets of harness runs
 * (StreamHarness; docs/benchmarks.md), and bench's full step read 1.55 and 1.65 ×
 * the floor without this warm-up against a median of 1.46 with it. With the kinds mixed from the
 * start the shared methods' profiles hold several classes, the JIT compiles them without the bet,
 * and there is nothing to trap.
 *
 * <p>Takes about 0.25 s once a JVM (the Vector API runs interpreted at first); the results are
 * discarded, and the kernels' bits do not depend on it.
 */
final class SimdWarmup {
  private SimdWarmup() {}

  /** Rounds of the loop ({@code -Ddescent.simdWarmup=N}, 0 for none). */
  static final int ROUNDS = Integer.getInteger("descent.simdWarmup", 300);

  /** Runs the kernels {@link #ROUNDS} times; returns a sum of their results. */
  static double run() {
    int lanes = DenseSimd.lanes();
    // Columns that reach the four-accumulator loop, the single-vector loop and the scalar tail.
    int d = 5 * lanes + 1;
    int rows = 2 * lanes;
    double[] x = new double[2 * rows * d];
    double[] w = new double[d];
    double[] labels = new double[rows];
    double[] weights = new double[rows];
    for (int k = 0; k < x.length; k++) {
      x[k] = ((k * 37) % 17 - 8) / 8.0;
    }
    for (int j = 0; j < d; j++) {
      w[j] = ((j * 11) % 7 - 3) / 16.0;
    }
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3 == 0 ? 1.0 : -1.0;
      weights[i] = 0.5 + i % 2;
    }
    double[] margins = new double[rows];
    double[] next = new double[rows];
    double[] mult = new double[rows];
    double[] g = new double[d];
    double[] partial = new double[lanes];
    double s = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
      DenseSimd.margins(x, 0, rows, d, w, 0.25, margins, partial);
      s += LogisticSimd.lossAndMultipliers(margins, labels, round % 2 == 0 ? null : weights, 0,
          rows, mult);
      DenseSimd.marginsAndAdd(x, rows, rows, 0, rows, d, w, 0.25, next, mult, g, partial);
      s += DenseSimd.sum(x) + next[0];
    }
    return s + g[0];
  }
}
