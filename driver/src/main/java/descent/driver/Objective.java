package descent.driver;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.Loss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * The full-data passes outside the training step (which is {@link BatchObjective}): the loss
 * sums over every row and the full objective
 * {@code Σ s_i ℓ_i / Σ s_i + (regL2/2)||w||²} (intercept never penalized). Each broadcasts the
 * parameters, runs one {@link Aggregation}, and destroys the broadcast.
 */
public final class Objective {
  private Objective() {}

  /** Sums of the loss over every row (no gradient). */
  public static GradientAccumulator lossSums(JavaRDD<DataBlock> blocks, Loss loss,
      double[] params, boolean fitIntercept, int depth) {
    Broadcast<double[]> bc = blocks.context().broadcast(params.clone(),
        scala.reflect.ClassTag$.MODULE$.apply(double[].class));
    try {
      Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) ->
          acc.add(block, 0, block.numRows(), loss, bc.value(), fitIntercept);
      return Aggregation.aggregate(blocks, new GradientAccumulator(params.length, false), seqOp,
          GradientAccumulator::merge, depth);
    } finally {
      bc.destroy();
    }
  }

  /** The full objective at {@code params}. */
  public static double full(JavaRDD<DataBlock> blocks, Loss loss, double[] params,
      boolean fitIntercept, double regL2, int depth) {
    GradientAccumulator acc = lossSums(blocks, loss, params, fitIntercept, depth);
    return acc.lossSum() / acc.weightSum()
        + Regularizer.of(0.0, regL2).penalty(params,
            params.length - loss.numBiases(fitIntercept));
  }
}
