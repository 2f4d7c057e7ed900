package descent.core;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.Random;

/**
 * A multilayer perceptron as a {@link Loss}: layers of widths {@code n_0 = d} (the features),
 * {@code n_1 .. n_L} (the hidden layers) and {@code n_{L+1} = K} (the outputs), each hidden layer
 * {@code a_l = f(W_l a_{l−1} + b_l)} with one {@link Activation} f, and the {@link OutputLoss} on
 * the last layer's scores {@code z = W_{L+1} a_L + b_{L+1}}: softmax cross-entropy over K classes,
 * the logistic loss of one score, or {@code ½(z − y)²}.
 *
 * <p>Parameters: every weight matrix, then every bias vector,
 * {@code [W_1, W_2, .., W_{L+1}, b_1, b_2, .., b_{L+1}]}, each {@code W_l} row-major
 * {@code n_l × n_{l−1}} (unit u's incoming weights at {@code u·n_{l−1}}). So the first
 * {@link #numCoefficients} parameters are exactly the weights: the penalty (L2, and L1 through its
 * proximal step) applies to them and never to the biases, and standardization scales the first
 * layer's. Every layer has biases whatever {@code fitIntercept} says.
 *
 * <p>The forward and backward passes go over a chunk of rows at a time with matrix products
 * (BLAS {@code dgemm}): {@code A_l = f(A_{l−1} W_lᵀ + 1 b_lᵀ)}, then from the output deltas
 * {@code D_{L+1} = s·∂ℓ/∂z} back, {@code ∇W_l += D_lᵀ A_{l−1}}, {@code ∇b_l += D_lᵀ 1},
 * {@code D_{l−1} = (D_l W_l) ⊙ f'(A_{l−1})}; CSR rows enter the first layer one non-zero at a
 * time. The activations and deltas live in the task's {@link Workspace}, so nothing is allocated
 * per row or per call.
 *
 * <p>With batch normalization (Ioffe and Szegedy 2015) every hidden layer normalizes its
 * pre-activations {@code z = W_l a_{l−1}} with the mean μ and variance σ² of the whole
 * mini-batch, {@code a_l = f(γ_l ⊙ (z − μ)/sqrt(σ² + ε) + β_l)}: the layer's biases are its β,
 * and its scales γ follow every bias, {@code [.., b_{L+1}, γ_1, .., γ_L]} (so no penalty reaches
 * them either). The batch statistics come with the loss ({@link #withStatistics}); see
 * {@link BatchNormStatistics} for the passes that compute them. Backward, a normalized layer
 * passes on {@code ∂J/∂z_i = γ/σ (g_i − Σ_j g_j/N − x̂_i Σ_j g_j x̂_j/N)} with
 * {@code g_i = ∂J/∂y_i}, the exact derivative through μ and σ of the batch.
 */
public final class MlpLoss implements Loss {
  private static final long serialVersionUID = 1L;

  private final int[] hidden;
  private final Activation activation;
  private final OutputLoss output;
  private final int numOutputs;
  private final boolean batchNorm;
  /** The batch statistics a batch-normalized network computes with; null until given. */
  private final BatchNormStatistics statistics;

  /** A network without batch normalization (see the five-argument constructor). */
  public MlpLoss(int[] hidden, Activation activation, OutputLoss output, int numClasses) {
    this(hidden, activation, output, numClasses, false);
  }

