package descent.driver.optim;

import descent.driver.OptimizerState;
import java.util.Arrays;
/**
 * {@link MomentumSgd} with momentum (heavy ball or Nesterov, with dampening and an L2 penalty) on
 * a sparse gradient, exact: the dense optimizer's model, in time proportional to the touched
 * coordinates.
 *
 * <p><b>Why two vectors.</b> A coefficient the mini-batch did not touch still moves: its
 * gradient is the penalty's {@code λ·w_j} and its buffer {@code b_j} keeps pushing it. One step
 * maps every untouched pair {@code (w_j, b_j)} by the same 2×2 matrix M (κ = μ, ρ = (1 − τ)·λ):
 * <pre>
 *   b' = κ·b + ρ·w
 *   w' = (1 − lr·ρ)·w − lr·κ·b                    (heavy ball)
 *   w' = (1 − lr·λ − lr·μ·ρ)·w − lr·μ·κ·b         (Nesterov)
 * </pre>
 * At the first step b is 0 everywhere and the dense buffer starts as the gradient itself, so
 * κ = 1 (any κ gives b' = ρ·w there; 1 keeps M invertible) and ρ = λ. A pair of vectors and a
 * global 2×2 map P then hold the model: {@code (w_j, b_j) = P·(v_j, y_j)} for every coefficient,
 * {@code w_j = P00·v_j + P01·y_j}. An untouched coefficient costs nothing: {@code P ← M·P}. A
 * touched one is read through P, takes the dense update with its gradient, and is stored back
 * through the new map's inverse. The executors compute margins as
 * {@code P00·(x·v) + P01·(x·y) + b} ({@link #scale()}, {@link #secondScale()}), so they need
 * only the changed entries of v and y a step.
 *
 * <p><b>Keeping P well conditioned.</b> {@code det M = κ} (heavy ball) or {@code κ·(1 − lr·λ)}
 * (Nesterov), so P's condition number grows like {@code μ^−t}, and reading a coordinate through
 * P loses about {@code log10 cond(P)} digits. When the next map's {@code ||P||²_F / |det P|}
 * would pass {@value #MAX_CONDITION}, that step is taken densely instead: every coefficient is
 * read through P, stepped as the dense optimizer steps it, and stored with P = I. That costs
 * O(d) about once in {@code log(MAX_CONDITION)/log(1/μ)} steps (65 at μ = 0.9, 690 at 0.99);
 * {@link #renormalized()} says so. The intercepts (few, unpenalized) take the dense update every
 * step; their buffers are y's entries after the coefficients, which the executors never read.
 *
 * <p>State: {@link MomentumSgd.State}; after {@link #catchUp} (P folded into v and y, so y is
 * the buffer) it is the dense optimizer's record.
 */
final class SparseMomentum extends SparseOptimizer {
  private static final String NAME = "sgd";

  /**
   * The largest {@code ||P||²_F / |det P|} kept; about 3 digits of a coordinate's 16 are then
   * at risk where it is read through P, so sparse and dense runs agree to about 1e-13.
   */
  static final double MAX_CONDITION = 1e3;

  private final double momentum;
  private final double dampening;
  private final boolean nesterov;

  /** y: coefficients' second vector, then the intercepts' momentum buffers. */
  private final double[] y;
  /** Whether no step has set the buffer yet (the dense optimizer's buffer is null). */
  private boolean fresh = true;
  /** P = [[p00, p01], [p10, p11]]: (w_j, b_j) = P·(v_j, y_j) on the coefficients. */
  private double p00 = 1.0;
  private double p01;
  private double p10;
  private double p11 = 1.0;
  /** Σ v_j², Σ v_j·y_j, Σ y_j² over the coefficients; NaN until first computed. */
  private double svv = Double.NaN;
  private double svy;
  private double syy;

  private int[] changedBuffer = new int[0];
  private int[] all;

