package descent.core;

import java.io.Serializable;

/**
 * A per-row loss of a linear model and its gradient over a range of a {@link DataBlock}.
 * A model with K outputs (K = 1 except for softmax) has parameters laid out as
 * {@code [W (K×d, row-major: output k's coefficients at k·d .. k·d+d−1), b_0 .. b_{K−1}]}: the
 * coefficients, then the intercepts when the model fits them; for K = 1 that is
 * {@code [w_0 .. w_{d-1}, b]}. Both methods walk the rows once and allocate nothing per row.
 */
public interface Loss extends Serializable {

  /** The labels this loss accepts. */
  LabelDomain labelDomain();

  /** Outputs per row: 1 for a loss of the margin, K for a K-class softmax. */
  default int numOutputs() {
    return 1;
  }

  /** The parameter count for {@code numFeatures} features: {@code K·(d + intercept)}. */
  default int numParams(int numFeatures, boolean fitIntercept) {
    return numOutputs() * (numFeatures + (fitIntercept ? 1 : 0));
  }

  /** The number of penalized parameters (every one but the intercepts): {@code K·d}. */
  default int numCoefficients(int numFeatures) {
    return numOutputs() * numFeatures;
  }

  /**
   * Adds {@code Σ_i s_i ∇ℓ_i} over rows {@code [from, to)} into {@code gradient}, where
   * {@code s_i} is the row's weight (1 when the block has none), and returns {@code Σ_i s_i ℓ_i}.
   */
  double addGradient(DataBlock block, int from, int to, double[] params, boolean fitIntercept,
      double[] gradient, Workspace workspace);

  /**
   * Like {@link #addGradient(DataBlock, int, int, double[], boolean, double[], Workspace)}, into a
   * {@link SparseSum}: the same terms added in the same order, so the sum has the same bits as
   * the dense one. Losses with a sparse kernel for CSR blocks override it; this default turns the
   * sum dense and adds into the array.
   */
  default double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    return addGradient(block, from, to, params, fitIntercept, gradient.dense(), workspace);
  }

  /** Returns {@code Σ_i s_i ℓ_i} over rows {@code [from, to)} without a gradient. */
  double addLoss(DataBlock block, int from, int to, double[] params, boolean fitIntercept,
      Workspace workspace);

  /** What the model predicts for a row with margin {@code w·x + b}. */
  double predict(double margin);

  /** Whether {@link #addGradientAndHessian} is available (the loss is twice differentiable). */
  default boolean hasHessian() {
    return false;
  }

  /**
   * Like {@link #addGradient}, and also adds {@code Σ_i s_i ℓ''_i x̃_i x̃_iᵀ} (with
   * {@code x̃ = (x, 1)} when the model fits an intercept) into the upper triangle of
   * {@code hessian}, a column-major {@code p×p} matrix with {@code p = params.length}: entry
   * {@code (j, k)}, {@code j ≤ k}, lives at {@code hessian[j + k·p]}. Readers use only the upper
   * triangle; what a loss adds below it is unspecified. For Newton's method, with modest
   * {@code p}.
   *
   * @throws UnsupportedOperationException if the loss has no second derivative
   */
  default double addGradientAndHessian(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, double[] hessian, Workspace workspace) {
    throw new UnsupportedOperationException("the " + this + " loss has no second derivative");
  }
}
