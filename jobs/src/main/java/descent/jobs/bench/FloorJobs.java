package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.PlainPass;
import descent.driver.Aggregation;
import org.apache.spark.api.java.JavaRDD;

/**
 * The two jobs a step is measured against, both shaped like a descent step (the same
 * {@link Aggregation} at the same depth, one task a cached partition, a result sent back): the
 * floor, which reads every cached array once and so bounds how fast a step can read its data,
 * and the empty job, which reads none and so is what Spark's scheduling alone costs a step.
 */
final class FloorJobs {
  private FloorJobs() {}

  /** {@code count} floor passes ({@link #floorPass}), timed like {@code count} descent steps. */
  static void floorPasses(JavaRDD<DataBlock> blocks, int count) {
    for (int i = 0; i < count; i++) {
      floorPass(blocks);
    }
  }

  /** {@code count} empty jobs ({@link #emptyJob}), timed like {@code count} descent steps. */
  static void emptyJobs(JavaRDD<DataBlock> blocks, int count) {
    for (int i = 0; i < count; i++) {
      emptyJob(blocks);
    }
  }

  /**
   * The floor: one job over the cached blocks, without parameters, that reads every array of
   * every block once ({@link #streamBlock}). A step cannot read its data faster than this.
   */
  static void floorPass(JavaRDD<DataBlock> blocks) {
    blocks.context().setJobDescription("descent bench: floor pass");
    double sum = Aggregation.aggregate(blocks, 0.0, (s, b) -> s + streamBlock(b), Double::sum,
        DescentSteps.stepDepth(blocks, 1));
    if (Double.isNaN(sum)) {
      throw new IllegalStateException("NaN in the data");
    }
  }

  /**
   * A job that counts the blocks' rows and reads none of their arrays: the part of a 1 % step
   * that descent cannot cut.
   */
  static void emptyJob(JavaRDD<DataBlock> blocks) {
    blocks.context().setJobDescription("descent bench: empty job");
    double rows = Aggregation.aggregate(blocks, 0.0, (s, b) -> s + b.numRows(), Double::sum,
        DescentSteps.stepDepth(blocks, 1));
    if (rows < 1) {
      throw new IllegalStateException("no rows in the cached blocks");
    }
  }

  /**
   * Every stored number of the block (values, labels, weights, CSR indices) summed in one pass
   * per array, so the pass reads the same bytes as a full-batch gradient once.
   */
  static double streamBlock(DataBlock b) {
    double s = PlainPass.sum(b.values()) + PlainPass.sum(b.labels());
    if (b.weights() != null) {
      s += PlainPass.sum(b.weights());
    }
    if (!b.isDense()) {
      s += streamSum(b.indices()) + streamSum(b.indptr());
    }
    return s;
  }

  /** Σ v[i] of an index array (integer adds, which the JIT vectorizes). */
  static double streamSum(int[] v) {
    long s = 0;
    for (int x : v) {
      s += x;
    }
    return s;
  }
}
