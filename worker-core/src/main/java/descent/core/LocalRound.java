package descent.core;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One task's part of a round of local SGD: starting from the round's parameters θ, it takes one
 * inner step per non-empty window that the {@link MiniBatchPlan} gives its partition in the
 * round's consecutive plan steps, and returns its change {@code θ − θ_p} weighted by the rows it
 * read. The driver averages those changes into a pseudo-gradient for its outer optimizer. A round
 * reads exactly the rows of the synchronous steps it replaces, and the result is a pure function
 * of (θ, the round's steps, the partition), so a task recomputed after an executor loss returns
 * the same bits.
 *
 * <p>An inner step on a window of rows {@code i} with weights {@code s_i} follows the gradient of
 * the objective the driver evaluates,
 * <pre>
 *   g = Σ_i s_i ∇ℓ_i(θ_p) / Σ_i s_i + regL2·w_p        (w: the coefficients, not the intercepts)
 *   sgd:       θ_p ← θ_p − η·g
 *   momentum:  b ← μ·b + g (b = g at the first step),  θ_p ← θ_p − η·b
 *   adam:      m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ_p ← θ_p − η·m̂/(√v̂ + ε)
 *   then, with an L1 penalty, the soft threshold w_p ← sign(w_p)·max(|w_p| − η·regL1, 0)
 * </pre>
 * as PyTorch's {@code SGD} and {@code Adam} take them. The inner optimizer starts fresh each
 * round (no momentum, t = 0): a task's result then depends on the round's parameters only, and
 * nothing but the parameters travels between driver and executors. With standardized features
 * ({@code scale} = 1/σ) the parameters are those of the scaled features, as on the driver.
 *
 * <p>Stich, "Local SGD converges fast and communicates little", ICLR 2019; Lin, Stich, Patel and
 * Jaggi, "Don't use large mini-batches, use local SGD", ICLR 2020 (post-local SGD); Douillard et
 * al., "DiLoCo: distributed low-communication training of language models", 2023.
 */
public final class LocalRound implements Serializable {
  private static final long serialVersionUID = 1L;

  /** PyTorch's Adam defaults, for the inner Adam. */
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPS = 1e-8;

  /** The inner optimizers, by their command-line names. */
  public enum Inner {
    SGD("sgd"), MOMENTUM("momentum"), ADAM("adam");

    private final String id;

    Inner(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** The inner optimizer called {@code id}, or null. */
    public static Inner of(String id) {
      for (Inner i : values()) {
        if (i.id.equals(id)) {
          return i;
        }
      }
      return null;
    }
  }

  private final MiniBatchPlan plan;
  private final Loss loss;
  private final boolean fitIntercept;
  private final int numParams;
  private final int numCoefficients;
  private final Inner inner;
  private final double momentum;
  private final double regL2;
  private final double regL1;
  private final double[] scale;

  /**
   * @param momentum μ of the inner momentum (ignored by sgd and adam)
   * @param scale null, or {@code 1/σ_j} per coefficient when training on standardized features
   */
  public LocalRound(MiniBatchPlan plan, Loss loss, boolean fitIntercept, int numParams,
      int numCoefficients, Inner inner, double momentum, double regL2, double regL1,
      double[] scale) {
    this.plan = plan;
    this.loss = loss;
    this.fitIntercept = fitIntercept;
    this.numParams = numParams;
    this.numCoefficients = numCoefficients;
    this.inner = inner;
    this.momentum = momentum;
    this.regL2 = regL2;
    this.regL1 = regL1;
    this.scale = scale;
  }

  public Inner inner() {
    return inner;
  }

  /**
   * Runs plan steps {@code [firstStep, firstStep + steps)} on the partition whose blocks are
   * {@code blocks} (in row order), from {@code start}, with inner learning rate {@code lr}, and
   * adds the weighted change, losses, weights and rows into {@code into}.
   */
  public RoundSum run(List<DataBlock> blocks, double[] start, long firstStep, int steps,
      double lr, RoundSum into) {
    if (blocks.isEmpty()) {
      return into;
    }
    if (start.length != numParams) {
      throw new IllegalArgumentException("the round starts from " + start.length
          + " parameters; the model has " + numParams);
    }
    Task t = new Task(blocks, start);
    boolean rowSteps = scale == null && loss instanceof MarginLoss && t.allDense();
    int partition = blocks.get(0).partition();
    long n = plan.partitionRows(partition);
    long batch = plan.batchSize();
    long q = plan.cumulative(partition, Math.multiplyExact(firstStep, batch));
    for (long s = firstStep; s < firstStep + steps; s++) {
      long next = plan.cumulative(partition, (s + 1) * batch);
      long size = next - q;
      if (size > 0) {
        long from = q % n;
        long end = from + size;
        if (size == 1 && rowSteps) {
          t.rowStep(from, lr);
          q = next;
          continue;
        }
        t.beginStep();
        t.addRange(from, Math.min(end, n));
        if (end > n) {
          t.addRange(0, end - n);
        }
        t.endStep(lr);
      }
      q = next;
    }
    return t.finish(into);
  }

  /** One task's workspace: the local parameters, the window's gradient and the inner state. */
  private final class Task {
    private final DataBlock[] blocks;
    private final double[] start;
    private final double[] theta;
    /** The parameters the loss is evaluated at: θ itself, or its original-scale copy. */
    private final double[] evaluated;
    private final double[] gradient;
    private final double[] buffer;
    private final double[] second;
    private final Workspace workspace = new Workspace();
    private final double[] one = new double[1];
    private final double[] mult = new double[1];
    private int cursor;
    private long innerSteps;
    private double windowLoss;
    private double windowWeight;
    private double lossSum;
    private double weightSum;
    private long rows;

    Task(List<DataBlock> list, double[] start) {
      this.blocks = list.toArray(new DataBlock[0]);
      this.start = start;
      this.theta = start.clone();
      this.evaluated = scale == null ? theta : new double[numParams];
      this.gradient = new double[numParams];
      this.buffer = inner == Inner.SGD ? null : new double[numParams];
      this.second = inner == Inner.ADAM ? new double[numParams] : null;
    }

    boolean allDense() {
      for (DataBlock b : blocks) {
        if (!b.isDense()) {
          return false;
        }
      }
      return true;
    }

    /** One inner step on the single partition row {@code row}. */
    void rowStep(long row, double lr) {
      if (cursor >= blocks.length || row < blocks[cursor].firstRow()) {
        cursor = 0;
      }
      while (row >= (long) blocks[cursor].firstRow() + blocks[cursor].numRows()) {
        cursor++;
      }
      DataBlock b = blocks[cursor];
      rowStep(b, (int) (row - b.firstRow()), lr);
    }

    void beginStep() {
      Arrays.fill(gradient, 0.0);
      windowLoss = 0.0;
      windowWeight = 0.0;
      if (scale != null) {
        for (int j = 0; j < numCoefficients; j++) {
          evaluated[j] = theta[j] * scale[j];
        }
        System.arraycopy(theta, numCoefficients, evaluated, numCoefficients,
            numParams - numCoefficients);
      }
    }

    /** Adds partition rows {@code [from, to)} of the window, across the blocks that hold them. */
    void addRange(long from, long to) {
      if (cursor >= blocks.length || from < blocks[cursor].firstRow()) {
        cursor = 0;
      }
      long at = from;
      while (at < to) {
        DataBlock b = blocks[cursor];
        long blockEnd = (long) b.firstRow() + b.numRows();
        if (at >= blockEnd) {
          cursor++;
          continue;
        }
        int lo = (int) (at - b.firstRow());
        int hi = (int) (Math.min(to, blockEnd) - b.firstRow());
        windowLoss += loss.addGradient(b, lo, hi, evaluated, fitIntercept, gradient, workspace);
        double[] w = b.weights();
        if (w == null) {
          windowWeight += hi - lo;
        } else {
          for (int i = lo; i < hi; i++) {
            windowWeight += w[i];
          }
        }
        rows += hi - lo;
        at += hi - lo;
      }
    }

    void endStep(double lr) {
      lossSum += windowLoss;
      weightSum += windowWeight;
      if (!(windowWeight > 0)) {
        return;
      }
      double[] g = gradient;
      double[] th = theta;
      for (int j = 0; j < numParams; j++) {
        g[j] /= windowWeight;
      }
      if (scale != null) {
        for (int j = 0; j < numCoefficients; j++) {
          g[j] *= scale[j];
        }
      }
      for (int j = 0; j < numCoefficients; j++) {
        g[j] += regL2 * th[j];
      }
      update(lr);
    }

    /**
     * The step on one row of a dense block for a loss of the margin, in one pass over the row for
     * the margin and one for the update: the arithmetic of {@link #beginStep}, {@link #addRange}
     * and {@link #endStep} for that window, without the gradient array in between for sgd.
     */
    void rowStep(DataBlock b, int i, double lr) {
      MarginLoss margin = (MarginLoss) loss;
      int d = b.numFeatures();
      double[] x = b.values();
      double[] th = theta;
      int off = i * d;
      double m0 = 0.0;
      double m1 = 0.0;
      double m2 = 0.0;
      double m3 = 0.0;
      int j = 0;
      for (; j + 3 < d; j += 4) {
        m0 += th[j] * x[off + j];
        m1 += th[j + 1] * x[off + j + 1];
        m2 += th[j + 2] * x[off + j + 2];
        m3 += th[j + 3] * x[off + j + 3];
      }
      for (; j < d; j++) {
        m0 += th[j] * x[off + j];
      }
      one[0] = (fitIntercept ? th[d] : 0.0) + ((m0 + m1) + (m2 + m3));
      double[] weights = b.weights();
      double s = weights == null ? 1.0 : weights[i];
      lossSum += margin.lossAndMultipliers(one, b.labels(), weights, i, 1, mult);
      weightSum += s;
      rows++;
      if (!(s > 0)) {
        return;
      }
      double c = mult[0] / s;
      if (inner == Inner.SGD) {
        for (j = 0; j < d; j++) {
          th[j] -= lr * (c * x[off + j] + regL2 * th[j]);
        }
        if (fitIntercept) {
          th[d] -= lr * c;
        }
        innerSteps++;
        prox(lr);
        return;
      }
      double[] g = gradient;
      for (j = 0; j < d; j++) {
        g[j] = c * x[off + j] + regL2 * th[j];
      }
      if (fitIntercept) {
        g[d] = c;
      }
      update(lr);
    }

    /** The inner optimizer's step along {@link #gradient}, then the L1 threshold. */
    private void update(double lr) {
      double[] g = gradient;
      double[] th = theta;
      innerSteps++;
      switch (inner) {
        case SGD -> {
          for (int j = 0; j < numParams; j++) {
            th[j] -= lr * g[j];
          }
        }
        case MOMENTUM -> {
          double[] b = buffer;
          if (innerSteps == 1) {
            System.arraycopy(g, 0, b, 0, numParams);
          } else {
            for (int j = 0; j < numParams; j++) {
              b[j] = momentum * b[j] + g[j];
            }
          }
          for (int j = 0; j < numParams; j++) {
            th[j] -= lr * b[j];
          }
        }
        case ADAM -> {
          double[] m = buffer;
          double[] v = second;
          double c1 = 1 - Math.pow(BETA1, innerSteps);
          double c2 = 1 - Math.pow(BETA2, innerSteps);
          for (int j = 0; j < numParams; j++) {
            double gj = g[j];
            double mj = BETA1 * m[j] + (1 - BETA1) * gj;
            double vj = BETA2 * v[j] + (1 - BETA2) * gj * gj;
            m[j] = mj;
            v[j] = vj;
            th[j] -= lr * (mj / c1) / (Math.sqrt(vj / c2) + EPS);
          }
        }
        default -> throw new IllegalStateException(inner.toString());
      }
      prox(lr);
    }

    private void prox(double lr) {
      if (regL1 > 0) {
        double[] th = theta;
        double t = lr * regL1;
        for (int j = 0; j < numCoefficients; j++) {
          double w = th[j];
          th[j] = w > t ? w - t : w < -t ? w + t : 0.0;
        }
      }
    }

    RoundSum finish(RoundSum into) {
      return into.add(start, theta, weightSum, lossSum, rows, innerSteps);
    }
  }
}
