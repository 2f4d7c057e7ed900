package descent.driver;

/**
 * The training objective {@code F(θ) = Σ s_i ℓ_i / Σ s_i + (regL2/2)||w||²} over a fixed set of
 * rows, as a function the second-order optimizers can probe: each call is one distributed pass
 * (broadcast, treeAggregate), so Newton's Hessian and L-BFGS's line-search evaluations run on the
 * executors like every gradient.
 */
public interface ObjectiveFunction {

  /** The number of parameters {@code p}. */
  int dimension();

  /** {@code F(θ)} and {@code ∇F(θ)}. */
  Evaluation evaluate(double[] params);

  /** {@code F(θ)}, {@code ∇F(θ)} and {@code ∇²F(θ)}, summed in the same pass. */
  Evaluation evaluateWithHessian(double[] params);

  /** {@code F(θ)} alone, a cheaper pass without the gradient. */
  double value(double[] params);
}
