package descent.driver;

import descent.core.RowBuffer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Appends a Spark ML feature vector to a {@link RowBuffer} as the features of its current row,
 * checking what the kernels rely on: the width, finite values and ascending sparse indices. The
 * Parquet reader and the Spark ML estimators both read rows through it; a sparse vector stays
 * sparse (nothing d-sized per row).
 */
public final class VectorRows {
  private VectorRows() {}

  /**
   * Adds the non-zeros of {@code v} to the current row of {@code out}.
   *
   * @throws IllegalArgumentException saying what is wrong with the vector (features are named
   *     by their 0-based vector index)
   */
  public static void addFeatures(Vector v, int numFeatures, RowBuffer out) {
    if (v.size() != numFeatures) {
      throw new IllegalArgumentException("the feature vector has " + v.size()
          + " values; the model has " + numFeatures + " features");
    }
    if (v instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] val = s.values();
      int previous = -1;
      for (int k = 0; k < idx.length; k++) {
        if (idx[k] <= previous) {
          throw new IllegalArgumentException("sparse vector indices do not ascend (" + previous
              + ", " + idx[k] + ")");
        }
        previous = idx[k];
        if (!Double.isFinite(val[k])) {
          throw new IllegalArgumentException("feature " + idx[k] + " is " + val[k]);
        }
        out.addFeature(idx[k], val[k]);
      }
    } else {
      double[] val = ((DenseVector) v).values();
      for (int j = 0; j < val.length; j++) {
        if (!Double.isFinite(val[j])) {
          throw new IllegalArgumentException("feature " + j + " is " + val[j]);
        }
        out.addFeature(j, val[j]);
      }
    }
  }
}
