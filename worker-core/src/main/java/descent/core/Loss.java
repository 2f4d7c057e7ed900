package descent.core;

import java.io.Serializable;

/**
 * A per-row loss of a model and its gradient over a range of a {@link DataBlock}: of a linear
 * model, laid out as below, or of a network ({@link MlpLoss}, weights then biases).
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
   * The number of parameters that are not penalized (the intercepts, a network's biases), which
   * follow the {@link #numCoefficients} penalized ones: {@code K} with an intercept, else 0.
   */
  default int numBiases(boolean fitIntercept) {
    return fitIntercept ? numOutputs() : 0;
  }

  /**
   * The coefficients that multiply the features themselves, the first ones of the parameters
   * (standardization scales them): every coefficient of a linear model, the first layer's
   * weights of a network.
   */
  default int numInputCoefficients(int numFeatures) {
    return numCoefficients(numFeatures);
  }

  /**
   * Whether every output is linear in the features, {@code W x + b}: what the sparse step (which
   * moves only the coefficients of the features a batch touched), Newton's method and the scaled
   * kernels assume. A network's outputs are not.
   */
  default boolean isLinear() {
    return true;
  }

  /**
   * The parameters a run starts from when none are given, drawn from {@code seed}, or null for
   * all zeros (a convex loss's start). A network must start away from zero, where every hidden
   * unit of a layer would get the same gradient.
   */
  default double[] initialParams(int numFeatures, boolean fitIntercept, long seed) {
    return null;
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

  /**
   * Like {@link #addGradient(DataBlock, int, int, double[], boolean, double[], Workspace)} at
   * the coefficients {@code w = scale·v}, the intercepts unscaled, without forming w: each row's
   * margin (each class's score) is {@code scale·(x·v) + b}. The gradient is the one with respect
   * to {@code w}, so it does not depend on how w is split into scale and v. A step that decays
   * every coefficient by the same factor changes {@code scale} alone, so the executors' copy of
   * {@code v} changes only where the step touched it. At {@code scale == 1} this is the unscaled
   * method, bit for bit; losses without a scaled kernel refuse any other scale.
   *
   * @throws UnsupportedOperationException when {@code scale ≠ 1} and the loss has no scaled
   *     kernel
   */
  default double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    if (scale == 1.0) {
      return addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    }
    throw unscaled(scale);
  }

  /**
   * {@link #addGradient(DataBlock, int, int, double[], double, boolean, double[], Workspace)}
   * into a {@link SparseSum}, with the same bits as into a dense array.
   */
  default double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (scale == 1.0) {
      return addGradient(block, from, to, params, fitIntercept, gradient, workspace);
    }
    throw unscaled(scale);
  }

  /**
   * {@link #addLoss(DataBlock, int, int, double[], boolean, Workspace)} at the coefficients
   * {@code w = scale·v}, the intercepts unscaled.
   */
  default double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      boolean fitIntercept, Workspace workspace) {
    if (scale == 1.0) {
      return addLoss(block, from, to, params, fitIntercept, workspace);
    }
    throw unscaled(scale);
  }

  /**
   * The gradient at the coefficients {@code w = scale·v + secondScale·y}, the intercepts
   * unscaled, without forming w: {@code params} holds {@code v} (coefficients, then intercepts)
   * and after it {@code y}, each {@link #numParams(int, boolean)} long (y's intercept entries
   * are not read), and each row's margin (each class's score) is
   * {@code scale·(x·v) + secondScale·(x·y) + b}. A sparse momentum step keeps the model this
   * way: the momentum moves every coefficient by the same 2×2 map of {@code (w, buffer)}, so
   * the two scales change alone and the executors' copies of v and y only where the step
   * touched them. At {@code secondScale == 0} this is the scaled method on v, bit for bit;
   * losses without such a kernel refuse any other second scale.
   *
   * @throws UnsupportedOperationException when {@code secondScale ≠ 0} and the loss has no
   *     kernel for it
   */
  default double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, double[] gradient, Workspace workspace) {
    if (secondScale == 0.0) {
      return addGradient(block, from, to, params, scale, fitIntercept, gradient, workspace);
    }
    throw unpaired(secondScale);
  }

  /**
   * {@link #addGradient(DataBlock, int, int, double[], double, double, boolean, double[],
   * Workspace)} into a {@link SparseSum}, with the same bits as into a dense array.
   */
  default double addGradient(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, SparseSum gradient, Workspace workspace) {
    if (secondScale == 0.0) {
      return addGradient(block, from, to, params, scale, fitIntercept, gradient, workspace);
    }
    throw unpaired(secondScale);
  }

  /**
   * {@link #addLoss(DataBlock, int, int, double[], boolean, Workspace)} at the coefficients
   * {@code w = scale·v + secondScale·y}, laid out as in {@link #addGradient(DataBlock, int,
   * int, double[], double, double, boolean, double[], Workspace)}.
   */
  default double addLoss(DataBlock block, int from, int to, double[] params, double scale,
      double secondScale, boolean fitIntercept, Workspace workspace) {
    if (secondScale == 0.0) {
      return addLoss(block, from, to, params, scale, fitIntercept, workspace);
    }
    throw unpaired(secondScale);
  }

  private UnsupportedOperationException unpaired(double secondScale) {
    return new UnsupportedOperationException("the " + this + " loss has no kernel for the"
        + " coefficients w = scale·v + secondScale·y with secondScale " + secondScale
        + ": pass w itself");
  }

  private UnsupportedOperationException unscaled(double scale) {
    return new UnsupportedOperationException("the " + this + " loss evaluates w itself only;"
        + " it has no kernel for the coefficients w = scale·v with scale " + scale
        + ": pass w = scale·v with scale 1");
  }

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
