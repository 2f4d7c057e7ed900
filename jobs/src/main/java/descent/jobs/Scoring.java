package descent.jobs;

import descent.core.DataBlock;
import descent.core.Loss;
import descent.core.MarginLoss;
import descent.core.MlpLoss;
import descent.core.SoftmaxLoss;
import descent.core.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/** Per-row predictions of a linear model or a network over cached blocks, in block order. */
final class Scoring {
  private Scoring() {}

  /**
   * (prediction, stored label) for every row: {@link Loss#predict} of the margin (the value for
   * linear and Huber, P(y=+1) for logistic, the margin for the SVMs), the class of the largest
   * score for softmax.
   */
  static JavaRDD<Tuple2<Double, Double>> predictions(JavaRDD<DataBlock> blocks, Loss loss,
      double[] params, boolean fitIntercept) {
    int k = loss.numOutputs();
    return blocks.flatMap(block -> {
      int n = block.numRows();
      double[] labels = block.labels();
      List<Tuple2<Double, Double>> out = new ArrayList<>(n);
      if (loss instanceof MlpLoss network) {
        double[] z = new double[n * k];
        network.outputs(block, 0, n, params, z, new Workspace());
        for (int i = 0; i < n; i++) {
          out.add(new Tuple2<>(k > 1 ? (double) argmax(z, i * k, k) : loss.predict(z[i]),
              labels[i]));
        }
      } else if (k > 1) {
        double[] z = new double[n * k];
        SoftmaxLoss.scores(block, 0, n, params, fitIntercept, k, z);
        for (int i = 0; i < n; i++) {
          out.add(new Tuple2<>((double) argmax(z, i * k, k), labels[i]));
        }
      } else {
        double[] margins = new double[n];
        MarginLoss.margins(block, 0, n, params, fitIntercept, margins);
        for (int i = 0; i < n; i++) {
          out.add(new Tuple2<>(loss.predict(margins[i]), labels[i]));
        }
      }
      return out.iterator();
    });
  }

  /** For a K-class softmax model, a line per row: the class, then the K probabilities. */
  static JavaRDD<String> classLines(JavaRDD<DataBlock> blocks, Loss loss, double[] params,
      boolean fitIntercept) {
    int k = loss.numOutputs();
    return blocks.flatMap(block -> {
      int n = block.numRows();
      double[] z = new double[n * k];
      if (loss instanceof MlpLoss network) {
        network.outputs(block, 0, n, params, z, new Workspace());
      } else {
        SoftmaxLoss.scores(block, 0, n, params, fitIntercept, k, z);
      }
      int best;
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        best = argmax(z, i * k, k);
        SoftmaxLoss.softmaxInPlace(z, i * k, k, 1);
        StringBuilder line = new StringBuilder(Integer.toString(best));
        for (int c = 0; c < k; c++) {
          line.append(',').append(String.format(Locale.ROOT, "%.17g", z[i * k + c]));
        }
        out.add(line.toString());
      }
      return out.iterator();
    });
  }

  /** The index of the largest of {@code z[from .. from+k)} (the first on ties). */
  static int argmax(double[] z, int from, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (z[from + c] > z[from + best]) {
        best = c;
      }
    }
    return best;
  }
}
