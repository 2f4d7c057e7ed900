package descent.driver.optim;

import descent.driver.Optimizer;
import descent.driver.OptimizerState;
import java.util.Arrays;

/**
 * Delta-bar-delta: a learning rate per parameter that grows while the gradient keeps its sign and
 * shrinks when the sign flips, so flat directions speed up and oscillating ones calm down.
 *
 * <p>Jacobs adapts absolute rates ε_j; here each rate is {@code lr·a_j} with a gain a_j that
 * starts at 1, so the gain is dimensionless (κ means the same whatever the scale of lr) and a
 * learning-rate schedule still applies. With additive increase κ, multiplicative decrease φ and
 * smoothing θ̄ (Jacobs' θ; called {@code theta} here, not to be confused with the parameters):
 * <pre>
 *   a_j ← a_j + κ          if δ̄_j·g_j &gt; 0      (a_j = 1 and δ̄_j = 0 before the first step)
 *   a_j ← a_j·(1 − φ)      if δ̄_j·g_j &lt; 0
 *   θ_j ← θ_j − lr·a_j·g_j
 *   δ̄_j ← (1 − θ̄)·g_j + θ̄·δ̄_j
 * </pre>
 * The rate of a step uses the gain already updated with that step's gradient, as Jacobs' ε(t+1)
 * does. The defaults are choices, not from the paper (its constants were tuned per task): a gain
 * doubles after 20 agreeing steps, a disagreement costs 10%, and under gradients of random sign
 * the gain settles near κ/φ = 0.5.
 *
 * <p>Jacobs, "Increased rates of convergence through learning rate adaptation", Neural Networks
 * 1(4), 295–307, 1988.
 *
 * <p>State: {@link State}, t, a and δ̄.
 */
public final class DeltaBarDelta implements Optimizer {

  /** Default additive increase κ of a gain. */
  public static final double KAPPA = 0.05;
  /** Default multiplicative decrease φ of a gain. */
  public static final double PHI = 0.1;
  /** Default smoothing θ̄ of the averaged gradient δ̄. */
  public static final double THETA = 0.7;

  private static final String NAME = "delta-bar-delta";

  private final double kappa;
  private final double phi;
  private final double theta;

  private long step;
  private double[] gain;
  private double[] deltaBar;

  /** The defaults {@link #KAPPA}, {@link #PHI}, {@link #THETA}. */
  public DeltaBarDelta() {
    this(KAPPA, PHI, THETA);
  }

  /**
   * @param kappa κ &gt;= 0, added to a gain when the gradient agrees with δ̄
   * @param phi φ in [0, 1): a gain is multiplied by 1 − φ when the gradient disagrees with δ̄
   * @param theta θ̄ in [0, 1), the weight of the old δ̄ in the new one
   */
  public DeltaBarDelta(double kappa, double phi, double theta) {
    this.kappa = Checks.nonNegative("kappa", kappa);
    this.phi = Checks.decayRate("phi", phi);
    this.theta = Checks.decayRate("theta", theta);
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    Checks.stepShapes(NAME, params, gradient, gain == null ? -1 : gain.length);
    int n = params.length;
    if (gain == null) {
      gain = new double[n];
      Arrays.fill(gain, 1.0);
      deltaBar = new double[n];
    }
    step++;
    for (int j = 0; j < n; j++) {
      double g = gradient[j];
      double agreement = deltaBar[j] * g;
      if (agreement > 0) {
        gain[j] += kappa;
      } else if (agreement < 0) {
        gain[j] *= 1 - phi;
      }
      params[j] -= lr * gain[j] * g;
      deltaBar[j] = (1 - theta) * g + theta * deltaBar[j];
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link DeltaBarDelta}, written as {@code "delta-bar-delta"}.
   *
   * @param step t, the steps taken
   * @param gain a, each parameter's gain on lr; null at t = 0
   * @param deltaBar δ̄, the exponential average of past gradients; null at t = 0
   */
  public record State(long step, double[] gain, double[] deltaBar) implements OptimizerState {}

  /** A deep copy of t and, after the first step, the gains and δ̄. */
  @Override
  public State state() {
    return new State(step, Checks.copy(gain), Checks.copy(deltaBar));
  }

  @Override
  public void restore(OptimizerState state) {
    State s = Checks.stateOf(NAME, state, State.class);
    double[][] a = Checks.restore(NAME, s.step(), new Checks.Part("gain", s.gain(), true),
        new Checks.Part("deltaBar", s.deltaBar(), true));
    step = s.step();
    gain = a[0];
    deltaBar = a[1];
  }

  public double kappa() {
    return kappa;
  }

  public double phi() {
    return phi;
  }

  public double theta() {
    return theta;
  }

  @Override
  public String toString() {
    return "DeltaBarDelta(kappa=" + kappa + ", phi=" + phi + ", theta=" + theta + ")";
  }
}
