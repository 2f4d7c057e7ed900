package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;

/**
 * AdamW: {@link Adam} with weight decay decoupled from the gradient, so the decay is not divided
 * by Adam's per-parameter scale and acts the same on every coefficient. As PyTorch's
 * {@code torch.optim.AdamW}, except that only the coefficients decay: intercepts are never
 * regularized in descent.
 *
 * <p>Parameters are laid out {@code [w_0..w_{d−1}, b...]} with d = {@code numCoefficients}. With
 * weight decay λ, each step first shrinks the coefficients and then takes Adam's step:
 * <pre>
 *   θ_j ← θ_j·(1 − lr·λ)      for j &lt; d only
 *   θ_t = θ − lr·m̂_t / (√v̂_t + ε)        (Adam, amsgrad as there)
 * </pre>
 * The gradient given may also hold an L2 penalty's gradient; that one goes through Adam's
 * scaling as usual, so with AdamW one usually sets the L2 penalty to 0.
 *
 * <p>Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 *
 * <p>State: {@link State}, as {@link Adam}'s.
 */
public final class AdamW implements Optimizer {

  /** PyTorch's default decoupled weight decay λ for AdamW. */
  public static final double WEIGHT_DECAY = 1e-2;

  private static final String NAME = "adamw";

  private final int numCoefficients;
  private final double weightDecay;
  private final Adam adam;

  /** PyTorch's defaults, for a model whose first {@code numCoefficients} parameters decay. */
  public AdamW(int numCoefficients) {
    this(numCoefficients, Adam.BETA1, Adam.BETA2, Adam.EPS, WEIGHT_DECAY, Adam.AMSGRAD);
  }

  /**
   * @param numCoefficients d &gt;= 0: the parameters [0, d) decay, those after are intercepts
   * @param beta1 β1 in [0, 1)
   * @param beta2 β2 in [0, 1)
   * @param eps ε &gt; 0
   * @param weightDecay λ &gt;= 0
   * @param amsgrad as {@link Adam}
   */
  public AdamW(int numCoefficients, double beta1, double beta2, double eps, double weightDecay,
      boolean amsgrad) {
    this.numCoefficients = Checks.nonNegative("numCoefficients", numCoefficients);
    this.weightDecay = Checks.nonNegative("weightDecay", weightDecay);
    this.adam = new Adam(NAME, beta1, beta2, eps, amsgrad);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    adam.checkStep(params, gradient);
    Checks.coversCoefficients(NAME, params, numCoefficients);
    double shrink = 1 - lr * weightDecay;
    for (int j = 0; j < numCoefficients; j++) {
      params[j] *= shrink;
    }
    adam.step(params, gradient, lr);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link AdamW}, written as {@code "adamw"}: {@link Adam.State}'s fields, a type
   * of its own so that an Adam checkpoint is not taken for an AdamW one.
   *
   * @param step t, the steps taken
   * @param expAvg m_t, the first moment (not bias-corrected); null at t = 0
   * @param expAvgSq v_t, the second moment (not bias-corrected); null at t = 0
   * @param maxExpAvgSq vmax_t, the largest v so far; null at t = 0 and unless amsgrad
   */
  public record State(long step, double[] expAvg, double[] expAvgSq, double[] maxExpAvgSq)
      implements OptimizerState {}

  /** A deep copy of t and, after the first step, Adam's moments. */
  @Override
  public State state() {
    Adam.State a = adam.state();
    return new State(a.step(), a.expAvg(), a.expAvgSq(), a.maxExpAvgSq());
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    adam.restore(s.step(), s.expAvg(), s.expAvgSq(), s.maxExpAvgSq(), numCoefficients);
  }

  public int numCoefficients() {
    return numCoefficients;
  }

  public double beta1() {
    return adam.beta1();
  }

  public double beta2() {
    return adam.beta2();
  }

  public double eps() {
    return adam.eps();
  }

  public double weightDecay() {
    return weightDecay;
  }

  public boolean amsgrad() {
    return adam.amsgrad();
  }

  @Override
  public String toString() {
    return "AdamW(numCoefficients=" + numCoefficients + ", beta1=" + adam.beta1() + ", beta2="
        + adam.beta2() + ", eps=" + adam.eps() + ", weightDecay=" + weightDecay + ", amsgrad="
        + adam.amsgrad() + ")";
  }
}
