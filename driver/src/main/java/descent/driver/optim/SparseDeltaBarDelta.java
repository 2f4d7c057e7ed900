package descent.driver.optim;

import descent.driver.OptimizerState;
import java.util.Arrays;

/**
 * {@link DeltaBarDelta} on a sparse gradient. An untouched coordinate has g_j = 0: its gain and
 * its parameter stay put and only its averaged gradient decays, {@code δ̄_j ← θ̄·δ̄_j}, which is
 * caught up by θ̄^k at its next touch ({@code k} steps later) and at {@link #catchUp}:
 * <pre>
 *   δ̄_j ← θ̄^k·δ̄_j                                                  (catch-up)
 *   a_j ← a_j + κ  if δ̄_j·g_j &gt; 0,   a_j ← a_j·(1 − φ)  if δ̄_j·g_j &lt; 0
 *   w_j ← w_j − lr·a_j·g_j,   δ̄_j ← (1 − θ̄)·g_j + θ̄·δ̄_j
 * </pre>
 * Exact without an L2 penalty (to rounding: a δ̄_j that the dense path's repeated products
 * and the power θ̄^k take to underflow at different steps could turn one gain change); lazy with
 * one, its gradient added on the touched coefficients only.
 *
 * <p>State: {@link DeltaBarDelta.State}.
 */
final class SparseDeltaBarDelta extends SparseOptimizer {
  private static final String NAME = "delta-bar-delta";

  private final double kappa;
  private final double phi;
  private final double theta;

  private double[] gain;
  private double[] deltaBar;
  /** t_j: the step coordinate j's δ̄ is up to. */
  private int[] upTo;

  SparseDeltaBarDelta(SparseUpdate mode, int numParams, int numCoefficients, double regL1,
      double regL2, double kappa, double phi, double theta) {
    super(NAME, mode, numParams, numCoefficients, regL1, regL2, 0, true);
    this.kappa = kappa;
    this.phi = phi;
    this.theta = theta;
  }

  @Override
  void beginStep(long t, double lr) {
    if (t > Integer.MAX_VALUE) {
      throw new IllegalStateException(NAME + ": more than " + Integer.MAX_VALUE + " steps");
    }
    if (gain == null) {
      int n = numParams();
      gain = new double[n];
      Arrays.fill(gain, 1.0);
      deltaBar = new double[n];
      upTo = new int[n];
    }
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    double d = deltaBar[j];
    long k = t - 1 - upTo[j];
    if (k > 0) {
      d *= Math.pow(theta, k);
    }
    upTo[j] = (int) t;
    double agreement = d * g;
    if (agreement > 0) {
      gain[j] += kappa;
    } else if (agreement < 0) {
      gain[j] *= 1 - phi;
    }
    deltaBar[j] = (1 - theta) * g + theta * d;
    return lr * gain[j] * g;
  }

  @Override
  void catchUpState(long t, double[] v) {
    if (gain == null) {
      return;
    }
    long lastK = -1;
    double decay = 1.0;
    for (int j = 0; j < upTo.length; j++) {
      long k = t - upTo[j];
      if (k > 0) {
        if (k != lastK) {
          decay = Math.pow(theta, k);
          lastK = k;
        }
        deltaBar[j] *= decay;
      }
      upTo[j] = (int) t;
    }
  }

  @Override
  OptimizerState denseState() {
    return new DeltaBarDelta.State(steps(), Checks.copy(gain), Checks.copy(deltaBar));
  }

  @Override
  long restoreState(OptimizerState state) {
    DeltaBarDelta.State s = Checks.stateOf(NAME, state, DeltaBarDelta.State.class);
    double[][] a = Checks.restore(NAME, s.step(), new Checks.Part("gain", s.gain(), true),
        new Checks.Part("deltaBar", s.deltaBar(), true));
    checkLength(a[0]);
    upTo = caughtUpAt(NAME, s.step(), a[0]);
    gain = a[0];
    deltaBar = a[1];
    return s.step();
  }

  @Override
  String hyperparameters() {
    return "kappa=" + kappa + ", phi=" + phi + ", theta=" + theta;
  }
}
