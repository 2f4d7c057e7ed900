package descent.core;

import dev.ludovic.netlib.blas.BLAS;

/**
 * A loss that depends on a row only through its margin {@code m = w·x + b}:
 * {@code ℓ(m, y)} with derivative {@code ℓ'(m, y)}, so the gradient of a row is
 * {@code ℓ'(m, y)·(x, 1)}. The kernel computes the margins of a row range (one GEMV for a dense
 * block, one pass for CSR), lets the subclass turn them into losses and multipliers in one loop,
 * and adds {@code Xᵀ·multipliers} into the gradient (a second GEMV for dense blocks).
 */
public abstract class MarginLoss implements Loss {
  private static final long serialVersionUID = 1L;

  /**
   * For {@code i < n}: {@code mult[i] = s_i ℓ'(margins[i], labels[offset+i])}; returns
   * {@code Σ s_i ℓ(margins[i], labels[offset+i])}, with {@code s_i = weights[offset+i]} or 1.
   */
  protected abstract double lossAndMultipliers(double[] margins, double[] labels,
      double[] weights, int offset, int n, double[] mult);

  /** Returns {@code Σ s_i ℓ(margins[i], labels[offset+i])} for {@code i < n}. */
  protected abstract double lossSum(double[] margins, double[] labels, double[] weights,
      int offset, int n);

  @Override
  public final double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    int n = to - from;
    if (n <= 0) {
      return 0.0;
    }
    double[] margins = workspace.margins(n);
    margins(block, from, n, params, fitIntercept, margins);
    double[] mult = workspace.multipliers(n);
    double loss = lossAndMultipliers(margins, block.labels(), block.weights(), from, n, mult);
    int d = block.numFeatures();
    if (block.isDense()) {
      if (d > 0) {
        BLAS.getInstance().dgemv("N", d, n, 1.0, block.values(), from * d, d, mult, 0, 1, 1.0,
            gradient, 0, 1);
      }
    } else {
      int[] indptr = block.indptr();
      int[] indices = block.indices();
      double[] values = block.values();
      for (int i = 0; i < n; i++) {
        double g = mult[i];
        for (int k = indptr[from + i], end = indptr[from + i + 1]; k < end; k++) {
          gradient[indices[k]] += g * values[k];
        }
      }
    }
    if (fitIntercept) {
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        sum += mult[i];
      }
      gradient[d] += sum;
    }
    return loss;
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
