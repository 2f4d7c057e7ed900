package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.LogisticLoss;
import descent.core.MiniBatchPlan;
import descent.driver.BatchObjective;
import descent.driver.Regularizer;
import descent.driver.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;

/**
 * descent's gradient step as the bench times it: the mean logistic gradient of the step's window
 * through the trainer's {@link BatchObjective}, then {@code w -= lr/sqrt(t)·g} by hand (as MLlib's
 * SimpleUpdater), so that the step compares with MLlib's without the trainer's own work.
 */
final class DescentSteps {
  private DescentSteps() {}

  /**
   * {@code count} steps from zero parameters over {@code plan}'s windows, the window of each step
   * taken from {@code counter} (advanced by one a step, and shared by the calls of a run so that
   * they read different windows).
   *
   * @param closureLimit the parameter count up to which the parameters travel in the job's
   *     closure instead of a broadcast of their own ({@link BatchObjective#closureLimit})
   */
  static void run(JavaRDD<DataBlock> blocks, MiniBatchPlan plan, int d, long[] counter,
      int closureLimit, int count) {
    BatchObjective objective = new BatchObjective(blocks, plan, new LogisticLoss(), false,
        Regularizer.of(0, 0), null, stepDepth(blocks, d), d).closureLimit(closureLimit);
    double[] w = new double[d];
    for (int t = 1; t <= count; t++) {
      double[] g = objective.window(counter[0]++).evaluate(w).gradient();
      double scale = 1.0 / Math.sqrt(t);
      for (int j = 0; j < d; j++) {
        w[j] -= scale * g[j];
      }
    }
    if (!Double.isFinite(w[0])) {
      throw new IllegalStateException("descent SGD diverged");
    }
  }

  /** The {@code treeAggregate} depth a training step on these blocks uses by default. */
  static int stepDepth(JavaRDD<DataBlock> blocks, int numParams) {
    return TrainingConfig.aggregationDepth(TrainingConfig.DEFAULT_AGGREGATION_DEPTH,
        blocks.getNumPartitions(), numParams);
  }
}
