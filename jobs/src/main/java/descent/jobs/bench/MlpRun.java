package descent.jobs.bench;

import descent.core.Activation;
import descent.core.MiniBatchPlan;
import descent.core.MlpLoss;
import descent.core.OutputLoss;
import descent.driver.BatchObjective;
import descent.driver.Regularizer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench --mlp 128,64}: the time of one full-batch gradient pass of a network through
 * descent's step ({@link BatchObjective} over {@link MlpLoss}: broadcast, forward and backward
 * on the executors, {@code treeAggregate}) against one iteration of Spark ML's
 * {@code MultilayerPerceptronClassifier} with the same hidden layers on the same cached rows (its
 * {@code gd} solver, one gradient pass an iteration). Spark's iteration is the difference of fits
 * of {@code 2·--steps} and {@code --steps} iterations over {@code --steps}, so its setup (stacking
 * the rows into blocks) cancels. Both networks have sigmoid hidden layers; descent's output is one
 * logistic unit, Spark's two softmax units (its binary form), which differ in the last layer
 * only.
 */
final class MlpRun {
  private final BenchCommand options;
  private final PrintStream out;

  MlpRun(BenchCommand options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  int run(SparkSession spark) throws Exception {
    BenchData data = BenchData.load(spark, options);
    try {
      data.requireSameRows();
      TrainingData td = data.training();
      int d = td.numFeatures();
      int[] hidden = options.mlp.stream().mapToInt(Integer::intValue).toArray();
      MlpLoss loss = new MlpLoss(hidden, Activation.SIGMOID, OutputLoss.LOGISTIC, 0);
      int p = loss.numParams(d, true);
      BatchObjective objective = new BatchObjective(td.blocks(),
          new MiniBatchPlan(td.partitionRows(), td.totalRows()), loss, true,
          Regularizer.of(0.0, 0.0), null,
          TrainingConfig.aggregationDepth(0, td.partitionRows().length, p), p);
      double[] params = loss.initialParams(d, true, options.seed);
      int steps = options.steps;
      int[] layers = new int[hidden.length + 2];
      layers[0] = d;
      System.arraycopy(hidden, 0, layers, 1, hidden.length);
      layers[layers.length - 1] = 2;
      out.printf(Locale.ROOT, "mlp step: %s, %d rows x %d features in %d partitions, layers %s"
          + " (%d parameters), sigmoid hidden layers; %d repetitions of %d steps%n",
          data.source(), td.totalRows(), d, td.partitionRows().length,
          Arrays.toString(layers), p, options.repetitions(), steps);
      double[][] t = options.rounds().times(1, () -> {
        for (int s = 0; s < steps; s++) {
          // A new point each pass, so the objective's memory of recent points does not answer.
          params[0] += 1e-9;
          objective.evaluate(params);
        }
      }, () -> fit(data, layers, steps), () -> fit(data, layers, 2 * steps));
      double[] descent = new double[t[0].length];
      double[] theirsPerRound = new double[t[0].length];
      for (int r = 0; r < descent.length; r++) {
        descent[r] = t[0][r] / steps;
        theirsPerRound[r] = (t[2][r] - t[1][r]) / steps;
      }
      double ours = Rounds.median(descent);
      double theirs = Rounds.median(theirsPerRound);
      double rows = td.totalRows();
      out.printf(Locale.ROOT, "%-44s %12s %14s%n", "step", "seconds", "µs per row");
      out.printf(Locale.ROOT, "%-44s %12.4f %14.3f%n", "descent mlp full-batch gradient pass",
          ours, ours / rows * 1e6);
      out.printf(Locale.ROOT, "%-44s %12.4f %14.3f%n", "Spark ML MultilayerPerceptron gd iteration",
          theirs, theirs / rows * 1e6);
      out.printf(Locale.ROOT, "descent / Spark ML: %.2f (medians of %d rounds)%n",
          ours / theirs, descent.length);
      return 0;
    } finally {
      data.unpersist();
    }
  }

  private void fit(BenchData data, int[] layers, int iterations) {
    new MultilayerPerceptronClassifier().setLayers(layers).setSolver("gd").setStepSize(0.03)
        .setTol(0.0).setMaxIter(iterations).setSeed(options.seed).fit(data.frame());
  }
}
