package descent.core;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Multinomial logistic (softmax) regression over K classes: the cross-entropy
 * {@code ℓ_i = log Σ_k exp(z_ik) − z_{i,y_i}} of the scores {@code z_i = W x_i + b}, labels
 * 0..K−1. The gradient of a row is {@code (p_i − e_{y_i}) x̃_iᵀ} with {@code p_i = softmax(z_i)}.
 *
 * <p>Parameters: {@code [W (K×d row-major), b_0 .. b_{K−1}]}. Dense blocks compute the scores
 * of a chunk of rows with one GEMM ({@code Z = X Wᵀ}) and add {@code Mᵀ X} with a second, where
 * {@code M = S(P − Y)} holds the weighted residuals, so each chunk of rows is read from memory
 * once; CSR rows are walked one non-zero at a time. The log-sum-exp subtracts the row's largest
 * score, so no score overflows.
 */
public final class SoftmaxLoss implements Loss {
  private static final long serialVersionUID = 1L;

  private final int numClasses;

  /** A loss over {@code numClasses} ≥ 2 classes. */
  public SoftmaxLoss(int numClasses) {
    if (numClasses < 2 || numClasses > LabelDomain.MAX_CLASSES) {
      throw new IllegalArgumentException("softmax needs between 2 and " + LabelDomain.MAX_CLASSES
          + " classes, got " + numClasses);
    }
    this.numClasses = numClasses;
  }