  SparseMomentum(int numParams, int numCoefficients, double regL2, double momentum,
      double dampening, boolean nesterov) {
    super(NAME, SparseUpdate.EXACT, numParams, numCoefficients, 0.0, regL2, 0.0, true);
    if (!(momentum > 0)) {
      throw new IllegalArgumentException("the sparse momentum step needs momentum > 0, got "
          + momentum);
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
    this.y = new double[numParams];
  }

  @Override
  void takeStep(double[] v, int[] indices, double[] values, int count, double lr, long t) {
    int nc = numCoefficients();
    int n = numParams();
    if (Double.isNaN(svv)) {
      sums(v);
    }
    double mu = momentum;
    double lambda = regL2();
    double kappa = fresh ? 1.0 : mu;
    double rho = fresh ? lambda : (1 - dampening) * lambda;
    double m00 = nesterov ? 1 - lr * lambda - lr * mu * rho : 1 - lr * rho;
    double m01 = nesterov ? -lr * mu * kappa : -lr * kappa;
    double q00 = m00 * p00 + m01 * p10;
    double q01 = m00 * p01 + m01 * p11;
    double q10 = rho * p00 + kappa * p10;
    double q11 = rho * p01 + kappa * p11;
    double det = q00 * q11 - q01 * q10;
    double norm2 = q00 * q00 + q01 * q01 + q10 * q10 + q11 * q11;
    boolean dense = !(Math.abs(det) * MAX_CONDITION >= norm2) || !(norm2 >= MIN_SCALE);

    double gradSq = 0.0;
    double stepSq = 0.0;
    int coefficientsTouched = 0;
    while (coefficientsTouched < count && indices[coefficientsTouched] < nc) {
      coefficientsTouched++;
    }
    if (dense) {
      // Every coefficient read through P and stepped as the dense optimizer steps it; P = I.
      int i = 0;
      for (int j = 0; j < nc; j++) {
        double g = 0.0;
        if (i < coefficientsTouched && indices[i] == j) {
          g = values[i++];
        }
        double w = p00 * v[j] + p01 * y[j];
        double b = p10 * v[j] + p11 * y[j];
        double gf = g + lambda * w;
        double bn = fresh ? gf : mu * b + (1 - dampening) * gf;
        double wn = w - lr * (nesterov ? gf + mu * bn : bn);
        gradSq += gf * gf;
        stepSq += (wn - w) * (wn - w);
        v[j] = wn;
        y[j] = bn;
      }
      resetMap();
      sums(v);
    } else {
      double tvv = 0.0;
      double tvy = 0.0;
      double tyy = 0.0;
      double nvv = 0.0;
      double nvy = 0.0;
      double nyy = 0.0;
      for (int i = 0; i < coefficientsTouched; i++) {
        int j = indices[i];
        double vj = v[j];
        double yj = y[j];
        tvv += vj * vj;
        tvy += vj * yj;
        tyy += yj * yj;
        double w = p00 * vj + p01 * yj;
        double b = p10 * vj + p11 * yj;
        double gf = values[i] + lambda * w;
        double bn = fresh ? gf : mu * b + (1 - dampening) * gf;
        double wn = w - lr * (nesterov ? gf + mu * bn : bn);
        gradSq += gf * gf;
        stepSq += (wn - w) * (wn - w);
        double x = (q11 * wn - q01 * bn) / det;
        double z = (q00 * bn - q10 * wn) / det;
        v[j] = x;
        y[j] = z;
        nvv += x * x;
        nvy += x * z;
        nyy += z * z;
      }
      // The untouched coefficients: |λ·w|² and |Δw|² as quadratic forms of the sums.
      double uvv = Math.max(0.0, svv - tvv);
      double uvy = svy - tvy;
      double uyy = Math.max(0.0, syy - tyy);
      double ww = p00 * p00 * uvv + 2 * p00 * p01 * uvy + p01 * p01 * uyy;
      gradSq += lambda * lambda * Math.max(0.0, ww);
      double d0 = q00 - p00;
      double d1 = q01 - p01;
      stepSq += Math.max(0.0, d0 * d0 * uvv + 2 * d0 * d1 * uvy + d1 * d1 * uyy);
      svv = uvv + nvv;
      svy = uvy + nvy;
      syy = uyy + nyy;
      p00 = q00;
      p01 = q01;
      p10 = q10;
      p11 = q11;
    }
    // The intercepts take the dense update every step: g = 0 where untouched.
    for (int j = nc, i = coefficientsTouched; j < n; j++) {
      double g = 0.0;
      if (i < count && indices[i] == j) {
        g = values[i++];
      }
      double w = v[j];
      double bn = fresh ? g : mu * y[j] + (1 - dampening) * g;
      double wn = w - lr * (nesterov ? g + mu * bn : bn);
      gradSq += g * g;
      stepSq += (wn - w) * (wn - w);
      v[j] = wn;
      y[j] = bn;
    }
    fresh = false;

    int[] changed;
    int changedCount;
    if (dense) {
      if (all == null) {
        all = new int[n];
        for (int j = 0; j < n; j++) {
          all[j] = j;
        }
      }
      changed = all;
      changedCount = n;
    } else {
      changedCount = coefficientsTouched + (n - nc);
      if (changedBuffer.length < changedCount) {
        changedBuffer = new int[Math.min(n, Math.max(changedCount, 2 * changedBuffer.length))];
      }
      System.arraycopy(indices, 0, changedBuffer, 0, coefficientsTouched);
      for (int j = nc, k = coefficientsTouched; j < n; j++) {
        changedBuffer[k++] = j;
      }
      changed = changedBuffer;
    }
    recordStep(changed, changedCount, dense, Math.sqrt(gradSq), Math.sqrt(stepSq));
  }

  /** P = I: v holds the model and y the buffers. */
  private void resetMap() {
    p00 = 1.0;
    p01 = 0.0;
    p10 = 0.0;
    p11 = 1.0;
  }

  private void sums(double[] v) {
    double vv = 0.0;
    double vy = 0.0;
    double yy = 0.0;
    for (int j = 0, nc = numCoefficients(); j < nc; j++) {
      vv += v[j] * v[j];
      vy += v[j] * y[j];
      yy += y[j] * y[j];
    }
    svv = vv;
    svy = vy;
    syy = yy;
  }

  @Override
  void beginStep(long t, double lr) {
    throw new AssertionError("SparseMomentum takes its own step");
  }

  @Override
  double delta(int j, double g, long t, double lr) {
    throw new AssertionError("SparseMomentum takes its own step");
  }

  /** Folds P into v and y: then v is the model and y the momentum buffer. */
  @Override
  void catchUpState(long t, double[] v) {
    if (p00 != 1.0 || p01 != 0.0 || p10 != 0.0 || p11 != 1.0) {
      for (int j = 0, nc = numCoefficients(); j < nc; j++) {
        double w = p00 * v[j] + p01 * y[j];
        double b = p10 * v[j] + p11 * y[j];
        v[j] = w;
        y[j] = b;
      }
      resetMap();
    }
    svv = Double.NaN;
  }

  @Override
  OptimizerState denseState() {
    return new MomentumSgd.State(steps(), fresh ? null : y.clone());
  }

  @Override
  long restoreState(OptimizerState state) {
    MomentumSgd.State s = Checks.stateOf(NAME, state, MomentumSgd.State.class);
    double[][] a = Checks.restore(NAME, s.step(),
        new Checks.Part("momentumBuffer", s.momentumBuffer(), true));
    checkLength(a[0]);
    fresh = a[0] == null;
    // In place: the caller ships the array secondVector() gave it.
    if (fresh) {
      Arrays.fill(y, 0.0);
    } else {
      System.arraycopy(a[0], 0, y, 0, y.length);
    }
    resetMap();
    svv = Double.NaN;
    return s.step();
  }

  /** P00: the coefficients are {@code P00·v_j + P01·y_j}. */
  @Override
  public double scale() {
    return p00;
  }

  @Override
  public double[] secondVector() {
    return y;
  }

  /** P01: the coefficients are {@code P00·v_j + P01·y_j}. */
  @Override
  public double secondScale() {
    return p01;
  }

  /** {@code Σ w_j² = P00²·Σv² + 2·P00·P01·Σvy + P01²·Σy²}, kept as v and y change. */
  @Override
  public double squaredNorm(double vSquares) {
    if (Double.isNaN(svv)) {
      return vSquares; // P = I until the first step after a start, restore or catch-up
    }
    return Math.max(0.0, p00 * p00 * svv + 2 * p00 * p01 * svy + p01 * p01 * syy);
  }

  @Override
  String hyperparameters() {
    return "momentum=" + momentum + ", dampening=" + dampening + ", nesterov=" + nesterov;
  }

}
