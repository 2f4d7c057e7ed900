package descent.core;

import java.io.Serializable;

/**
 * The partial sums of one step: {@code Σ s_i ℓ_i}, {@code Σ s_i ∇ℓ_i} (when asked for), the Hessian {@code Σ s_i ∇²ℓ_i}
 * (for Newton's method) and
 * {@code Σ s_i} over the rows a task read. Tasks {@link #add} blocks into their own accumulator;
 * {@code treeAggregate} {@link #merge}s them. The gradient buffer is allocated on first use, so
 * an empty accumulator costs a few bytes to ship.
 *
 * <p>The gradient follows the data. Rows of a CSR block sum into a {@link SparseSum}, which
 * holds only the coordinates they touch and turns dense when a dense array would be smaller
 * (see there); rows of a dense block sum into a dense array, and a sparse sum that meets a dense
 * block turns dense first. Partial sums merge sparse with sparse (sparse unless the union
 * outgrows the rule), and sparse with dense either way round (dense). Each coordinate receives
 * its terms in row order within a task and partial sums in merge order either way, so a sparse
 * sum has the bits of the dense one; the serialized form of a sparse one carries its entries
 * only.
 */
public final class GradientAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numParams;
  private final boolean withGradient;
  private final boolean withHessian;
  /** The dense gradient sum; null while empty or sparse. */
  private double[] gradient;
  /** The gradient sum of CSR rows while it is sparse; null otherwise. */
  private SparseSum sparse;
  /** False to keep the dense path for CSR rows too (to test that both give the same bits). */
  private final boolean sparseRows;
  private double[] hessian;
  private double lossSum;
  private double weightSum;
  private long rows;
  private transient Workspace workspace;

  /**
   * @param numParams parameter count (features, plus one for an intercept)
   * @param withGradient false to sum the loss only (objective evaluation)
   */
  public GradientAccumulator(int numParams, boolean withGradient) {
    this(numParams, withGradient, false, true);
  }

  private GradientAccumulator(int numParams, boolean withGradient, boolean withHessian,
      boolean sparseRows) {
    this.numParams = numParams;
    this.withGradient = withGradient;
    this.withHessian = withHessian;
    this.sparseRows = sparseRows;
  }

  /** Whether this accumulator sums the gradient, not the loss alone. */
  public boolean hasGradient() {
    return withGradient;
  }

  /** An accumulator that sums every gradient densely, CSR rows too: the reference of the tests. */
  static GradientAccumulator alwaysDense(int numParams) {
    return new GradientAccumulator(numParams, true, false, false);
  }

  /**
   * An accumulator that also sums the Hessian {@code Σ s_i ∇²ℓ_i}, a dense {@code p×p} matrix
   * ({@code 8p²} bytes to ship), for Newton's method.
   */
  public static GradientAccumulator withHessian(int numParams) {
    return new GradientAccumulator(numParams, true, true, false);
  }

  /** Adds the rows {@code [from, to)} of {@code block}. */
  public GradientAccumulator add(DataBlock block, int from, int to, Loss loss, double[] params,
      boolean fitIntercept) {
    return add(block, from, to, loss, params, 1.0, fitIntercept);
  }

  /**
   * Adds the rows {@code [from, to)} of {@code block} at the coefficients {@code w = scale·v}
   * ({@code params} holds v, then the intercepts unscaled): the loss and the gradient with
   * respect to w, without forming w. At {@code scale == 1} the same bits as
   * {@link #add(DataBlock, int, int, Loss, double[], boolean)}.
   *
   * @throws UnsupportedOperationException for {@code scale ≠ 1} on an accumulator that sums the
   *     Hessian, or with a loss that has no scaled kernel
   */
  public GradientAccumulator add(DataBlock block, int from, int to, Loss loss, double[] params,
      double scale, boolean fitIntercept) {
    return add(block, from, to, loss, params, scale, 0.0, fitIntercept);
  }

  /**
   * Adds the rows {@code [from, to)} of {@code block} at the coefficients
   * {@code w = scale·v + secondScale·y}: {@code params} holds v (then the intercepts, unscaled)
   * and, when it is twice the parameter count long, y after it (see {@code Loss.addGradient}
   * with a second scale). A {@code params} of the parameter count is v alone and needs
   * {@code secondScale == 0}. At {@code secondScale == 0} the same bits as
   * {@link #add(DataBlock, int, int, Loss, double[], double, boolean)}.
   *
   * @throws UnsupportedOperationException for {@code scale ≠ 1} or {@code secondScale ≠ 0} on an
   *     accumulator that sums the Hessian, or with a loss that has no such kernel
   */
  public GradientAccumulator add(DataBlock block, int from, int to, Loss loss, double[] params,
      double scale, double secondScale, boolean fitIntercept) {
    if (to <= from) {
      return this;
    }
    int expected = loss.numParams(block.numFeatures(), fitIntercept);
    boolean paired = params.length == 2 * numParams;
    if (expected != numParams || (params.length != numParams && !paired)) {
      throw new IllegalArgumentException("block of " + block.numFeatures()
          + " features does not fit " + numParams + " parameters");
    }
    if (secondScale != 0.0 && !paired) {
      throw new IllegalArgumentException("a second scale " + secondScale + " needs v and y, "
          + 2 * numParams + " parameters, got " + params.length);
    }
    if (workspace == null) {
      workspace = new Workspace();
    }
    if (withHessian) {
      if (scale != 1.0 || secondScale != 0.0 || paired) {
        throw new UnsupportedOperationException("the Hessian is summed at w itself only, not at"
            + " w = scale·v" + (paired ? " + secondScale·y" : "") + " with scale " + scale);
      }
      if (gradient == null) {
        gradient = new double[numParams];
        hessian = new double[numParams * numParams];
      }
      lossSum += loss.addGradientAndHessian(block, from, to, params, fitIntercept, gradient,
          hessian, workspace);
    } else if (withGradient) {
      if (sparse == null && gradient == null && sparseRows && !block.isDense()) {
        int[] indptr = block.indptr();
        sparse = SparseSum.create(numParams, indptr[to] - indptr[from]);
      }
      if (sparse != null && (block.isDense() || sparse.isDense())) {
        gradient = sparse.dense();
        sparse = null;
      }
      if (sparse != null) {
        lossSum += loss.addGradient(block, from, to, params, scale, secondScale, fitIntercept,
            sparse, workspace);
        if (sparse.isDense()) {
          gradient = sparse.dense();
          sparse = null;
        }
      } else {
        if (gradient == null) {
          gradient = new double[numParams];
        }
        lossSum += loss.addGradient(block, from, to, params, scale, secondScale, fitIntercept,
            gradient, workspace);
      }
    } else {
      lossSum += loss.addLoss(block, from, to, params, scale, secondScale, fitIntercept,
          workspace);
    }
    double[] weights = block.weights();
    if (weights == null) {
      weightSum += to - from;
    } else {
      for (int i = from; i < to; i++) {
        weightSum += weights[i];
      }
    }
    rows += to - from;
    return this;
  }

  /** Adds another accumulator's sums into this one. */
  public GradientAccumulator merge(GradientAccumulator other) {
    if (other.numParams != numParams || other.withGradient != withGradient
        || other.withHessian != withHessian) {
      throw new IllegalArgumentException("cannot merge accumulators of " + other.numParams
          + " and " + numParams + " parameters");
    }
    if (other.rows == 0) {
      return this;
    }
    if (other.sparse != null) {
      if (other.sparse.dimension() != numParams) {
        throw new IllegalArgumentException("cannot merge a sparse gradient of "
            + other.sparse.dimension() + " coordinates into " + numParams + " parameters");
      }
      if (gradient != null) {
        other.sparse.addInto(gradient);
      } else if (sparse != null) {
        sparse.addAll(other.sparse);
        if (sparse.isDense()) {
          gradient = sparse.dense();
          sparse = null;
        }
      } else {
        sparse = other.sparse.copy();
      }
    } else if (other.gradient != null) {
      if (other.gradient.length != numParams) {
        throw new IllegalArgumentException("cannot merge a gradient of "
            + other.gradient.length + " coordinates into " + numParams + " parameters");
      }
      if (sparse != null) {
        gradient = sparse.dense();
        sparse = null;
      }
      if (gradient == null) {
        gradient = other.gradient.clone();
      } else {
        double[] g = other.gradient;
        for (int j = 0; j < numParams; j++) {
          gradient[j] += g[j];
        }
      }
    }
    if (other.hessian != null) {
      if (hessian == null) {
        hessian = other.hessian.clone();
      } else {
        double[] h = other.hessian;
        for (int j = 0; j < h.length; j++) {
          hessian[j] += h[j];
        }
      }
    }
    lossSum += other.lossSum;
    weightSum += other.weightSum;
    rows += other.rows;
    return this;
  }

  public int numParams() {
    return numParams;
  }

  /** {@code Σ s_i ℓ_i}. */
  public double lossSum() {
    return lossSum;
  }

  /** {@code Σ s_i}: the row count when rows carry no weight. */
  public double weightSum() {
    return weightSum;
  }

  public long rows() {
    return rows;
  }

  /** The summed gradient (zeros when no row was added); a fresh dense copy. */
  public double[] gradientSum() {
    if (sparse != null) {
      return sparse.toArray();
    }
    return gradient == null ? new double[numParams] : gradient.clone();
  }

  /**
   * The coordinates of a sparse gradient sum, ascending, with their sums written into
   * {@code valuesOut} (at least {@link #storedCoordinates()} long, or null): the touched part
   * of the gradient without a dense array. An empty accumulator has none.
   *
   * @throws IllegalStateException when the sum is dense (read {@link #gradientSum()} then)
   */
  public int[] gradientCoordinates(double[] valuesOut) {
    if (sparse != null) {
      return sparse.coordinates(valuesOut);
    }
    if (gradient == null) {
      return new int[0];
    }
    throw new IllegalStateException("the gradient sum is dense; read gradientSum()");
  }

  /** Whether the gradient sum is held sparsely (only the coordinates the rows touched). */
  public boolean isSparse() {
    return sparse != null;
  }

  /**
   * The coordinates the gradient sum holds: those touched while sparse, every one once dense,
   * 0 while empty.
   */
  public int storedCoordinates() {
    if (sparse != null) {
      return sparse.size();
    }
    return gradient == null ? 0 : numParams;
  }

  /**
   * The summed Hessian as a full symmetric column-major {@code p×p} matrix (zeros when no row
   * was added); a fresh copy.
   *
   * @throws IllegalStateException if this accumulator was not made by {@link #withHessian}
   */
  public double[] hessianSum() {
    if (!withHessian) {
      throw new IllegalStateException("this accumulator does not sum the Hessian");
    }
    int p = numParams;
    double[] h = hessian == null ? new double[p * p] : hessian.clone();
    for (int k = 0; k < p; k++) {
      for (int j = k + 1; j < p; j++) {
        h[j + k * p] = h[k + j * p];
      }
    }
    return h;
  }
}
