package descent.driver;

import descent.core.ParameterTicket;
import descent.driver.optim.SparseOptimizer;
import java.util.Arrays;

/**
 * The steps of a run on sparse data, each in time proportional to what its mini-batch touched:
 * the executors sum the gradient over the touched coordinates ({@link BatchObjective#evaluateSparse}),
 * a {@link SparseOptimizer} moves only those (the L2 decay in a scale, {@code w = scale·v} on the
 * coefficients), and {@link ParameterShipping} sends the executors the coordinates that changed.
 * No array of the parameters' length is allocated, copied or scanned in a step, except when the
 * optimizer folds its scale back into {@code v} (once in many steps) or the run asks for the
 * parameters whole: a checkpoint, a validation pass, a stop criterion that reads them, the end.
 *
 * <p>With standardized features {@code v} holds the standardized coefficients (the penalty
 * applies to them, as in the dense step) and the executors compute with the raw features'
 * {@code v_j/σ_j}, kept beside it for the changed coordinates.
 *
 * <p>The penalty in the reported objective, {@code regL1·||w||₁ + regL2/2·||w||²}, comes from
 * {@code Σ|v_j|} and {@code Σv_j²} over the coefficients, kept as the touched coordinates change
 * and summed afresh whenever every coordinate may have changed (a fold of the scale, a
 * checkpoint), so a run resumed from a checkpoint reports the same values as one that was not
 * interrupted.
 */
final class SparseSteps implements AutoCloseable {
  private final BatchObjective objective;
  private final SparseOptimizer optimizer;
  private final ParameterShipping shipping;
  private final DivergenceGuard divergence;
  /** {@code v}: the coefficients divided by the optimizer's scale, then the intercepts. */
  private final double[] v;
  private final int numCoefficients;
  /** Null, or {@code 1/σ_j} per coefficient when standardizing: {@code v} is then standardized. */
  private final double[] inverseStd;
  /** When standardizing: the raw features' {@code v_j/σ_j}, which the executors compute with. */
  private final double[] raw;
  private final double regL1;
  private final double regL2;
  /** The optimizer's second vector y, or null: the coefficients are then {@code scale·v}. */
  private final double[] y;
  /**
   * When the optimizer keeps y: v (or raw) and then y (or y's raw-feature form), the array
   * the paired shipping sends.
   */
  private final double[] shipped;
  private double sumAbs;
  private double sumSquares;
  private ParameterTicket ticket;
  /** {@code w}, put together on request; allocated on first use. */
  private double[] w;
  private int[] all;

  /** The outcome of one step, for the report and the stop criteria. */
  record Outcome(double value, double gradientNorm, double stepNorm, long rows) {}

  /**
   * @param v the parameters, updated in place; they hold {@code w} (scale 1) when given and
   *     after {@link #catchUp}
   */
  SparseSteps(BatchObjective objective, SparseOptimizer optimizer, ParameterShipping shipping,
      DivergenceGuard divergence, double[] v, int numCoefficients, double[] inverseStd) {
    this.objective = objective;
    this.optimizer = optimizer;
    this.shipping = shipping;
    this.divergence = divergence;
    this.v = v;
    this.numCoefficients = numCoefficients;
    this.inverseStd = inverseStd;
    this.raw = inverseStd == null ? null : new double[v.length];
    this.regL1 = optimizer.regL1();
    this.regL2 = optimizer.regL2();
    this.y = optimizer.secondVector();
    this.shipped = y == null ? null : new double[2 * v.length];
  }

  /**
   * The parameter shipping {@code optimizer} needs for a model of {@code numParams}
   * parameters: paired when it keeps a second vector.
   */
  static ParameterShipping shippingFor(org.apache.spark.SparkContext sc,
      SparseOptimizer optimizer, int numParams) {
    return optimizer.secondVector() == null ? new ParameterShipping(sc, numParams)
        : ParameterShipping.paired(sc, numParams);
  }

  /**
   * Takes {@code v} as the parameters of the next step, whole: at the start, and after the
   * optimizer's state or {@code v} changed outside a step.
   */
  void reship() {
    sumPenaltyTerms();
    if (raw != null) {
      for (int j = 0; j < v.length; j++) {
        raw[j] = j < numCoefficients ? v[j] * inverseStd[j] : v[j];
      }
    }
    if (shipped != null) {
      int n = v.length;
      for (int j = 0; j < n; j++) {
        shipped[j] = raw != null ? raw[j] : v[j];
        shipped[n + j] = raw != null && j < numCoefficients ? y[j] * inverseStd[j] : y[j];
      }
      ticket = shipping.ship(shipped, optimizer.scale(), optimizer.secondScale(), null);
      return;
    }
    ticket = shipping.ship(raw != null ? raw : v, optimizer.scale(), null);
  }

