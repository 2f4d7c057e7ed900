package descent.driver;

import descent.core.BatchNormStatistics;
import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.Loss;
import descent.core.MiniBatchPlan;
import descent.core.MlpLoss;
import descent.core.ParameterCopies;
import descent.core.ParameterTicket;
import descent.core.Workspace;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The objective over the rows that one window of a {@link MiniBatchPlan} reads, evaluated on
 * the executors. The trainer asks it for each step's gradient (window = the step); the
 * second-order optimizers see it as an {@link ObjectiveFunction} on a fixed window (the whole
 * data at full batch).
 *
 * <p>It remembers its last few evaluations by the exact parameter values, so the point a line
 * search accepted is not evaluated again when the next iteration starts there, and counts the
 * distributed passes it ran.
 *
 * <p>A batch-normalized network ({@link MlpLoss#batchNorm()}) normalizes with the statistics
 * of the whole window, as one machine holding every row of the batch would: before the pass
 * that sums the gradient, one pass a hidden layer merges the moments of its pre-activations
 * over every partition (bottom up), then one pass a hidden layer sums its backward terms (top
 * down); so a step of a network of L hidden layers runs 2L + 1 jobs, and its value alone L + 1.
 * The full objective, the validation loss and the trained model normalize with the population
 * statistics of the training rows instead ({@link #inferenceStatistics}), which make the full
 * objective that of one batch of every row.
 */
public final class BatchObjective implements ObjectiveFunction {
  private static final int MEMORY = 4;

  /**
   * Parameter vectors up to this many values travel inside the task closure (which Spark ships
   * with every stage anyway) instead of in a broadcast of their own; larger ones are broadcast,
   * so a task fetches them once per executor rather than once per task.
   */
  public static final int CLOSURE_LIMIT = 1 << 13;

  private final JavaRDD<DataBlock> blocks;
  private final MiniBatchPlan plan;
  private final Loss loss;
  private final boolean fitIntercept;
  private final Regularizer regularizer;
  private final double[] scale;
  private final int depth;
  private final int numParams;
  private long window;
  private long passes;
  private int closureLimit = CLOSURE_LIMIT;
  private final Deque<Remembered> memory = new ArrayDeque<>();

  private record Remembered(long window, double[] params, Evaluation evaluation) {}

  /**
   * @param regularizer the penalty; its L2 part enters value and gradient, its L1 part the value
   *     only (the trainer applies its proximal step)
   * @param scale null, or {@code 1/σ_j} per coefficient (per feature, repeated for each of the
   *     K outputs): the parameters are then those of the standardized features
   *     {@code x_j/σ_j}, evaluated as {@code w_j = w'_j/σ_j} on the raw data, and the penalty
   *     applies to {@code w'}
   */
  public BatchObjective(JavaRDD<DataBlock> blocks, MiniBatchPlan plan, Loss loss,
      boolean fitIntercept, Regularizer regularizer, double[] scale, int depth, int numParams) {
    this.blocks = blocks;
    this.plan = plan;
    this.loss = loss;
    this.fitIntercept = fitIntercept;
    this.regularizer = regularizer;
    this.scale = scale;
    this.depth = depth;
    this.numParams = numParams;
  }

  /** Makes {@link ObjectiveFunction}'s calls read the rows of step {@code step}'s window. */
  public BatchObjective window(long step) {
    this.window = step;
    return this;
  }

  /**
   * Sends parameter vectors of up to {@code limit} values in the task closure (0: always
   * broadcast); for the benchmark, which times both ways.
   */
  public BatchObjective closureLimit(int limit) {
    this.closureLimit = limit;
    return this;
  }

  /** The distributed passes run so far. */
  public long passes() {
    return passes;
  }

  @Override
  public int dimension() {
    return numParams;
  }

  @Override
  public Evaluation evaluate(double[] params) {
    return evaluate(params, false);
  }

  @Override
  public Evaluation evaluateWithHessian(double[] params) {
    return evaluate(params, true);
  }

  @Override
  public double value(double[] params) {
    for (Remembered r : memory) {
      if (r.window == window && Arrays.equals(r.params, params)) {
        return r.evaluation.value();
      }
    }
    GradientAccumulator acc = aggregate(params, new GradientAccumulator(numParams, false));
    double value = acc.lossSum() / weightSum(acc) + regularizer.penalty(params, numCoefficients());
    remember(params, new Evaluation(value, null, null, acc.rows()));
    return value;
  }

  private Evaluation evaluate(double[] params, boolean withHessian) {
    check(params);
    for (Remembered r : memory) {
      if (r.window == window && Arrays.equals(r.params, params)
          && r.evaluation.gradient() != null
          && (!withHessian || r.evaluation.hessian() != null)) {
        return r.evaluation;
      }
    }
    GradientAccumulator acc = aggregate(params, withHessian
        ? GradientAccumulator.withHessian(numParams) : new GradientAccumulator(numParams, true));
    double weight = weightSum(acc);
    double[] g = acc.gradientSum();
    int d = numCoefficients();
    for (int j = 0; j < numParams; j++) {
      g[j] /= weight;
    }
    if (scale != null) {
      // ∂F/∂w'_j = ∂F/∂w_j · (1/σ_j).
      for (int j = 0; j < d; j++) {
        g[j] *= scale[j];
      }
    }
    regularizer.addGradient(params, g, d);
    double[] h = null;
    if (withHessian) {
      h = acc.hessianSum();
      for (int k = 0; k < numParams; k++) {
        double sk = scale != null && k < d ? scale[k] : 1.0;
        for (int j = 0; j < numParams; j++) {
          double sj = scale != null && j < d ? scale[j] : 1.0;
          h[j + k * numParams] *= sj * sk / weight;
        }
      }
      regularizer.addHessian(h, numParams, d);
    }
    double value = acc.lossSum() / weight + regularizer.penalty(params, d);
    Evaluation e = new Evaluation(value, g, h, acc.rows());
    remember(params, e);
    return e;
  }

  /**
   * The data loss and its gradient over window {@code window} at the parameters of
   * {@code ticket} (see {@link ParameterShipping}): each task computes with its executor's copy
   * of {@code v} at the ticket's version and the coefficient scale, margins
   * {@code scale·(x·v) + b}, or, for a paired ticket, its copy of v and y and the margins
   * {@code scale·(x·v) + secondScale·(x·y) + b}. The penalty is the caller's (a sparse step applies its L2 part
   * through the scale). While the merged gradient stays sparse, the driver allocates only what
   * the window touched. One distributed pass, counted in {@link #passes()}; not remembered.
   *
   * <p>When this objective standardizes the features, the ticket carries the parameters of the
   * raw features ({@code w_j = w'_j/σ_j}, as {@link #toOriginal}) and the gradient returned is
   * with respect to the standardized ones: {@code ∂F/∂w'_j = ∂F/∂w_j · (1/σ_j)}.
   */
  public SparseEvaluation evaluateSparse(long window, ParameterTicket ticket) {
    int shipped = ticket.paired() ? 2 * numParams : numParams;
    if (ticket.numParams() != shipped) {
      throw new IllegalArgumentException("the objective takes " + numParams
          + " parameters, the " + (ticket.paired() ? "paired " : "") + "ticket carries "
          + ticket.numParams());
    }
    passes++;
    long step = window;
    MiniBatchPlan plan = this.plan;
    Loss loss = this.loss;
    boolean fitIntercept = this.fitIntercept;
    Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) -> {
      double s = ticket.scale();
      double r = ticket.secondScale();
      try (ParameterCopies.Lease lease = ParameterCopies.acquire(ticket)) {
        double[] v = lease.params();
        plan.forEachRange(block.partition(), step, block.firstRow(), block.numRows(),
            (from, to) -> acc.add(block, from, to, loss, v, s, r, fitIntercept));
      }
      return acc;
    };
    GradientAccumulator acc = Aggregation.aggregate(blocks,
        new GradientAccumulator(numParams, true), seqOp, GradientAccumulator::merge, depth);
    double weight = weightSum(acc);
    double mean = acc.lossSum() / weight;
    if (acc.isSparse()) {
      double[] values = new double[acc.storedCoordinates()];
      int[] coordinates = acc.gradientCoordinates(values);
      int d = numCoefficients();
      for (int i = 0; i < values.length; i++) {
        values[i] /= weight;
        if (scale != null && coordinates[i] < d) {
          values[i] *= scale[coordinates[i]];
        }
      }
      return new SparseEvaluation(mean, weight, acc.rows(), coordinates, values, null);
    }
    double[] g = acc.gradientSum();
    for (int j = 0; j < g.length; j++) {
      g[j] /= weight;
    }
    if (scale != null) {
      for (int j = 0; j < numCoefficients(); j++) {
        g[j] *= scale[j];
      }
    }
    return new SparseEvaluation(mean, weight, acc.rows(), null, null, g);
  }

  private void remember(double[] params, Evaluation e) {
    if (memory.size() == MEMORY) {
      memory.removeLast();
    }
    memory.addFirst(new Remembered(window, params.clone(), e));
  }

  private int numCoefficients() {
    return numParams - loss.numBiases(fitIntercept);
  }

  /**
   * The parameters of the raw features: {@code w_j = w'_j/σ_j} when standardizing (a copy),
   * else {@code params} itself.
   */
  public double[] toOriginal(double[] params) {
    if (scale == null) {
      return params;
    }
    double[] w = params.clone();
    for (int j = 0; j < numCoefficients(); j++) {
      w[j] *= scale[j];
    }
    return w;
  }

  /**
   * The full objective over every row, whatever the window: the mean loss at the original-scale
   * parameters plus the penalty at {@code params} (the standardized ones when standardizing).
   * One pass without the gradient, counted in {@link #passes()}.
   */
  public double fullObjective(double[] params) {
    return fullObjective(params, null);
  }

  /**
   * {@link #fullObjective(double[])} with a batch-normalized network's {@link
   * #inferenceStatistics} at {@code params} already computed (null: compute them), which saves
   * their passes.
   */
  public double fullObjective(double[] params, BatchNormStatistics statistics) {
    Loss full = statistics != null && loss instanceof MlpLoss network && network.batchNorm()
        ? network.withStatistics(statistics) : inferenceLoss(params);
    passes++;
    return Objective.full(blocks, full, toOriginal(params), fitIntercept, 0.0, depth)
        + regularizer.penalty(params, numCoefficients());
  }

  /**
   * The loss that evaluates {@code params} on any rows: the loss itself, or a batch-normalized
   * network with the {@link #inferenceStatistics} at {@code params}.
   */
  Loss inferenceLoss(double[] params) {
    if (loss instanceof MlpLoss network && network.batchNorm()) {
      return network.withStatistics(inferenceStatistics(params));
    }
    return loss;
  }

  /**
   * A batch-normalized network's statistics for inference at {@code params}: the mean and the
   * (biased) variance of every hidden unit's pre-activations over every training row, the
   * population statistics of Ioffe and Szegedy (2015, §3.1); one pass a hidden layer. With
   * them a network's loss on the training rows is that of one batch of every row.
   */
  public BatchNormStatistics inferenceStatistics(double[] params) {
    if (!(loss instanceof MlpLoss network && network.batchNorm())) {
      throw new IllegalStateException(loss + " has no batch normalization");
    }
    check(params);
    try (Shipped shipped = ship(toOriginal(params).clone())) {
      return network.withBatchStatistics(passes(shipped, null, 0), false).statistics()
          .asInference();
    }
  }

  /**
   * Parameters for the tasks of several passes: in the closure when small, else in one
   * broadcast that {@link #close} destroys.
   */
  private interface Shipped extends Serializable, AutoCloseable {
    double[] params();

    @Override
    default void close() {}
  }

  private record Inline(double[] params) implements Shipped {}

  private record Broadcasted(Broadcast<double[]> bc) implements Shipped {
    @Override
    public double[] params() {
      return bc.value();
    }

    @Override
    public void close() {
      bc.destroy();
    }
  }

  private Shipped ship(double[] evaluated) {
    if (evaluated.length <= closureLimit) {
      return new Inline(evaluated);
    }
    return new Broadcasted(blocks.context().broadcast(evaluated,
        scala.reflect.ClassTag$.MODULE$.apply(double[].class)));
  }

  /** Calls {@code f} with each range of {@code block}'s rows in the window, every row when null. */
  private static void forEachRange(MiniBatchPlan plan, long step, DataBlock block,
      MiniBatchPlan.RangeVisitor f) {
    if (plan == null) {
      f.range(0, block.numRows());
    } else {
      plan.forEachRange(block.partition(), step, block.firstRow(), block.numRows(), f);
    }
  }

  /**
   * The passes of a batch-normalized network over window {@code step} of {@code plan} (every
   * row when the plan is null), each counted in {@link #passes()}.
   */
  private MlpLoss.BatchPasses passes(Shipped shipped, MiniBatchPlan plan, long step) {
    return new MlpLoss.BatchPasses() {
      @Override
      public double[] moments(MlpLoss network) {
        passes++;
        int units = network.hidden()[network.momentsLayer() - 1];
        Function2<double[], DataBlock, double[]> seqOp = (acc, block) -> {
          double[] w = shipped.params();
          Workspace workspace = new Workspace();
          forEachRange(plan, step, block,
              (from, to) -> network.addMoments(block, from, to, w, acc, workspace));
          return acc;
        };
        return Aggregation.aggregate(blocks, BatchNormStatistics.zeroMoments(units), seqOp,
            BatchNormStatistics::mergeMoments, depth);
      }

      @Override
      public double[] gradientSum(MlpLoss network) {
        passes++;
        return sum(network, shipped, plan, step, new GradientAccumulator(numParams, true))
            .gradientSum();
      }
    };
  }

  /** The loss (and gradient) sum of {@code network} over the window: one pass, not counted. */
  private GradientAccumulator sum(MlpLoss network, Shipped shipped, MiniBatchPlan plan,
      long step, GradientAccumulator zero) {
    boolean fitIntercept = this.fitIntercept;
    Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) -> {
      double[] w = shipped.params();
      forEachRange(plan, step, block,
          (from, to) -> acc.add(block, from, to, network, w, fitIntercept));
      return acc;
    };
    return Aggregation.aggregate(blocks, zero, seqOp, GradientAccumulator::merge, depth);
  }

  private void check(double[] params) {
    if (params.length != numParams) {
      throw new IllegalArgumentException("the objective takes " + numParams
          + " parameters, got " + params.length);
    }
  }

  private static double weightSum(GradientAccumulator acc) {
    if (!(acc.weightSum() > 0)) {
      throw new IllegalStateException("the batch has no rows with positive weight");
    }
    return acc.weightSum();
  }

  private GradientAccumulator aggregate(double[] params, GradientAccumulator zero) {
    check(params);
    double[] evaluated = scale == null ? params.clone() : toOriginal(params);
    if (loss instanceof MlpLoss network && network.batchNorm()) {
      try (Shipped shipped = ship(evaluated)) {
        MlpLoss normalized = network.withBatchStatistics(passes(shipped, plan, window),
            zero.hasGradient());
        passes++;
        return sum(normalized, shipped, plan, window, zero);
      }
    }
    passes++;
    long step = window;
    MiniBatchPlan plan = this.plan;
    Loss loss = this.loss;
    boolean fitIntercept = this.fitIntercept;
    if (evaluated.length <= closureLimit) {
      Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) -> {
        plan.forEachRange(block.partition(), step, block.firstRow(), block.numRows(),
            (from, to) -> acc.add(block, from, to, loss, evaluated, fitIntercept));
        return acc;
      };
      return Aggregation.aggregate(blocks, zero, seqOp, GradientAccumulator::merge, depth);
    }
    Broadcast<double[]> bc = blocks.context().broadcast(evaluated,
        scala.reflect.ClassTag$.MODULE$.apply(double[].class));
    try {
      Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) -> {
        double[] w = bc.value();
        plan.forEachRange(block.partition(), step, block.firstRow(), block.numRows(),
            (from, to) -> acc.add(block, from, to, loss, w, fitIntercept));
        return acc;
      };
      return Aggregation.aggregate(blocks, zero, seqOp, GradientAccumulator::merge, depth);
    } finally {
      bc.destroy();
    }
  }
}
