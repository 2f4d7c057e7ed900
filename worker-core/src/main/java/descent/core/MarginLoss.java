package descent.core;

import dev.ludovic.netlib.blas.BLAS;

/**
 * A loss that depends on a row only through its margin {@code m = w·x + b}:
 * {@code ℓ(m, y)} with derivative {@code ℓ'(m, y)}, so the gradient of a row is
 * {@code ℓ'(m, y)·(x, 1)}. The kernel computes the margins of a row range (for a dense block a
 * SIMD dot product a row, {@link DenseSimd}, or one GEMV where the JVM has no vector module; one
 * pass for CSR), lets the subclass turn them into losses and multipliers in one loop,
 * and adds {@code Xᵀ·multipliers} into the gradient, chunk by chunk of rows so that each chunk is
 * read from memory once. Dense blocks on SIMD lanes pipeline the chunks (the next chunk's margins
 * in the same loop as this chunk's gradient rows); without the vector module, a second GEMV.
 */
public abstract class MarginLoss implements Loss {
  private static final long serialVersionUID = 1L;

  /**
   * SIMD lanes the margin losses' own loops run on (the dense margins and gradient rows,
   * {@link DenseSimd}, and the logistic loss's row loop), or 1 when they run scalar and through
   * BLAS: without {@code --add-modules=jdk.incubator.vector} in the JVM, on a CPU without two
   * double lanes, or with {@code -Ddescent.simd=false}. Both ways give the same losses, margins
   * and multipliers within a few ulps; {@code bench} reports which one ran.
   */
  public static int simdLanes() {
    return SIMD_LANES;
  }

  static final int SIMD_LANES = probeSimdLanes();

  private static int probeSimdLanes() {
    if (!Boolean.parseBoolean(System.getProperty("descent.simd", "true"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return 1;
    }
    // Loads DenseSimd, which links against the module, only once the module is known there.
    int lanes = Math.max(1, DenseSimd.lanes());
    if (lanes > 1) {
      warmupSum = SimdWarmup.run();
    }
    return lanes;
  }

  /** What {@link SimdWarmup} computed: kept so that its work has a use. */
  @SuppressWarnings("unused")
  private static double warmupSum;

  /**
   * For {@code i < n}: {@code mult[i] = s_i ℓ'(margins[i], labels[offset+i])}; returns
   * {@code Σ s_i ℓ(margins[i], labels[offset+i])}, with {@code s_i = weights[offset+i]} or 1.
   */
  protected abstract double lossAndMultipliers(double[] margins, double[] labels,
      double[] weights, int offset, int n, double[] mult);

  /** Returns {@code Σ s_i ℓ(margins[i], labels[offset+i])} for {@code i < n}. */
  protected abstract double lossSum(double[] margins, double[] labels, double[] weights,
      int offset, int n);

  /**
   * For {@code i < n}: {@code curv[i] = s_i ℓ''(margins[i], labels[offset+i])}, the row's weight
   * times the loss's second derivative in the margin. Losses without one keep this default.
   */
  protected void curvatures(double[] margins, double[] labels, double[] weights, int offset,
      int n, double[] curv) {
    throw new UnsupportedOperationException("the " + this + " loss has no second derivative");
  }

  /** Rows per chunk of the dense Hessian kernel's scaled copy (a SYRK per chunk). */
  private static final int HESSIAN_CHUNK = 256;

  @Override
  public final double addGradientAndHessian(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, double[] hessian, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    int p = params.length;
    if (hessian.length != p * p) {
      throw new IllegalArgumentException("the Hessian of " + p + " parameters needs " + p * p
          + " entries, got " + hessian.length);
    }
    double loss = addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    double[] margins = workspace.margins(n);
    margins(block, from, n, params, fitIntercept, margins);
    double[] curv = workspace.curvatures(n);
    curvatures(margins, block.labels(), block.weights(), from, n, curv);
    int d = block.numFeatures();
    BLAS blas = BLAS.getInstance();
    if (block.isDense()) {
      double[] x = block.values();
      if (d > 0) {
        double[] scaled = workspace.scratch(Math.min(n, HESSIAN_CHUNK) * d);
        for (int start = 0; start < n; start += HESSIAN_CHUNK) {
          int k = Math.min(HESSIAN_CHUNK, n - start);
          for (int i = 0; i < k; i++) {
            // Curvatures of convex losses are ≥ 0, so √c·x is real and XᵀCX = (√C X)ᵀ(√C X).
            double r = Math.sqrt(curv[start + i]);
            int src = (from + start + i) * d;
            int dst = i * d;
            for (int j = 0; j < d; j++) {
              scaled[dst + j] = r * x[src + j];
            }
          }
          blas.dsyrk("U", "N", d, k, 1.0, scaled, 0, d, 1.0, hessian, 0, p);
        }
        if (fitIntercept) {
          blas.dgemv("N", d, n, 1.0, x, from * d, d, curv, 0, 1, 1.0, hessian, d * p, 1);
        }
      }
    } else {
      int[] indptr = block.indptr();
      int[] indices = block.indices();
      double[] values = block.values();
      for (int i = 0; i < n; i++) {
        double c = curv[i];
        int begin = indptr[from + i];
        int end = indptr[from + i + 1];
        for (int a = begin; a < end; a++) {
          double cv = c * values[a];
          int ja = indices[a];
          // Indices ascend within a row, so (ja, indices[b]) for b ≥ a is in the upper triangle.
          for (int b = a; b < end; b++) {
            hessian[ja + indices[b] * p] += cv * values[b];
          }
          if (fitIntercept) {
            hessian[ja + d * p] += cv;
          }
        }
      }
    }
    if (fitIntercept) {
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        sum += curv[i];
      }
      hessian[d + d * p] += sum;
    }
    return loss;
  }

  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    int d = block.numFeatures();
    if (block.isDense() && d > 0 && SIMD_LANES > 1) {
      return pipelinedDenseGradient(block, from, n, params, fitIntercept, gradient, workspace);
    }
    return chunkedGradient(block, from, n, params, 1.0, 0.0, fitIntercept, gradient, null,
        workspace);
  }

