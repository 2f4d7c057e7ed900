package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.MiniBatchPlan;
import descent.driver.TrainingData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Vector;
import scala.Tuple2;

/**
 * What the timed bodies of the comparison run on: the cached data of both libraries, the full and
 * the 1 % plan, the steps a body runs, and the window counter the descent bodies share. Each
 * {@link StepKind} runs one body on it.
 */
final class StepBodies {
  private final BenchData data;
  private final MiniBatchPlan fullPlan;
  private final MiniBatchPlan smallPlan;
  private final long smallBatch;
  private final int steps;
  private final long[] counter = {0};

  /**
   * @param smallBatch rows of a 1 % step, {@code max(1, round(0.01 n))}
   * @param steps steps a body runs ({@code --steps})
   */
  StepBodies(BenchData data, long smallBatch, int steps) {
    long[] partitionRows = data.training().partitionRows();
    this.data = data;
    this.fullPlan = new MiniBatchPlan(partitionRows, data.training().totalRows());
    this.smallBatch = smallBatch;
    this.smallPlan = new MiniBatchPlan(partitionRows, smallBatch);
    this.steps = steps;
  }

  private JavaRDD<DataBlock> blocks() {
    return data.training().blocks();
  }

  private int features() {
    return data.training().numFeatures();
  }

  /** One MLlib call of {@code steps} iterations at {@code fraction}. */
  void mllib(double fraction) {
    MllibSteps.run(data.mllib(), features(), fraction, steps);
  }

  /** The count MLlib runs once a call, alone. */
  void mllibCount() {
    data.mllib().count();
  }

  /** {@code steps} descent steps at full batch or 1 % ({@code small}). */
  void descent(boolean small, int closureLimit) {
    DescentSteps.run(blocks(), small ? smallPlan : fullPlan, features(), counter, closureLimit,
        steps);
  }

  /** {@code steps} floor passes. */
  void floor() {
    FloorJobs.floorPasses(blocks(), steps);
  }

  /** {@code steps} empty jobs. */
  void emptyJobs() {
    FloorJobs.emptyJobs(blocks(), steps);
  }

  /** {@code steps} 1 % steps through the Trainer. */
  void trainer() {
    TrainerSteps.run(data.training(), smallBatch, steps);
  }
}
