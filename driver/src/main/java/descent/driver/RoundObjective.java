package descent.driver;

import descent.core.DataBlock;
import descent.core.LocalRound;
import descent.core.RoundSum;
import descent.driver.schedule.LearningRateSchedule;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * A round of local steps as the driver sees it: one Spark job in which every task runs
 * {@link LocalRound} over its partition from the round's parameters θ, and the weighted changes
 * meet in {@link Aggregation} (descent's {@code treeAggregate}). What it returns has the shape of
 * a step's {@link Evaluation}, so the outer optimizer, schedule, clipping and every other part of
 * the loop take it unchanged:
 * <pre>
 *   gradient = Σ_p W_p(θ − θ_p) / Σ_p W_p          (the pseudo-gradient; W_p = Σ s_i read by p)
 *   value    = Σ s_i ℓ_i / Σ_p W_p + R(θ)          (every inner window's loss, before its step)
 * </pre>
 * Outer SGD at rate 1 then sets θ to the workers' weighted mean (model averaging); outer Nesterov
 * momentum is DiLoCo's outer step.
 */
final class RoundObjective {
  private final JavaRDD<List<DataBlock>> partitions;
  private final LocalRound round;
  private final LocalSteps localSteps;
  private final LearningRateSchedule innerSchedule;
  private final Regularizer regularizer;
  private final int numParams;
  private final int numCoefficients;
  private final int depth;
  private long passes;
  private double lastInnerRate = Double.NaN;

  RoundObjective(JavaRDD<DataBlock> blocks, LocalRound round, LocalSteps localSteps,
      LearningRateSchedule innerSchedule, Regularizer regularizer, int numParams,
      int numCoefficients, int depth) {
    // The blocks of each partition in one list (references to the cached blocks, no copy): a
    // task's inner steps walk its windows in order, across block boundaries.
    this.partitions = blocks.glom();
    this.round = round;
    this.localSteps = localSteps;
    this.innerSchedule = innerSchedule;
    this.regularizer = regularizer;
    this.numParams = numParams;
    this.numCoefficients = numCoefficients;
    this.depth = depth;
  }

  /** The distributed passes (rounds) run so far. */
  long passes() {
    return passes;
  }

  /** The inner rate of the last round evaluated. */
  double lastInnerRate() {
    return lastInnerRate;
  }

  /** Runs 0-based round {@code r} from {@code params}; see the class comment for the result. */
  Evaluation evaluate(long r, double[] params) {
    long first = localSteps.firstStep(r);
    int steps = localSteps.stepsIn(r);
    double lr = innerSchedule.rate(first);
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("the inner schedule " + innerSchedule
          + " gave learning rate " + lr + " at step " + (first + 1));
    }
    lastInnerRate = lr;
    passes++;
    double[] start = params.clone();
    LocalRound task = round;
    RoundSum sum;
    if (start.length <= BatchObjective.CLOSURE_LIMIT) {
      Function2<RoundSum, List<DataBlock>, RoundSum> seqOp = (acc, blocks) ->
          task.run(blocks, start, first, steps, lr, acc);
      sum = Aggregation.aggregate(partitions, new RoundSum(numParams), seqOp, RoundSum::merge,
          depth);
    } else {
      Broadcast<double[]> bc = partitions.context().broadcast(start,
          scala.reflect.ClassTag$.MODULE$.apply(double[].class));
      try {
        Function2<RoundSum, List<DataBlock>, RoundSum> seqOp = (acc, blocks) ->
            task.run(blocks, bc.value(), first, steps, lr, acc);
        sum = Aggregation.aggregate(partitions, new RoundSum(numParams), seqOp,
            RoundSum::merge, depth);
      } finally {
        bc.destroy();
      }
    }
    if (!(sum.weightSum() > 0)) {
      throw new IllegalStateException("round " + (r + 1) + " read no rows with positive weight");
    }
    double value = sum.lossSum() / sum.weightSum() + regularizer.penalty(params, numCoefficients);
    return new Evaluation(value, sum.meanChange(), null, sum.rows());
  }
}
