package descent.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a batch-normalized {@link MlpLoss} needs beyond its parameters: per hidden unit, the mean
 * {@code μ} and the (biased) variance {@code σ²} of its pre-activations over the whole
 * mini-batch, and for the backward pass the batch sums {@code Σ_i ∂J/∂y_i} and
 * {@code Σ_i ∂J/∂y_i · x̂_i} of the normalized layer's output {@code y = γ x̂ + β}.
 *
 * <p>A task sees only its partition's rows, so these come from distributed passes over the
 * whole batch, one layer at a time: layer l's moments need the normalization of the layers
 * below it, and layer l's backward sums need those of the layers above. The statistics fill up
 * layer by layer ({@link #withMoments}, {@link #withSums}); a loss carrying them computes what
 * the next pass needs, and with everything filled in, the exact gradient of the batch as one
 * machine would compute it.
 *
 * <p>{@link #inference} statistics are constants, as at prediction time: the population mean and
 * variance over the training rows. Units are numbered over the hidden layers in order, layer 1's
 * first.
 */
public final class BatchNormStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  /** ε in {@code x̂ = (z − μ)/sqrt(σ² + ε)}, as Ioffe and Szegedy (2015) and PyTorch's default. */
  public static final double EPS = 1e-5;

  private final int[] hidden;
  private final double[] mean;
  private final double[] variance;
  private final double[] invStd;
  /** Layers 1..forward have their moments. */
  private final int forward;
  /** The batch's rows, N. */
  private final double count;
  private final double[] sumDelta;
  private final double[] sumDeltaXhat;
  /** Layers backwardFrom..L have their backward sums; L + 1 when none has. */
  private final int backwardFrom;
  private final boolean fixed;

  private BatchNormStatistics(int[] hidden, double[] mean, double[] variance, int forward,
      double count, double[] sumDelta, double[] sumDeltaXhat, int backwardFrom, boolean fixed) {
    this.hidden = hidden;
    this.mean = mean;
    this.variance = variance;
    this.forward = forward;
    this.count = count;
    this.sumDelta = sumDelta;
    this.sumDeltaXhat = sumDeltaXhat;
    this.backwardFrom = backwardFrom;
    this.fixed = fixed;
    this.invStd = new double[variance.length];
    for (int u = 0; u < variance.length; u++) {
      invStd[u] = 1.0 / Math.sqrt(variance[u] + EPS);
    }
  }

  /** Nothing known yet, for a network of hidden widths {@code hidden}. */
  public static BatchNormStatistics empty(int[] hidden) {
    int units = units(hidden);
    return new BatchNormStatistics(hidden.clone(), new double[units], new double[units], 0, 0.0,
        new double[units], new double[units], hidden.length + 1, false);
  }

  /**
   * Constants for inference: {@code mean} and {@code variance} of every hidden unit (layer 1's
   * units first), each at least 0.
   */
  public static BatchNormStatistics inference(int[] hidden, double[] mean, double[] variance) {
    int units = units(hidden);
    if (mean.length != units || variance.length != units) {
      throw new IllegalArgumentException("batch normalization of hidden layers "
          + Arrays.toString(hidden) + " takes " + units + " means and variances, got "
          + mean.length + " and " + variance.length);
    }
    for (int u = 0; u < units; u++) {
      if (!Double.isFinite(mean[u]) || !(variance[u] >= 0) || Double.isInfinite(variance[u])) {
        throw new IllegalArgumentException("batch normalization of unit " + u + " has mean "
            + mean[u] + " and variance " + variance[u] + "; they must be finite, the variance"
            + " at least 0");
      }
    }
    return new BatchNormStatistics(hidden.clone(), mean.clone(), variance.clone(),
        hidden.length, 0.0, new double[units], new double[units], hidden.length + 1, true);
  }

  private static int units(int[] hidden) {
    int n = 0;
    for (int h : hidden) {
      n += h;
    }
    return n;
  }

  /** The first unit of hidden layer {@code l} (1-based) in the per-unit arrays. */
  public int unitOffset(int l) {
    int off = 0;
    for (int i = 1; i < l; i++) {
      off += hidden[i - 1];
    }
    return off;
  }

  /**
   * These statistics with layer {@link #nextMomentsLayer()}'s mean and variance from its merged
   * moments {@code [N, mean_u.., M2_u..]} ({@link #zeroMoments}).
   */
  public BatchNormStatistics withMoments(double[] moments) {
    int l = nextMomentsLayer();
    if (l == 0) {
      throw new IllegalStateException("every layer already has its moments");
    }
    int h = hidden[l - 1];
    if (moments.length != 1 + 2 * h) {
      throw new IllegalArgumentException("layer " + l + " has " + h + " units; the moments hold "
          + moments.length + " values");
    }
    double n = moments[0];
    if (!(n > 0)) {
      throw new IllegalStateException("the batch has no rows to normalize layer " + l + " with");
    }
    double[] m = mean.clone();
    double[] v = variance.clone();
    int off = unitOffset(l);
    for (int u = 0; u < h; u++) {
      m[off + u] = moments[1 + u];
      v[off + u] = moments[1 + h + u] / n;
    }
    return new BatchNormStatistics(hidden, m, v, l, n, sumDelta, sumDeltaXhat, backwardFrom,
        fixed);
  }

  /**
   * These statistics with layer {@link #nextSumsLayer()}'s backward sums read from a gradient
   * sum: its β ({@code gradient[betaOffset..]}) and γ ({@code gradient[gammaOffset..]}) entries,
   * which are exactly {@code Σ_i ∂J/∂y_i} and {@code Σ_i ∂J/∂y_i · x̂_i}.
   */
  public BatchNormStatistics withSums(double[] gradient, int betaOffset, int gammaOffset) {
    int l = nextSumsLayer();
    if (l == 0) {
      throw new IllegalStateException("no layer waits for its backward sums");
    }
    int h = hidden[l - 1];
    int off = unitOffset(l);
    double[] s1 = sumDelta.clone();
    double[] s2 = sumDeltaXhat.clone();
    System.arraycopy(gradient, betaOffset, s1, off, h);
    System.arraycopy(gradient, gammaOffset, s2, off, h);
    return new BatchNormStatistics(hidden, mean, variance, forward, count, s1, s2, l, fixed);
  }

  /** The layer whose moments come next (1-based), or 0 when every layer has them. */
  public int nextMomentsLayer() {
    return forward < hidden.length ? forward + 1 : 0;
  }

  /**
   * The layer whose backward sums come next (from the top down), or 0 when every layer has them
   * or the statistics are constants.
   */
  public int nextSumsLayer() {
    return fixed || forward < hidden.length || backwardFrom == 1 ? 0 : backwardFrom - 1;
  }

  /** Whether layer l normalizes with known moments. */
  boolean hasMoments(int l) {
    return l <= forward;
  }

  /** Whether layer l's backward pass can go on below it (its sums known, or constants). */
  boolean passesBelow(int l) {
    return fixed || l >= backwardFrom;
  }

  /** Whether mean and variance are constants (inference), not functions of the batch. */
  public boolean isFixed() {
    return fixed;
  }

  /** The batch's rows N, 0 for inference statistics. */
  public double count() {
    return count;
  }

  /** The means of every hidden unit (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** The (biased) variances of every hidden unit (a copy). */
  public double[] variance() {
    return variance.clone();
  }

  /** {@code 1/sqrt(σ²_u + ε)} of unit u. */
  double invStd(int u) {
    return invStd[u];
  }

  double mean(int u) {
    return mean[u];
  }

  double sumDelta(int u) {
    return sumDelta[u];
  }

  double sumDeltaXhat(int u) {
    return sumDeltaXhat[u];
  }

  /** These statistics as constants (the population's, for inference); every layer needs them. */
  public BatchNormStatistics asInference() {
    if (forward < hidden.length) {
      throw new IllegalStateException("layers " + (forward + 1) + ".." + hidden.length
          + " have no moments yet");
    }
    return inference(hidden, mean, variance);
  }

  /** Moments of {@code units} units before any row: {@code [N = 0, mean = 0.., M2 = 0..]}. */
  public static double[] zeroMoments(int units) {
    return new double[1 + 2 * units];
  }

  /**
   * Merges moments {@code b} into {@code a} (Chan, Golub and LeVeque 1979): the count, mean and
   * sum of squared deviations of both sets of rows, without the cancellation of
   * {@code Σz² − N μ²}. Returns {@code a}.
   */
  public static double[] mergeMoments(double[] a, double[] b) {
    double na = a[0];
    double nb = b[0];
    if (nb == 0) {
      return a;
    }
    if (na == 0) {
      System.arraycopy(b, 0, a, 0, a.length);
      return a;
    }
    int h = (a.length - 1) / 2;
    double n = na + nb;
    double f = nb / n;
    double g = na * nb / n;
    for (int u = 0; u < h; u++) {
      double delta = b[1 + u] - a[1 + u];
      a[1 + u] += delta * f;
      a[1 + h + u] += b[1 + h + u] + delta * delta * g;
    }
    a[0] = n;
    return a;
  }
}