  /**
   * For a CSR block, adds the gradient into the sparse sum with the dense kernel's chunks,
   * multipliers and order of terms (so with the same bits); a dense block turns the sum dense.
   */
  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (block.isDense()) {
      return addGradient(block, from, to, params, fitIntercept, gradient.dense(), workspace);
    }
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    return chunkedGradient(block, from, n, params, 1.0, 0.0, fitIntercept, null, gradient,
        workspace);
  }

  /**
   * The gradient at {@code w = scale·v}: the margins are {@code scale·(x·v) + b}, the rest is
   * the unscaled kernel's. Dense blocks run the chunked kernel (the margins, then one GEMV a
   * chunk) rather than the pipelined one when {@code scale ≠ 1}.
   */
  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      double scale, boolean fitIntercept, double[] gradient, Workspace workspace) {
    if (scale == 1.0) {
      return addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    }
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    return chunkedGradient(block, from, n, params, scale, 0.0, fitIntercept, gradient, null,
        workspace);
  }

  /** The sparse sum's form of the scaled gradient, with the dense array's bits. */
  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      double scale, boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (scale == 1.0) {
      return addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    }
    if (block.isDense()) {
      return addGradient(block, from, to, params, scale, fitIntercept, gradient.dense(),
          workspace);
    }
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    return chunkedGradient(block, from, n, params, scale, 0.0, fitIntercept, null, gradient,
        workspace);
  }

  /**
   * The gradient at {@code w = scale·v + secondScale·y} ({@code params} holds v, then y): the
   * margins are {@code scale·(x·v) + secondScale·(x·y) + b}, the rest is the unscaled
   * kernel's.
   */
  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      double scale, double secondScale, boolean fitIntercept, double[] gradient,
      Workspace workspace) {
    if (secondScale == 0.0) {
      return addGradient(block, from, to, params, scale, fitIntercept, gradient, workspace);
    }
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    return chunkedGradient(block, from, n, params, scale, secondScale, fitIntercept, gradient,
        null, workspace);
  }

  /** The sparse sum's form of the paired gradient, with the dense array's bits. */
  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      double scale, double secondScale, boolean fitIntercept, SparseSum gradient,
      Workspace workspace) {
    if (secondScale == 0.0) {
      return addGradient(block, from, to, params, scale, fitIntercept, gradient, workspace);
    }
    if (block.isDense()) {
      return addGradient(block, from, to, params, scale, secondScale, fitIntercept,
          gradient.dense(), workspace);
    }
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    return chunkedGradient(block, from, n, params, scale, secondScale, fitIntercept, null,
        gradient, workspace);
  }

  /**
   * The gradient kernel by chunks of rows, into {@code gradient} or, for a CSR block, into
   * {@code sparse} when that is not null.
   */
  private double chunkedGradient(DataBlock block, int from, int n, double[] params,
      double scale, double secondScale, boolean fitIntercept, double[] gradient,
      SparseSum sparse, Workspace workspace) {
    int d = block.numFeatures();
    // Rows in chunks small enough to stay in cache between the margins and the gradient, so
    // the data is streamed from memory once, not twice.
    int chunk = chunkRows(d);
    double[] margins = workspace.margins(Math.min(n, chunk));
    double[] mult = workspace.multipliers(Math.min(n, chunk));
    double loss = 0.0;
    double interceptSum = 0.0;
    for (int start = 0; start < n; start += chunk) {
      int k = Math.min(chunk, n - start);
      int first = from + start;
      margins(block, first, k, params, scale, secondScale, fitIntercept, margins);
      loss += lossAndMultipliers(margins, block.labels(), block.weights(), first, k, mult);
      if (block.isDense()) {
        if (d > 0) {
          BLAS.getInstance().dgemv("N", d, k, 1.0, block.values(), first * d, d, mult, 0, 1,
              1.0, gradient, 0, 1);
        }
      } else if (sparse != null) {
        sparse.addRows(block.indptr(), block.indices(), block.values(), first, k, mult);
      } else {
        int[] indptr = block.indptr();
        int[] indices = block.indices();
        double[] values = block.values();
        for (int i = 0; i < k; i++) {
          double g = mult[i];
          for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
            gradient[indices[q]] += g * values[q];
          }
        }
      }
      if (fitIntercept) {
        for (int i = 0; i < k; i++) {
          interceptSum += mult[i];
        }
      }
    }
    if (fitIntercept) {
      if (sparse != null) {
        sparse.add(d, interceptSum);
      } else {
        gradient[d] += interceptSum;
      }
    }
    return loss;
  }

  /**
   * The dense gradient on SIMD lanes, software-pipelined by chunks of rows: while chunk c's rows
   * are added into the gradient ({@code g += ℓ'·x}, from cache), chunk c + 1's margins are
   * computed in the same loop, row by row, from memory ({@link DenseSimd#marginsAndAdd}); the loss
   * turns chunk c + 1's margins into multipliers in between. The memory then streams while the
   * core does the rest, where BLAS's GEMV-T, the loss, and GEMV-N ran one after the other.
   */
  private double pipelinedDenseGradient(DataBlock block, int from, int n, double[] params,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    int d = block.numFeatures();
    double[] x = block.values();
    double b = fitIntercept ? params[d] : 0.0;
    int chunk = pipelineRows(d);
    int rows = Math.min(n, chunk);
    double[] current = workspace.margins(rows);
    double[] next = workspace.nextMargins(rows);
    double[] mult = workspace.multipliers(rows);
    double[] partial = workspace.lanes(DenseSimd.lanes());
    DenseSimd.margins(x, from, rows, d, params, b, current, partial);
    double loss = 0.0;
    double interceptSum = 0.0;
    for (int start = 0; start < n; start += chunk) {
      int k = Math.min(chunk, n - start);
      loss += lossAndMultipliers(current, block.labels(), block.weights(), from + start, k, mult);
      if (fitIntercept) {
        for (int i = 0; i < k; i++) {
          interceptSum += mult[i];
        }
      }
      int nextRows = Math.max(0, Math.min(chunk, n - start - chunk));
      DenseSimd.marginsAndAdd(x, from + start + chunk, nextRows, from + start, k, d, params, b,
          next, mult, gradient, partial);
      double[] swap = current;
      current = next;
      next = swap;
    }
    if (fitIntercept) {
      gradient[d] += interceptSum;
    }
    return loss;
  }

  /**
   * Rows per chunk of the pipelined dense kernel: about 50 KiB of values (64 rows of 100
   * features), 4 to 1024 rows. In a harness over 1M × 100 rows, 64 was faster than 16 or 256.
   */
  static int pipelineRows(int numFeatures) {
    return Math.max(4, Math.min(1024, 6400 / Math.max(1, numFeatures)));
  }

  /** Rows per chunk of the gradient kernel: about 256 KiB of dense values, 8 to 1024 rows. */
  static int chunkRows(int numFeatures) {
    return Math.max(8, Math.min(1024, (1 << 15) / Math.max(1, numFeatures)));
  }

  @Override
  public final double addLoss(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    double[] margins = workspace.margins(n);
    margins(block, from, n, params, fitIntercept, margins);
    return lossSum(margins, block.labels(), block.weights(), from, n);
  }

  @Override
  public final double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    double[] margins = workspace.margins(n);
    margins(block, from, n, params, scale, fitIntercept, margins);
    return lossSum(margins, block.labels(), block.weights(), from, n);
  }

  @Override
  public final double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    double[] margins = workspace.margins(n);
    margins(block, from, n, params, scale, secondScale, fitIntercept, margins);
    return lossSum(margins, block.labels(), block.weights(), from, n);
  }

  /**
   * {@code margins[i] = scale·(v·x_{from+i}) + secondScale·(y·x_{from+i}) + b} for
   * {@code i < n}, where {@code params} holds v (coefficients, then the intercept) and after it
   * y: the margins at {@code w = scale·v + secondScale·y}. At {@code secondScale == 0} exactly
   * {@link #margins(DataBlock, int, int, double[], double, boolean, double[])}, which reads v
   * alone.
   */
  public static void margins(DataBlock block, int from, int n, double[] params, double scale,
      double secondScale, boolean fitIntercept, double[] margins) {
    if (secondScale == 0.0) {
      margins(block, from, n, params, scale, fitIntercept, margins);
      return;
    }
    int d = block.numFeatures();
    int offset = d + (fitIntercept ? 1 : 0);
    if (params.length < offset + d) {
      throw new IllegalArgumentException("v and y of " + d + " features need " + (offset + d)
          + " parameters, got " + params.length);
    }
    double b = fitIntercept ? params[d] : 0.0;
    double[] values = block.values();
    if (block.isDense()) {
      for (int i = 0; i < n; i++) {
        int row = (from + i) * d;
        double dv = 0.0;
        double dy = 0.0;
        for (int j = 0; j < d; j++) {
          double x = values[row + j];
          dv += x * params[j];
          dy += x * params[offset + j];
        }
        margins[i] = scale * dv + secondScale * dy + b;
      }
      return;
    }
    int[] indptr = block.indptr();
    int[] indices = block.indices();
    for (int i = 0; i < n; i++) {
      double dv = 0.0;
      double dy = 0.0;
      for (int k = indptr[from + i], end = indptr[from + i + 1]; k < end; k++) {
        double x = values[k];
        int j = indices[k];
        dv += x * params[j];
        dy += x * params[offset + j];
      }
      margins[i] = scale * dv + secondScale * dy + b;
    }
  }

  /**
   * {@code margins[i] = scale·(v·x_{from+i}) + b} for {@code i < n}: the margins at the
   * coefficients {@code w = scale·v}. At {@code scale == 1} exactly {@link #margins(DataBlock,
   * int, int, double[], boolean, double[])}.
   */
  public static void margins(DataBlock block, int from, int n, double[] params, double scale,
      boolean fitIntercept, double[] margins) {
    if (scale == 1.0) {
      margins(block, from, n, params, fitIntercept, margins);
      return;
    }
    int d = block.numFeatures();
    double b = fitIntercept ? params[d] : 0.0;
    if (block.isDense()) {
      margins(block, from, n, params, false, margins);
      for (int i = 0; i < n; i++) {
        margins[i] = scale * margins[i] + b;
      }
      return;
    }
    int[] indptr = block.indptr();
    int[] indices = block.indices();
    double[] values = block.values();
    for (int i = 0; i < n; i++) {
      double dot = 0.0;
      for (int k = indptr[from + i], end = indptr[from + i + 1]; k < end; k++) {
        dot += values[k] * params[indices[k]];
      }
      margins[i] = scale * dot + b;
    }
  }

  /** {@code margins[i] = w·x_{from+i} + b} for {@code i < n}. */
  public static void margins(DataBlock block, int from, int n, double[] params,
      boolean fitIntercept, double[] margins) {
    int d = block.numFeatures();
    double b = fitIntercept ? params[d] : 0.0;
    if (block.isDense()) {
      if (d == 0) {
        java.util.Arrays.fill(margins, 0, n, b);
        return;
      }
      if (SIMD_LANES > 1) {
        // One row at a time, front to back: BLAS's GEMV-T walks four rows side by side, which
        // read from memory 2-72 % slower in the same runs (see DenseSimd).
        DenseSimd.margins(block.values(), from, n, d, params, b, margins);
        return;
      }
      for (int i = 0; i < n; i++) {
        margins[i] = b;
      }
      BLAS.getInstance().dgemv("T", d, n, 1.0, block.values(), from * d, d, params, 0, 1, 1.0,
          margins, 0, 1);
    } else {
      int[] indptr = block.indptr();
      int[] indices = block.indices();
      double[] values = block.values();
      for (int i = 0; i < n; i++) {
        double m = b;
        for (int k = indptr[from + i], end = indptr[from + i + 1]; k < end; k++) {
          m += values[k] * params[indices[k]];
        }
        margins[i] = m;
      }
    }
  }
}