  /** One step of 1-based {@code step}: the window of step − 1, learning rate {@code lr}. */
  Outcome step(long step, double lr) {
    if (ticket == null) {
      reship();
    }
    SparseEvaluation e = objective.evaluateSparse(step - 1, ticket);
    double scale = optimizer.scale();
    double value = e.loss() + regL1 * Math.abs(scale) * sumAbs
        + 0.5 * regL2 * optimizer.squaredNorm(sumSquares);
    divergence.checkLoss(step, value, lr);
    int[] touched;
    double[] gradient;
    if (e.isSparse()) {
      touched = e.coordinates();
      gradient = e.values();
    } else {
      // The batch touched more than a third of the coordinates: the dense sum is smaller.
      touched = allCoordinates();
      gradient = e.dense();
    }
    int n = touched.length;
    for (int i = 0; i < n && touched[i] < numCoefficients; i++) {
      double x = v[touched[i]];
      sumAbs -= Math.abs(x);
      sumSquares -= x * x;
    }
    optimizer.step(v, touched, gradient, n, lr);
    int[] changed = optimizer.changed();
    int count = optimizer.changedCount();
    divergence.checkChanged(step, value, v, changed, count, optimizer.scale(), lr);
    if (y != null) {
      divergence.checkChanged(step, value, y, changed, count, optimizer.secondScale(), lr);
    }
    if (optimizer.renormalized()) {
      reship();
    } else {
      // The optimizer changes only touched coordinates (a pending L1 penalty is applied at a
      // coordinate's next touch), so the sums take back what they gave up above.
      for (int i = 0; i < n && touched[i] < numCoefficients; i++) {
        double x = v[touched[i]];
        sumAbs += Math.abs(x);
        sumSquares += x * x;
      }
      if (raw != null) {
        for (int i = 0; i < count; i++) {
          int j = changed[i];
          raw[j] = j < numCoefficients ? v[j] * inverseStd[j] : v[j];
        }
      }
      if (shipped != null) {
        ticket = shipPaired(changed, count);
      } else {
        ticket = shipping.ship(raw != null ? raw : v, optimizer.scale(),
            Arrays.copyOf(changed, count));
      }
    }
    return new Outcome(value, optimizer.gradientNorm(), optimizer.stepNorm(), e.rows());
  }

  /**
   * Ships the changed entries of v and, for the coefficients among them, of y: coordinate j of
   * y is entry {@code n + j} of the paired array.
   */
  private ParameterTicket shipPaired(int[] changed, int count) {
    int n = v.length;
    int coefficients = 0;
    for (int i = 0; i < count; i++) {
      int j = changed[i];
      shipped[j] = raw != null ? raw[j] : v[j];
      if (j < numCoefficients) {
        shipped[n + j] = raw != null ? y[j] * inverseStd[j] : y[j];
        coefficients++;
      }
    }
    int[] coordinates = new int[count + coefficients];
    System.arraycopy(changed, 0, coordinates, 0, count);
    for (int i = 0, k = count; i < count && changed[i] < numCoefficients; i++) {
      coordinates[k++] = n + changed[i];
    }
    return shipping.ship(shipped, optimizer.scale(), optimizer.secondScale(), coordinates);
  }

  /**
   * The parameters {@code w} as the executors compute with them ({@code scale·v}, plus
   * {@code secondScale·y} where the optimizer keeps y, on the coefficients), in an array this
   * object reuses: O(d).
   */
  double[] parameters() {
    if (w == null) {
      w = new double[v.length];
    }
    double s = optimizer.scale();
    double r = optimizer.secondScale();
    for (int j = 0; j < v.length; j++) {
      w[j] = j >= numCoefficients ? v[j] : y == null ? s * v[j] : s * v[j] + r * y[j];
    }
    return w;
  }

  /**
   * Brings every coordinate up to date (the scale folded into {@code v}, pending decays and
   * penalties applied), so that {@code v} holds {@code w} and the optimizer can give its state;
   * then ships {@code v} whole. O(d); part of the run, so a checkpoint's step does it whether or
   * not the run is later resumed from there.
   */
  void catchUp() {
    optimizer.catchUp(v);
    reship();
  }

  private void sumPenaltyTerms() {
    double abs = 0.0;
    double squares = 0.0;
    for (int j = 0; j < numCoefficients; j++) {
      abs += Math.abs(v[j]);
      squares += v[j] * v[j];
    }
    sumAbs = abs;
    sumSquares = squares;
  }

  private int[] allCoordinates() {
    if (all == null) {
      all = new int[v.length];
      for (int j = 0; j < all.length; j++) {
        all[j] = j;
      }
    }
    return all;
  }

  @Override
  public void close() {
    shipping.close();
  }
}