  /**
   * A network with hidden layers of widths {@code hidden} (at least one), activation
   * {@code activation} and output loss {@code output}; {@code numClasses} is K for a softmax
   * output (at least 2), ignored by the others, which have one output; {@code batchNorm}
   * normalizes every hidden layer with its batch statistics.
   */
  public MlpLoss(int[] hidden, Activation activation, OutputLoss output, int numClasses,
      boolean batchNorm) {
    if (hidden.length == 0) {
      throw new IllegalArgumentException("a network needs at least one hidden layer");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("a hidden layer needs at least one unit, got "
            + Arrays.toString(hidden));
      }
    }
    if (output == OutputLoss.SOFTMAX
        && (numClasses < 2 || numClasses > LabelDomain.MAX_CLASSES)) {
      throw new IllegalArgumentException("a softmax output needs between 2 and "
          + LabelDomain.MAX_CLASSES + " classes, got " + numClasses);
    }
    this.hidden = hidden.clone();
    this.activation = activation;
    this.output = output;
    this.numOutputs = output == OutputLoss.SOFTMAX ? numClasses : 1;
    this.batchNorm = batchNorm;
    this.statistics = null;
  }

  private MlpLoss(MlpLoss layout, BatchNormStatistics statistics) {
    this.hidden = layout.hidden;
    this.activation = layout.activation;
    this.output = layout.output;
    this.numOutputs = layout.numOutputs;
    this.batchNorm = layout.batchNorm;
    this.statistics = statistics;
  }

  /** Whether every hidden layer is batch-normalized. */
  public boolean batchNorm() {
    return batchNorm;
  }

  /** The batch statistics this loss computes with, or null. */
  public BatchNormStatistics statistics() {
    return statistics;
  }

  /** This network computing with {@code statistics} (a batch-normalized one only). */
  public MlpLoss withStatistics(BatchNormStatistics statistics) {
    if (!batchNorm) {
      throw new IllegalStateException(this + " has no batch normalization");
    }
    return new MlpLoss(this, statistics);
  }

  /**
   * The passes over one mini-batch's rows, on whatever holds them (the executors, in a step),
   * that a batch-normalized network's statistics come from.
   */
  public interface BatchPasses {
    /** The moments of {@code loss.momentsLayer()} over the batch, merged over every part. */
    double[] moments(MlpLoss loss);

    /** The gradient sum {@code Σ_i s_i ∇ℓ_i} over the batch at {@code loss}. */
    double[] gradientSum(MlpLoss loss);
  }

  /**
   * This network with the statistics of the batch {@code passes} reads: the moments of each
   * layer from the bottom up (one pass a layer), then with {@code backward} the backward sums of
   * each layer from the top down (one pass a layer), after which {@code addGradient} over the
   * batch is its exact gradient.
   */
  public MlpLoss withBatchStatistics(BatchPasses passes, boolean backward) {
    MlpLoss l = withoutStatistics();
    while (l.statistics.nextMomentsLayer() != 0) {
      l = l.withStatistics(l.statistics.withMoments(passes.moments(l)));
    }
    for (int k = l.statistics.nextSumsLayer(); backward && k != 0;
        k = l.statistics.nextSumsLayer()) {
      double[] g = passes.gradientSum(l);
      // The biases start after the weights, the γ after every bias.
      int betas = g.length - numBiases(true) + l.statistics.unitOffset(k);
      int gammas = g.length - hiddenUnits() + l.statistics.unitOffset(k);
      l = l.withStatistics(l.statistics.withSums(g, betas, gammas));
    }
    return l;
  }

  /** The batch statistics' starting point: nothing known (a batch-normalized network only). */
  public MlpLoss withoutStatistics() {
    return withStatistics(BatchNormStatistics.empty(hidden));
  }

  /** The hidden layers' widths {@code n_1 .. n_L}. */
  public int[] hidden() {
    return hidden.clone();
  }

  public Activation activation() {
    return activation;
  }

  public OutputLoss output() {
    return output;
  }

  /** The number of weight layers, {@code L + 1}. */
  public int numLayers() {
    return hidden.length + 1;
  }

  /** Width of layer {@code l}: {@code d} for l = 0, the hidden widths, then K. */
  public int width(int l, int numFeatures) {
    return l == 0 ? numFeatures : l <= hidden.length ? hidden[l - 1] : numOutputs;
  }

  /** Where {@code W_l} (1-based l) starts in the parameters. */
  public int weightOffset(int l, int numFeatures) {
    int off = 0;
    for (int i = 1; i < l; i++) {
      off += width(i, numFeatures) * width(i - 1, numFeatures);
    }
    return off;
  }

  /**
   * Where hidden layer {@code l}'s batch-normalization scales {@code γ_l} (1-based l ≤ L) start
   * in the parameters: after every bias.
   */
  public int gammaOffset(int l, int numFeatures) {
    int off = numCoefficients(numFeatures) + numOutputs;
    for (int h : hidden) {
      off += h;
    }
    for (int i = 1; i < l; i++) {
      off += hidden[i - 1];
    }
    return off;
  }

  /** The hidden units of every layer, {@code Σ n_l} for l = 1..L. */
  public int hiddenUnits() {
    int n = 0;
    for (int h : hidden) {
      n += h;
    }
    return n;
  }

  /** Where {@code b_l} (1-based l) starts in the parameters. */
  public int biasOffset(int l, int numFeatures) {
    int off = numCoefficients(numFeatures);
    for (int i = 1; i < l; i++) {
      off += width(i, numFeatures);
    }
    return off;
  }

  @Override
  public LabelDomain labelDomain() {
    return switch (output) {
      case SOFTMAX -> LabelDomain.classes(numOutputs);
      case LOGISTIC -> LabelDomain.BINARY;
      case SQUARED -> LabelDomain.REAL;
    };
  }

  @Override
  public int numOutputs() {
    return numOutputs;
  }

  /**
   * Weights and biases: {@code Σ_l n_l n_{l−1} + Σ_l n_l}, every layer having biases, and the
   * γ of each hidden unit when batch-normalized.
   */
  @Override
  public int numParams(int numFeatures, boolean fitIntercept) {
    return numCoefficients(numFeatures) + numBiases(fitIntercept);
  }

  /** The weights, {@code Σ_l n_l n_{l−1}}. */
  @Override
  public int numCoefficients(int numFeatures) {
    long n = 0;
    for (int l = 1; l <= numLayers(); l++) {
      n += (long) width(l, numFeatures) * width(l - 1, numFeatures);
    }
    if (n + numBiases(true) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a network of " + numFeatures + " inputs, hidden layers "
          + Arrays.toString(hidden) + " and " + numOutputs + " outputs has " + n
          + " weights; descent keeps at most 2^31 parameters in one array");
    }
    return (int) n;
  }

  /**
   * The biases of every layer, {@code Σ_{l≥1} n_l}, whatever {@code fitIntercept} says, and the
   * batch-normalization scales γ: every parameter the penalty leaves alone.
   */
  @Override
  public int numBiases(boolean fitIntercept) {
    return numOutputs + (batchNorm ? 2 : 1) * hiddenUnits();
  }

  /** The first layer's weights, {@code n_1·d}. */
  @Override
  public int numInputCoefficients(int numFeatures) {
    return hidden[0] * numFeatures;
  }

  @Override
  public boolean isLinear() {
    return false;
  }

  /**
   * Weights drawn from {@code seed}, biases 0: a hidden layer of ReLU units from He's normal
   * {@code N(0, 2/n_{l−1})} (He et al. 2015), of tanh or sigmoid units and the output layer from
   * Glorot's uniform {@code U(±sqrt(6/(n_{l−1} + n_l)))} (Glorot and Bengio 2010); the
   * batch-normalization scales γ start at 1. The same seed gives the same values bit for bit
   * ({@link Random}'s sequence is specified).
   */
  @Override
  public double[] initialParams(int numFeatures, boolean fitIntercept, long seed) {
    double[] p = new double[numParams(numFeatures, fitIntercept)];
    Random random = new Random(seed);
    int off = 0;
    for (int l = 1; l <= numLayers(); l++) {
      int fanIn = width(l - 1, numFeatures);
      int fanOut = width(l, numFeatures);
      int n = fanIn * fanOut;
      if (l <= hidden.length && activation.heInitialized()) {
        double sigma = Math.sqrt(2.0 / Math.max(1, fanIn));
        for (int j = 0; j < n; j++) {
          p[off + j] = sigma * random.nextGaussian();
        }
      } else {
        double limit = Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
        for (int j = 0; j < n; j++) {
          p[off + j] = limit * (2.0 * random.nextDouble() - 1.0);
        }
      }
      off += n;
    }
    if (batchNorm) {
      int g = gammaOffset(1, numFeatures);
      Arrays.fill(p, g, g + hiddenUnits(), 1.0);
    }
    return p;
  }

  /**
   * Rows per chunk: the chunk's input about 2 MiB and its activations at most 4 MiB (up to 1,024
   * rows). Each chunk adds its first layer's weight gradient ({@code n_1 × d}) into the task's
   * sum, so the chunk's rows set how often that matrix is read and written: at 784 features, 334
   * rows a chunk took a pass of a 784-128-64-10 network over 100,000 rows from 2.0 s (41 rows,
   * a 256 KiB input) to 1.2 s.
   */
  int chunkRows(int numFeatures) {
    int perRow = 0;
    int widest = 0;
    for (int l = 1; l <= numLayers(); l++) {
      perRow += width(l, numFeatures);
      widest = Math.max(widest, width(l, numFeatures));
    }
    perRow += widest;
    int byFeatures = (1 << 18) / Math.max(1, numFeatures);
    int byLayers = (1 << 18) / perRow;
    return Math.max(8, Math.min(1024, Math.min(byFeatures, byLayers)));
  }

  @Override
  public double addGradient(DataBlock block, int from, int to, double[] params,
      boolean fitIntercept, double[] gradient, Workspace workspace) {
    return run(block, from, to, params, gradient, null, null, workspace);
  }

  @Override
  public double addLoss(DataBlock block, int from, int to, double[] params, boolean fitIntercept,
      Workspace workspace) {
    return run(block, from, to, params, null, null, null, workspace);
  }

  /**
   * The last layer's scores {@code z} of rows {@code [from, from+n)}, K per row, row-major into
   * {@code out} (for softmax the class scores before the softmax, for logistic the margin whose
   * sigmoid is {@code P(y=+1)}, for squared the predicted value).
   */
  public void outputs(DataBlock block, int from, int n, double[] params, double[] out,
      Workspace workspace) {
    run(block, from, from + n, params, null, out, null, workspace);
  }

  /**
   * Adds the rows {@code [from, to)} to the moments {@code [N, mean_u.., M2_u..]} (see
   * {@link BatchNormStatistics#mergeMoments}) of the pre-activations {@code z = W_l a_{l−1}} of
   * the layer l whose moments come next ({@link BatchNormStatistics#nextMomentsLayer()}), the
   * layers below it normalized with theirs.
   */
  public void addMoments(DataBlock block, int from, int to, double[] params, double[] moments,
      Workspace workspace) {
    int l = momentsLayer();
    if (moments.length != 1 + 2 * hidden[l - 1]) {
      throw new IllegalArgumentException("layer " + l + " has " + hidden[l - 1]
          + " units; the moments hold " + moments.length + " values");
    }
    run(block, from, to, params, null, null, moments, workspace);
  }

  /** The layer whose moments {@link #addMoments} computes: the first one without them. */
  public int momentsLayer() {
    if (!batchNorm) {
      throw new IllegalStateException(this + " has no batch normalization");
    }
    int l = statistics == null ? 1 : statistics.nextMomentsLayer();
    if (l == 0) {
      throw new IllegalStateException("every layer of " + this + " has its moments");
    }
    return l;
  }

  /**
   * The loss over rows {@code [from, to)}; the gradient into {@code gradient} when it is set, the
   * scores into {@code scores} (at row {@code i − from}) when that is, or only the moments of
   * layer {@link #momentsLayer()} into {@code moments} when that is.
   */
  private double run(DataBlock block, int from, int to, double[] params, double[] gradient,
      double[] scores, double[] moments, Workspace workspace) {
    int n = to - from;
    int stopAt = moments == null ? 0 : momentsLayer();
    if (batchNorm && stopAt == 0
        && (statistics == null || statistics.nextMomentsLayer() != 0)) {
      throw new IllegalStateException("the batch-normalized network " + this + " normalizes"
          + " with the statistics of its whole mini-batch; layer "
          + (statistics == null ? 1 : statistics.nextMomentsLayer()) + " has none yet (they"
          + " come from one distributed pass a layer: see BatchNormStatistics)");
    }
    if (n <= 0) {
      return 0.0;
    }
    int d = block.numFeatures();
    int expected = numParams(d, true);
    if (params.length != expected) {
      throw new IllegalArgumentException("a network of " + d + " inputs, hidden layers "
          + Arrays.toString(hidden) + " and " + numOutputs + " outputs"
          + (batchNorm ? " with batch normalization" : "") + " has " + expected
          + " parameters, got " + params.length);
    }
    int layers = numLayers();
    int chunk = Math.min(n, chunkRows(d));
    int activations = 0;
    int widest = 0;
    for (int l = 1; l <= layers; l++) {
      activations += width(l, d);
      widest = Math.max(widest, width(l, d));
    }
    double[] even = workspace.network(0, chunk * activations);
    double[] odd = workspace.network(1, chunk * activations);
    double[] delta = gradient != null ? workspace.network(2, chunk * widest) : null;
    double[] next = gradient != null ? workspace.network(3, chunk * widest) : null;
    double[] norm = batchNorm ? workspace.network(4, chunk * hiddenUnits()) : null;
    double[] labels = block.labels();
    double[] weights = block.weights();
    int k = numOutputs;
    int outOffset = chunk * (activations - k);
    double[] z = (layers & 1) == 0 ? even : odd;
    double loss = 0.0;
    for (int start = 0; start < n; start += chunk) {
      int m = Math.min(chunk, n - start);
      int first = from + start;
      forward(block, first, m, params, even, odd, norm, chunk, stopAt);
      if (moments != null) {
        addChunkMoments(stopAt, (stopAt & 1) == 0 ? even : odd, actOffset(stopAt, d, chunk), m,
            moments, workspace);
        continue;
      }
      if (scores != null) {
        System.arraycopy(z, outOffset, scores, start * k, m * k);
        continue;
      }
      for (int i = 0; i < m; i++) {
        double s = weights == null ? 1.0 : weights[first + i];
        loss += outputLoss(z, outOffset + i * k, labels[first + i], s, delta, i * k);
      }
      if (gradient != null) {
        backward(block, first, m, params, even, odd, norm, chunk, delta, next, gradient);
      }
    }
    return loss;
  }

  /**
   * Merges the moments of layer {@code l}'s {@code m} rows of pre-activations at
   * {@code a[at..]} into {@code moments}: the chunk's own mean and squared deviations first,
   * then {@link BatchNormStatistics#mergeMoments}.
   */
  private void addChunkMoments(int l, double[] a, int at, int m, double[] moments,
      Workspace workspace) {
    int h = hidden[l - 1];
    double[] chunk = workspace.network(5, 1 + 2 * h);
    chunk[0] = m;
    for (int u = 0; u < h; u++) {
      double sum = 0.0;
      for (int i = 0; i < m; i++) {
        sum += a[at + i * h + u];
      }
      double mean = sum / m;
      double m2 = 0.0;
      for (int i = 0; i < m; i++) {
        double r = a[at + i * h + u] - mean;
        m2 += r * r;
      }
      chunk[1 + u] = mean;
      chunk[1 + h + u] = m2;
    }
    BatchNormStatistics.mergeMoments(moments, chunk);
  }

  /**
   * {@code s·ℓ} of one row's scores {@code z[at .. at+K)}, and when {@code delta} is set,
   * {@code s·∂ℓ/∂z} into {@code delta[to .. to+K)}.
   */
  private double outputLoss(double[] z, int at, double label, double s, double[] delta,
      int to) {
    switch (output) {
      case SOFTMAX -> {
        int k = numOutputs;
        int y = (int) label;
        if (y < 0 || y >= k || y != label) {
          throw new IllegalArgumentException("label " + LabelDomain.format(label)
              + " is not a class of this " + k + "-class network (labels 0.." + (k - 1) + ")");
        }
        double max = z[at];
        for (int c = 1; c < k; c++) {
          max = Math.max(max, z[at + c]);
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
          sum += Math.exp(z[at + c] - max);
        }
        if (delta != null) {
          double r = s / sum;
          for (int c = 0; c < k; c++) {
            delta[to + c] = r * Math.exp(z[at + c] - max);
          }
          delta[to + y] -= s;
        }
        return s * (max + Math.log(sum) - z[at + y]);
      }
      case LOGISTIC -> {
        // Labels are stored ±1: ℓ = log(1 + exp(−y z)), ∂ℓ/∂z = −y σ(−y z).
        double ym = label * z[at];
        double e = Math.exp(-Math.abs(ym));
        double u = 1.0 + e;
        double inv = 1.0 / u;
        if (delta != null) {
          delta[to] = -s * label * (ym > 0 ? e : 1.0) * inv;
        }
        return s * ((ym > 0 ? 0.0 : -ym) + LogisticLoss.log1p(e, u, inv));
      }
      default -> {
        double r = z[at] - label;
        if (delta != null) {
          delta[to] = s * r;
        }
        return s * 0.5 * r * r;
      }
    }
  }

  /** Offset of layer {@code l}'s activations (1-based) in its buffer, for chunks of {@code c}. */
  private int actOffset(int l, int d, int c) {
    int off = 0;
    for (int i = 1; i < l; i++) {
      off += width(i, d);
    }
    return off * c;
  }

  /**
   * The activations of every layer for the {@code m} rows from {@code first}: layer l, m×n_l
   * row-major, in {@code even} or {@code odd} by the parity of l, at {@link #actOffset}; the last
   * layer holds the scores. A batch-normalized layer keeps its normalized pre-activations
   * {@code x̂} in {@code norm} at the same offset. With {@code stopAt} > 0 the pass ends at that
   * layer's pre-activations {@code z = W_l a_{l−1}}.
   */
  private void forward(DataBlock block, int first, int m, double[] params, double[] even,
      double[] odd, double[] norm, int chunk, int stopAt) {
    int d = block.numFeatures();
    int layers = numLayers();
    BLAS blas = BLAS.getInstance();
    for (int l = 1; l <= layers; l++) {
      int width = width(l, d);
      int fanIn = width(l - 1, d);
      int wOff = weightOffset(l, d);
      int bOff = biasOffset(l, d);
      double[] a = (l & 1) == 0 ? even : odd;
      int aOff = actOffset(l, d, chunk);
      boolean normalized = batchNorm && l < layers;
      if (normalized) {
        Arrays.fill(a, aOff, aOff + m * width, 0.0);
      } else {
        for (int i = 0; i < m; i++) {
          System.arraycopy(params, bOff, a, aOff + i * width, width);
        }
      }
      if (l == 1) {
        if (d > 0 && block.isDense()) {
          // Column-major views: W' = d×n_1, X' = d×m, A' = n_1×m; A' += W'ᵀ X'.
          blas.dgemm("T", "N", width, m, d, 1.0, params, wOff, d, block.values(), first * d, d,
              1.0, a, aOff, width);
        } else if (d > 0) {
          int[] indptr = block.indptr();
          int[] indices = block.indices();
          double[] values = block.values();
          for (int i = 0; i < m; i++) {
            int row = aOff + i * width;
            for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
              int j = wOff + indices[q];
              double v = values[q];
              for (int u = 0; u < width; u++) {
                a[row + u] += params[j + u * d] * v;
              }
            }
          }
        }
      } else {
        blas.dgemm("T", "N", width, m, fanIn, 1.0, params, wOff, fanIn,
            ((l - 1) & 1) == 0 ? even : odd, actOffset(l - 1, d, chunk), fanIn, 1.0, a, aOff,
            width);
      }
      if (l == stopAt) {
        return;
      }
      if (normalized) {
        // y = γ (z − μ)/sqrt(σ² + ε) + β, with x̂ kept for the backward pass.
        int units = statistics.unitOffset(l);
        int gOff = gammaOffset(l, d);
        for (int i = 0; i < m; i++) {
          int row = aOff + i * width;
          for (int u = 0; u < width; u++) {
            double xhat = (a[row + u] - statistics.mean(units + u))
                * statistics.invStd(units + u);
            norm[row + u] = xhat;
            a[row + u] = params[gOff + u] * xhat + params[bOff + u];
          }
        }
      }
      if (l < layers) {
        Activation f = activation;
        for (int q = aOff, end = aOff + m * width; q < end; q++) {
          a[q] = f.apply(a[q]);
        }
      }
    }
  }

  /**
   * Adds the gradient of the chunk from the output deltas in {@code delta} (m×K), layer by
   * layer down to the first, with {@code next} for the deltas of the layer below. A
   * batch-normalized layer adds its γ's and β's gradient, then passes the exact derivative
   * through the batch's mean and variance on, or ends the pass when its backward sums are not
   * known yet ({@link BatchNormStatistics#nextSumsLayer()}).
   */
  private void backward(DataBlock block, int first, int m, double[] params, double[] even,
      double[] odd, double[] norm, int chunk, double[] delta, double[] next,
      double[] gradient) {
    int d = block.numFeatures();
    BLAS blas = BLAS.getInstance();
    double[] dl = delta;
    double[] below = next;
    for (int l = numLayers(); l >= 1; l--) {
      int width = width(l, d);
      int fanIn = width(l - 1, d);
      int wOff = weightOffset(l, d);
      int bOff = biasOffset(l, d);
      for (int i = 0; i < m; i++) {
        int row = i * width;
        for (int u = 0; u < width; u++) {
          gradient[bOff + u] += dl[row + u];
        }
      }
      if (batchNorm && l < numLayers()) {
        int units = statistics.unitOffset(l);
        int gOff = gammaOffset(l, d);
        int nOff = actOffset(l, d, chunk);
        for (int i = 0; i < m; i++) {
          int row = i * width;
          for (int u = 0; u < width; u++) {
            gradient[gOff + u] += dl[row + u] * norm[nOff + row + u];
          }
        }
        if (!statistics.passesBelow(l)) {
          return;
        }
        boolean fixed = statistics.isFixed();
        double inverseCount = fixed ? 0.0 : 1.0 / statistics.count();
        for (int u = 0; u < width; u++) {
          double r = params[gOff + u] * statistics.invStd(units + u);
          double m1 = fixed ? 0.0 : statistics.sumDelta(units + u) * inverseCount;
          double m2 = fixed ? 0.0 : statistics.sumDeltaXhat(units + u) * inverseCount;
          for (int i = 0; i < m; i++) {
            int q = i * width + u;
            dl[q] = r * (dl[q] - m1 - norm[nOff + q] * m2);
          }
        }
      }
      if (l == 1) {
        if (d > 0 && block.isDense()) {
          // Column-major views: X' = d×m, D' = n_1×m, G' = d×n_1; G' += X' D'ᵀ.
          blas.dgemm("N", "T", d, width, m, 1.0, block.values(), first * d, d, dl, 0, width,
              1.0, gradient, wOff, d);
        } else if (d > 0) {
          int[] indptr = block.indptr();
          int[] indices = block.indices();
          double[] values = block.values();
          for (int i = 0; i < m; i++) {
            int row = i * width;
            for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
              int j = wOff + indices[q];
              double v = values[q];
              for (int u = 0; u < width; u++) {
                gradient[j + u * d] += dl[row + u] * v;
              }
            }
          }
        }
        break;
      }
      double[] a = ((l - 1) & 1) == 0 ? even : odd;
      int aOff = actOffset(l - 1, d, chunk);
      // G' (n_{l−1}×n_l) += A' D'ᵀ, then D_{l−1}' (n_{l−1}×m) = W' D'.
      blas.dgemm("N", "T", fanIn, width, m, 1.0, a, aOff, fanIn, dl, 0, width, 1.0, gradient,
          wOff, fanIn);
      blas.dgemm("N", "N", fanIn, m, width, 1.0, params, wOff, fanIn, dl, 0, width, 0.0, below,
          0, fanIn);
      Activation f = activation;
      for (int q = 0, end = m * fanIn; q < end; q++) {
        below[q] *= f.derivative(a[aOff + q]);
      }
      double[] t = dl;
      dl = below;
      below = t;
    }
  }

  /**
   * A network's prediction from its output score: {@code P(y=+1) = σ(z)} for a logistic output,
   * the value itself for a squared one. A softmax output predicts from K scores
   * ({@link #outputs}) and refuses.
   */
  @Override
  public double predict(double margin) {
    return switch (output) {
      case LOGISTIC -> 1.0 / (1.0 + Math.exp(-margin));
      case SQUARED -> margin;
      case SOFTMAX -> throw new UnsupportedOperationException("a softmax network predicts the"
          + " class of the largest of its " + numOutputs + " scores");
    };
  }

  /** The 1-based layer whose weight, bias or batch-normalization scale parameter {@code j} is. */
  public int layerOf(int j, int numFeatures) {
    int weights = numCoefficients(numFeatures);
    if (batchNorm && j >= gammaOffset(1, numFeatures)) {
      for (int l = hidden.length; l >= 1; l--) {
        if (j >= gammaOffset(l, numFeatures)) {
          return l;
        }
      }
    }
    for (int l = numLayers(); l >= 1; l--) {
      if (j >= (j < weights ? weightOffset(l, numFeatures) : biasOffset(l, numFeatures))) {
        return l;
      }
    }
    throw new IllegalArgumentException("no parameter " + j);
  }

  /**
   * Where parameter {@code j} belongs, for messages: "layer 2 weight (unit 3, input 5)",
   * "layer 3 bias (unit 0)", or with batch normalization "layer 1 β (unit 4)" and "layer 1 γ
   * (unit 4)"; units and inputs count from 0, inputs of layer 1 are features.
   */
  public String describe(int j, int numFeatures) {
    int l = layerOf(j, numFeatures);
    if (batchNorm && j >= gammaOffset(1, numFeatures)) {
      return "layer " + l + " γ (unit " + (j - gammaOffset(l, numFeatures)) + ")";
    }
    if (batchNorm && l <= hidden.length && j >= numCoefficients(numFeatures)) {
      return "layer " + l + " β (unit " + (j - biasOffset(l, numFeatures)) + ")";
    }
    if (j >= numCoefficients(numFeatures)) {
      return "layer " + l + " bias (unit " + (j - biasOffset(l, numFeatures)) + ")";
    }
    int fanIn = width(l - 1, numFeatures);
    int r = j - weightOffset(l, numFeatures);
    return "layer " + l + " weight (unit " + r / fanIn + ", " + (l == 1 ? "feature " : "input ")
        + r % fanIn + ")";
  }

  /** The shape, for messages: "mlp(d-128-64-K, relu, softmax)", ", batch-norm" when it is. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("mlp(d");
    for (int h : hidden) {
      b.append('-').append(h);
    }
    return b.append('-').append(numOutputs).append(", ").append(activation.id()).append(", ")
        .append(output.id()).append(batchNorm ? ", batch-norm)" : ")").toString();
  }
}