  public int numClasses() {
    return numClasses;
  }

  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.classes(numClasses);
  }

  @Override
  public int numOutputs() {
    return numClasses;
  }

  /** Rows per chunk: about 256 KiB of dense values and at most 64 Ki scores, 8 to 1024 rows. */
  static int chunkRows(int numFeatures, int numClasses) {
    int byFeatures = (1 << 15) / Math.max(1, numFeatures);
    int byScores = (1 << 16) / numClasses;
    return Math.max(8, Math.min(1024, Math.min(byFeatures, byScores)));
  }

  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    return run(block, from, to, params, 1.0, 0.0, fitIntercept, gradient, null, workspace);
  }

  /**
   * For a CSR block, adds the gradient into the sparse sum with the dense kernel's chunks,
   * residuals and order of terms (so with the same bits); a dense block turns the sum dense.
   */
  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    return addGradient(block, from, to, params, 1.0, fitIntercept, gradient, workspace);
  }

  @Override
  public double addLoss(DataBlock block, int from, int to, double[] params, boolean fitIntercept,
      Workspace workspace) {
    return run(block, from, to, params, 1.0, 0.0, fitIntercept, null, null, workspace);
  }

  /** The gradient at {@code W = scale·V}: each score is {@code scale·(V_c·x) + b_c}. */
  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    return run(block, from, to, params, scale, 0.0, fitIntercept, gradient, null, workspace);
  }

  /** The sparse sum's form of the scaled gradient, with the dense array's bits. */
  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (block.isDense()) {
      return run(block, from, to, params, scale, 0.0, fitIntercept, gradient.dense(), null,
          workspace);
    }
    return run(block, from, to, params, scale, 0.0, fitIntercept, null, gradient, workspace);
  }

  @Override
  public double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, Workspace workspace) {
    return run(block, from, to, params, scale, 0.0, fitIntercept, null, null, workspace);
  }

  /**
   * The gradient at {@code W = scale·V + secondScale·Y} ({@code params} holds V, then Y): each
   * score is {@code scale·(V_c·x) + secondScale·(Y_c·x) + b_c}.
   */
  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, double[] gradient, Workspace workspace) {
    return run(block, from, to, params, scale, secondScale, fitIntercept, gradient, null,
        workspace);
  }

  /** The sparse sum's form of the paired gradient, with the dense array's bits. */
  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (block.isDense()) {
      return run(block, from, to, params, scale, secondScale, fitIntercept, gradient.dense(),
          null, workspace);
    }
    return run(block, from, to, params, scale, secondScale, fitIntercept, null, gradient,
        workspace);
  }

  @Override
  public double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, Workspace workspace) {
    return run(block, from, to, params, scale, secondScale, fitIntercept, null, null,
        workspace);
  }

  /**
   * The loss at {@code W = scale·V}, and the gradient into {@code gradient} or {@code sparse}
   * when either is set.
   */
  private double run(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, double[] gradient, SparseSum sparse,
      Workspace workspace) {
    boolean withGradient = gradient != null || sparse != null;
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    int d = block.numFeatures();
    int k = numClasses;
    int chunk = chunkRows(d, k);
    double[] z = workspace.margins(Math.min(n, chunk) * k);
    double[] labels = block.labels();
    double[] weights = block.weights();
    double loss = 0.0;
    for (int start = 0; start < n; start += chunk) {
      int m = Math.min(chunk, n - start);
      int first = from + start;
      scores(block, first, m, params, scale, secondScale, fitIntercept, k, z);
      for (int i = 0; i < m; i++) {
        int base = i * k;
        double max = z[base];
        for (int c = 1; c < k; c++) {
          max = Math.max(max, z[base + c]);
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
          sum += Math.exp(z[base + c] - max);
        }
        double s = weights == null ? 1.0 : weights[first + i];
        int y = (int) labels[first + i];
        if (y < 0 || y >= k || y != labels[first + i]) {
          throw new IllegalArgumentException("label " + LabelDomain.format(labels[first + i])
              + " is not a class of this " + k + "-class model (labels 0.." + (k - 1) + ")");
        }
        loss += s * (max + Math.log(sum) - z[base + y]);
        if (withGradient) {
          // z becomes the weighted residual s·(p − e_y), the row's multiplier per class.
          double r = s / sum;
          for (int c = 0; c < k; c++) {
            z[base + c] = r * Math.exp(z[base + c] - max);
          }
          z[base + y] -= s;
        }
      }
      if (withGradient) {
        addResiduals(block, first, m, z, fitIntercept, k, gradient, sparse);
      }
    }
    return loss;
  }

  @Override
  public boolean hasHessian() {
    return true;
  }

  /**
   * Also adds the Hessian {@code Σ_i s_i (diag(p_i) − p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ}: block (c, c') of
   * the coefficients is {@code Σ_i a_i x̃_i x̃_iᵀ} with {@code a_i = s_i(δ_cc' p_ic − p_ic p_ic')},
   * one GEMM per class pair and chunk for dense blocks. It is only positive semi-definite: adding
   * one constant to every intercept leaves the loss unchanged (Newton's solver damps that away).
   */
  @Override
  public double addGradientAndHessian(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, double[] hessian, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    int p = params.length;
    if (hessian.length != (long) p * p) {
      throw new IllegalArgumentException("the Hessian of " + p + " parameters needs " + p * p
          + " entries, got " + hessian.length);
    }
    double loss = addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    int d = block.numFeatures();
    int k = numClasses;
    int chunk = Math.min(n, chunkRows(d, k));
    double[] z = workspace.margins(chunk * k);
    double[] a = workspace.curvatures(chunk);
    double[] scaled = workspace.scratch(chunk * Math.max(1, d));
    double[] weights = block.weights();
    BLAS blas = BLAS.getInstance();
    int kd = k * d;
    for (int start = 0; start < n; start += chunk) {
      int m = Math.min(chunk, n - start);
      int first = from + start;
      scores(block, first, m, params, fitIntercept, k, z);
      softmaxInPlace(z, 0, k, m);
      for (int c = 0; c < k; c++) {
        for (int c2 = c; c2 < k; c2++) {
          double interceptSum = 0.0;
          for (int i = 0; i < m; i++) {
            double s = weights == null ? 1.0 : weights[first + i];
            double pc = z[i * k + c];
            a[i] = s * ((c == c2 ? pc : 0.0) - pc * z[i * k + c2]);
            interceptSum += a[i];
          }
          if (d > 0) {
            if (block.isDense()) {
              double[] x = block.values();
              for (int i = 0; i < m; i++) {
                int src = (first + i) * d;
                for (int j = 0; j < d; j++) {
                  scaled[i * d + j] = a[i] * x[src + j];
                }
              }
              // Block (c, c2) at rows c·d.., columns c2·d..: Σ_i x_i (a_i x_i)ᵀ.
              blas.dgemm("N", "T", d, d, m, 1.0, x, first * d, d, scaled, 0, d, 1.0, hessian,
                  c * d + c2 * d * p, p);
              if (fitIntercept) {
                // W_c against b_c2 and W_c2 against b_c: Σ_i a_i x_i, both above the diagonal.
                blas.dgemv("N", d, m, 1.0, x, first * d, d, a, 0, 1, 1.0, hessian,
                    c * d + (kd + c2) * p, 1);
                if (c2 != c) {
                  blas.dgemv("N", d, m, 1.0, x, first * d, d, a, 0, 1, 1.0, hessian,
                      c2 * d + (kd + c) * p, 1);
                }
              }
            } else {
              int[] indptr = block.indptr();
              int[] indices = block.indices();
              double[] values = block.values();
              int rowBase = c * d;
              int colBase = c2 * d;
              for (int i = 0; i < m; i++) {
                double ai = a[i];
                if (ai == 0.0) {
                  continue;
                }
                int begin = indptr[first + i];
                int end = indptr[first + i + 1];
                for (int q = begin; q < end; q++) {
                  double av = ai * values[q];
                  int jq = indices[q];
                  for (int r = begin; r < end; r++) {
                    hessian[rowBase + jq + (colBase + indices[r]) * p] += av * values[r];
                  }
                  if (fitIntercept) {
                    hessian[rowBase + jq + (kd + c2) * p] += av;
                    if (c2 != c) {
                      hessian[colBase + jq + (kd + c) * p] += av;
                    }
                  }
                }
              }
            }
          }
          if (fitIntercept) {
            hessian[kd + c + (kd + c2) * p] += interceptSum;
          }
        }
      }
    }
    return loss;
  }

  /**
   * {@code G += Mᵀ X̃} for the chunk's residuals {@code M} (m×K row-major), into {@code gradient},
   * or into {@code sparse} (a CSR block's) when that is not null, term by term in the same order.
   */
  private static void addResiduals(DataBlock block, int first, int m, double[] resid,
      boolean fitIntercept, int k, double[] gradient, SparseSum sparse) {
    int d = block.numFeatures();
    if (sparse != null) {
      int[] indptr = block.indptr();
      int[] indices = block.indices();
      double[] values = block.values();
      for (int i = 0; i < m; i++) {
        int base = i * k;
        for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
          int j = indices[q];
          double v = values[q];
          for (int c = 0; c < k; c++) {
            sparse.add(c * d + j, resid[base + c] * v);
          }
        }
      }
      if (fitIntercept) {
        int b = k * d;
        for (int i = 0; i < m; i++) {
          int base = i * k;
          for (int c = 0; c < k; c++) {
            sparse.add(b + c, resid[base + c]);
          }
        }
      }
      return;
    }
    if (d > 0) {
      if (block.isDense()) {
        // Column-major views: X' = d×m, M' = K×m, G' = d×K; G' += X' M'ᵀ.
        BLAS.getInstance().dgemm("N", "T", d, k, m, 1.0, block.values(), first * d, d, resid, 0,
            k, 1.0, gradient, 0, d);
      } else {
        int[] indptr = block.indptr();
        int[] indices = block.indices();
        double[] values = block.values();
        for (int i = 0; i < m; i++) {
          int base = i * k;
          for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
            int j = indices[q];
            double v = values[q];
            for (int c = 0; c < k; c++) {
              gradient[c * d + j] += resid[base + c] * v;
            }
          }
        }
      }
    }
    if (fitIntercept) {
      int b = k * d;
      for (int i = 0; i < m; i++) {
        int base = i * k;
        for (int c = 0; c < k; c++) {
          gradient[b + c] += resid[base + c];
        }
      }
    }
  }

  /**
   * {@code z[i·K + c] = W_c·x_{from+i} + b_c} for {@code i < n}: the K scores of each row,
   * row-major.
   */
  public static void scores(DataBlock block, int from, int n, double[] params,
      boolean fitIntercept, int k, double[] z) {
    int d = block.numFeatures();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        z[i * k + c] = fitIntercept ? params[k * d + c] : 0.0;
      }
    }
    if (d == 0) {
      return;
    }
    if (block.isDense()) {
      // Column-major views: W' = d×K, X' = d×n, Z' = K×n; Z' += W'ᵀ X'.
      BLAS.getInstance().dgemm("T", "N", k, n, d, 1.0, params, 0, d, block.values(), from * d, d,
          1.0, z, 0, k);
    } else {
      int[] indptr = block.indptr();
      int[] indices = block.indices();
      double[] values = block.values();
      for (int i = 0; i < n; i++) {
        int base = i * k;
        for (int q = indptr[from + i], end = indptr[from + i + 1]; q < end; q++) {
          int j = indices[q];
          double v = values[q];
          for (int c = 0; c < k; c++) {
            z[base + c] += params[c * d + j] * v;
          }
        }
      }
    }
  }

  /**
   * {@code z[i·K + c] = scale·(V_c·x_{from+i}) + secondScale·(Y_c·x_{from+i}) + b_c} for
   * {@code i < n}, where {@code params} holds V (coefficients, then intercepts) and after it Y:
   * the scores at {@code W = scale·V + secondScale·Y}. At {@code secondScale == 0} exactly
   * {@link #scores(DataBlock, int, int, double[], double, boolean, int, double[])}.
   */
  public static void scores(DataBlock block, int from, int n, double[] params, double scale,
      double secondScale, boolean fitIntercept, int k, double[] z) {
    if (secondScale == 0.0) {
      scores(block, from, n, params, scale, fitIntercept, k, z);
      return;
    }
    int d = block.numFeatures();
    int offset = k * d + (fitIntercept ? k : 0);
    if (params.length < offset + k * d) {
      throw new IllegalArgumentException("V and Y of " + k + " classes and " + d
          + " features need " + (offset + k * d) + " parameters, got " + params.length);
    }
    double[] values = block.values();
    double[] yz = new double[k];
    for (int i = 0; i < n; i++) {
      int base = i * k;
      for (int c = 0; c < k; c++) {
        z[base + c] = 0.0;
        yz[c] = 0.0;
      }
      if (block.isDense()) {
        int row = (from + i) * d;
        for (int j = 0; j < d; j++) {
          double x = values[row + j];
          for (int c = 0; c < k; c++) {
            z[base + c] += params[c * d + j] * x;
            yz[c] += params[offset + c * d + j] * x;
          }
        }
      } else {
        int[] indptr = block.indptr();
        int[] indices = block.indices();
        for (int q = indptr[from + i], end = indptr[from + i + 1]; q < end; q++) {
          int j = indices[q];
          double x = values[q];
          for (int c = 0; c < k; c++) {
            z[base + c] += params[c * d + j] * x;
            yz[c] += params[offset + c * d + j] * x;
          }
        }
      }
      for (int c = 0; c < k; c++) {
        z[base + c] = scale * z[base + c] + secondScale * yz[c]
            + (fitIntercept ? params[k * d + c] : 0.0);
      }
    }
  }

  /**
   * {@code z[i·K + c] = scale·(V_c·x_{from+i}) + b_c} for {@code i < n}: the scores at the
   * coefficients {@code W = scale·V}. At {@code scale == 1} exactly {@link #scores(DataBlock,
   * int, int, double[], boolean, int, double[])}; dense blocks pass {@code scale} to the GEMM as
   * its α.
   */
  public static void scores(DataBlock block, int from, int n, double[] params, double scale,
      boolean fitIntercept, int k, double[] z) {
    if (scale == 1.0) {
      scores(block, from, n, params, fitIntercept, k, z);
      return;
    }
    int d = block.numFeatures();
    if (block.isDense()) {
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          z[i * k + c] = fitIntercept ? params[k * d + c] : 0.0;
        }
      }
      if (d > 0) {
        BLAS.getInstance().dgemm("T", "N", k, n, d, scale, params, 0, d, block.values(),
            from * d, d, 1.0, z, 0, k);
      }
      return;
    }
    int[] indptr = block.indptr();
    int[] indices = block.indices();
    double[] values = block.values();
    for (int i = 0; i < n; i++) {
      int base = i * k;
      for (int c = 0; c < k; c++) {
        z[base + c] = 0.0;
      }
      for (int q = indptr[from + i], end = indptr[from + i + 1]; q < end; q++) {
        int j = indices[q];
        double v = values[q];
        for (int c = 0; c < k; c++) {
          z[base + c] += params[c * d + j] * v;
        }
      }
      for (int c = 0; c < k; c++) {
        z[base + c] = scale * z[base + c] + (fitIntercept ? params[k * d + c] : 0.0);
      }
    }
  }

  /**
   * Turns the K scores of each of {@code n} rows, starting at {@code z[offset]}, into class
   * probabilities, in place.
   */
  public static void softmaxInPlace(double[] z, int offset, int k, int n) {
    for (int i = 0; i < n; i++) {
      int base = offset + i * k;
      double max = z[base];
      for (int c = 1; c < k; c++) {
        max = Math.max(max, z[base + c]);
      }
      double sum = 0.0;
      for (int c = 0; c < k; c++) {
        z[base + c] = Math.exp(z[base + c] - max);
        sum += z[base + c];
      }
      for (int c = 0; c < k; c++) {
        z[base + c] /= sum;
      }
    }
  }

  /**
   * A softmax model predicts from K scores, not one margin: use {@link #scores} and the class
   * of the largest score.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public double predict(double margin) {
    throw new UnsupportedOperationException(
        "a softmax model predicts the class of the largest of its " + numClasses + " scores");
  }

  @Override
  public String toString() {
    return "softmax(" + numClasses + " classes)";
  }
}
