package descent.core;

/**
 * The fastest plain read of a double array this JVM can run, a sum of every element: what
 * {@code bench} times as the memory-bandwidth floor of a pass over the cached blocks. A kernel
 * cannot read its data faster than this, so the floor must be the fastest pass there is: on SIMD
 * lanes where {@link MarginLoss#simdLanes()} says the kernels run on them, else eight scalar
 * running sums.
 */
public final class PlainPass {
  private PlainPass() {}

  /** {@code Σ v[i]} (in some order: the floor needs the read, not the bits). */
  public static double sum(double[] v) {
    if (MarginLoss.simdLanes() > 1) {
      return DenseSimd.sum(v);
    }
    return scalarSum(v);
  }

  /**
   * Σ v[i] in eight independent running sums, unrolled by eight: eight add chains keep the
   * adders busy while the loads stream, instead of one add latency per element.
   */
  static double scalarSum(double[] v) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    double s4 = 0.0;
    double s5 = 0.0;
    double s6 = 0.0;
    double s7 = 0.0;
    int n = v.length;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      s0 += v[i];
      s1 += v[i + 1];
      s2 += v[i + 2];
      s3 += v[i + 3];
      s4 += v[i + 4];
      s5 += v[i + 5];
      s6 += v[i + 6];
      s7 += v[i + 7];
    }
    for (; i < n; i++) {
      s0 += v[i];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }
}
