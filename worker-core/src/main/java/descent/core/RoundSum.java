package descent.core;

import java.io.Serializable;

/**
 * The partial sums of one round of local steps: {@code Σ_p W_p·(θ − θ_p)}, the workers' changes
 * weighted by {@code W_p = Σ s_i} over the rows each read, with {@code Σ W_p}, the loss
 * {@code Σ s_i ℓ_i} of every inner step's window at the parameters it started from, the rows and
 * the inner steps. {@link LocalRound} adds tasks into it; partial sums {@link #merge} in a tree.
 * {@code Σ_p W_p(θ − θ_p) / Σ_p W_p} is the round's pseudo-gradient: with one inner step of plain
 * SGD it is {@code η} times the synchronous step's gradient.
 */
public final class RoundSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numParams;
  /** {@code Σ_p W_p(θ − θ_p)}; null while empty. */
  private double[] change;
  private double weightSum;
  private double lossSum;
  private long rows;
  private long innerSteps;

  public RoundSum(int numParams) {
    this.numParams = numParams;
  }

  /** Adds one task's result: it started from {@code start}, ended at {@code end}. */
  RoundSum add(double[] start, double[] end, double weight, double loss, long taskRows,
      long steps) {
    if (weight > 0) {
      if (change == null) {
        change = new double[numParams];
      }
      for (int j = 0; j < numParams; j++) {
        change[j] += weight * (start[j] - end[j]);
      }
    }
    weightSum += weight;
    lossSum += loss;
    rows += taskRows;
    innerSteps += steps;
    return this;
  }

  /** Adds another partial sum into this one. */
  public RoundSum merge(RoundSum other) {
    if (other.numParams != numParams) {
      throw new IllegalArgumentException("cannot merge round sums of " + other.numParams
          + " and " + numParams + " parameters");
    }
    if (other.change != null) {
      if (change == null) {
        change = other.change.clone();
      } else {
        for (int j = 0; j < numParams; j++) {
          change[j] += other.change[j];
        }
      }
    }
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    rows += other.rows;
    innerSteps += other.innerSteps;
    return this;
  }

  /** {@code Σ_p W_p(θ − θ_p) / Σ_p W_p}: the weighted mean change, a fresh array. */
  public double[] meanChange() {
    if (!(weightSum > 0)) {
      throw new IllegalStateException("the round read no rows with positive weight");
    }
    double[] g = new double[numParams];
    if (change != null) {
      for (int j = 0; j < numParams; j++) {
        g[j] = change[j] / weightSum;
      }
    }
    return g;
  }

  public double weightSum() {
    return weightSum;
  }

  /** {@code Σ s_i ℓ_i} over every inner step's window. */
  public double lossSum() {
    return lossSum;
  }

  public long rows() {
    return rows;
  }

  /** Inner steps taken by all tasks together. */
  public long innerSteps() {
    return innerSteps;
  }
}
