package descent.driver;

import descent.core.DataBlock;
import org.apache.spark.api.java.JavaRDD;

/**
 * The per-feature standard deviations for {@code --standardize}, in one distributed pass:
 * {@code σ_j = sqrt((Σx_j² − (Σx_j)²/n) / (n − 1))}, the unbiased estimate Spark ML's
 * {@code LogisticRegression(standardization = true)} uses. Instance weights count as frequencies
 * ({@code n = Σs_i}, sums {@code Σs_i x_ij}), so a row of weight 2 scales exactly like the same
 * row twice. Features are scaled, not centred, so
 * sparse data stays sparse; a constant feature (σ = 0) gets scale 0 and coefficient 0, as in
 * Spark ML.
 */
public final class FeatureScaling {
  private FeatureScaling() {}

  /** {@code 1/σ_j} per feature (0 where σ_j = 0). */
  public static double[] inverseStd(JavaRDD<DataBlock> blocks, int numFeatures, int depth) {
    int d = numFeatures;
    // [n, Σx_0..Σx_{d−1}, Σx_0²..Σx_{d−1}²]
    double[] sums = blocks.treeAggregate(new double[1 + 2 * d], (acc, block) -> {
      int rows = block.numRows();
      double[] s = block.weights();
      double[] v = block.values();
      if (block.isDense()) {
        for (int i = 0; i < rows; i++) {
          double w = s == null ? 1.0 : s[i];
          acc[0] += w;
          int base = i * d;
          for (int j = 0; j < d; j++) {
            double x = v[base + j];
            acc[1 + j] += w * x;
            acc[1 + d + j] += w * x * x;
          }
        }
      } else {
        int[] indptr = block.indptr();
        int[] indices = block.indices();
        for (int i = 0; i < rows; i++) {
          double w = s == null ? 1.0 : s[i];
          acc[0] += w;
          for (int k = indptr[i]; k < indptr[i + 1]; k++) {
            double x = v[k];
            acc[1 + indices[k]] += w * x;
            acc[1 + d + indices[k]] += w * x * x;
          }
        }
      }
      return acc;
    }, (a, b) -> {
      for (int j = 0; j < a.length; j++) {
        a[j] += b[j];
      }
      return a;
    }, depth);
    double n = sums[0];
    double[] inverse = new double[d];
    for (int j = 0; j < d; j++) {
      double mean = sums[1 + j] / n;
      double variance = n > 1 ? Math.max(0.0, (sums[1 + d + j] - n * mean * mean) / (n - 1)) : 0;
      double std = Math.sqrt(variance);
      inverse[j] = std > 0 ? 1.0 / std : 0.0;
    }
    return inverse;
  }
}
