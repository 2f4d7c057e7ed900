package descent.jobs.bench;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import scala.Tuple2;

/**
 * Spark MLlib's mini-batch SGD ({@code GradientDescent.runMiniBatchSGD}, logistic gradient,
 * step 1/sqrt(t)), the step descent's is compared with, and the arithmetic that turns a call's
 * time into a time per step.
 */
final class MllibSteps {
  private MllibSteps() {}

  /** One call of {@code steps} iterations from zero at {@code fraction} of the data a step. */
  static void run(JavaRDD<Tuple2<Object, Vector>> data, int d, double fraction, int steps) {
    Tuple2<Vector, double[]> r = GradientDescent.runMiniBatchSGD(data.rdd(),
        new LogisticGradient(), new SimpleUpdater(), 1.0, steps, 0.0, fraction,
        Vectors.zeros(d), 0.0);
    if (!Double.isFinite(r._1().apply(0))) {
      throw new IllegalStateException("MLlib SGD diverged");
    }
  }

  /**
   * MLlib's seconds per step in each round, {@code (call − count) / (steps + 1)}, from the
   * call's and the count's times already divided by {@code steps}. {@code runMiniBatchSGD}
   * counts its data once a call before its first step, and runs {@code steps + 1} gradient jobs:
   * Spark 4.1's loop goes to {@code numIterations + 1}, and its last turn only evaluates the loss
   * at the final weights for the loss history (Spark's event log: 21 {@code treeAggregate} jobs
   * in every 20-step call). A long run pays both once, so a step is what is left, shared by the
   * jobs that ran; dividing the call by {@code steps} alone made MLlib's step 20 % dearer at
   * {@code --steps 5} and 5 % at {@code --steps 20}.
   */
  static double[] perStep(double[] callPerStep, double[] countPerStep, int steps) {
    if (callPerStep.length != countPerStep.length) {
      throw new IllegalArgumentException("expected the same rounds on both sides, got "
          + callPerStep.length + " and " + countPerStep.length);
    }
    double[] r = new double[callPerStep.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (callPerStep[i] - countPerStep[i]) * steps / (steps + 1);
    }
    return r;
  }
}
