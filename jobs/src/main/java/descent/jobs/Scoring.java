package descent.jobs;

import descent.core.DataBlock;
import descent.core.Loss;
import descent.core.MarginLoss;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/** Per-row predictions of a linear model over cached blocks, in block order. */
final class Scoring {
  private Scoring() {}

  /** (prediction, stored label) for every row: the margin for linear, P(y=+1) for logistic. */
  static JavaRDD<Tuple2<Double, Double>> predictions(JavaRDD<DataBlock> blocks, Loss loss,
      double[] params, boolean fitIntercept) {
    return blocks.flatMap(block -> {
      int n = block.numRows();
      double[] margins = new double[n];
      MarginLoss.margins(block, 0, n, params, fitIntercept, margins);
      double[] labels = block.labels();
      List<Tuple2<Double, Double>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new Tuple2<>(loss.predict(margins[i]), labels[i]));
      }
      return out.iterator();
    });
  }
}
