package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.BoxConstraints;
import descent.driver.InvalidConfigException;
import descent.driver.ModelType;
import descent.driver.TestSpark;
import descent.driver.TrainingConfig;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrices;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded logistic regression through the Spark ML API equals Spark ML's own
 * {@code LogisticRegression} under the same bounds (which Spark solves with L-BFGS-B), with the
 * same penalty and standardization set explicitly on both, and the bound params keep Spark's
 * names in errors.
 */
class BoundedLogisticRegressionTest {
  static final int D = 13;
  static final double REG = 1e-3;
  static Dataset<Row> heart;

  @BeforeAll
  static void load() {
    heart = MlData.binary01("heart_scale", D, 2).cache();
  }

  /** {@code F = mean log(1 + exp(−y(w·x + b))) + (reg/2)||w||²} over {@code rows}, y in ±1. */
  static double objective(List<Row> rows, double[] w, double b) {
    double sum = 0.0;
    for (Row r : rows) {
      double y = r.getDouble(0) > 0 ? 1.0 : -1.0;
      Vector x = (Vector) r.get(1);
      double margin = b;
      for (int j = 0; j < D; j++) {
        margin += w[j] * x.apply(j);
      }
      double z = -y * margin;
      sum += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
    double penalty = 0.0;
    for (double v : w) {
      penalty += v * v;
    }
    return sum / rows.size() + 0.5 * REG * penalty;
  }

  @Test
  void equalsSparkMlLogisticRegressionUnderTheSameBounds() {
    double[] lower = new double[D];
    double[] upper = new double[D];
    for (int j = 0; j < D; j++) {
      lower[j] = j % 2 == 0 ? 0.0 : -0.2;
      upper[j] = 0.4;
    }
    DenseMatrix lowerM = new DenseMatrix(1, D, lower);
    DenseMatrix upperM = new DenseMatrix(1, D, upper);
    Vector lowerB = Vectors.dense(-0.5);
    Vector upperB = Vectors.dense(-0.1);
    LogisticRegressionModel spark = new LogisticRegression().setFamily("binomial")
        .setRegParam(REG).setElasticNetParam(0.0).setStandardization(false)
        .setFitIntercept(true).setMaxIter(1000).setTol(1e-12)
        .setLowerBoundsOnCoefficients(lowerM).setUpperBoundsOnCoefficients(upperM)
        .setLowerBoundsOnIntercepts(lowerB).setUpperBoundsOnIntercepts(upperB).fit(heart);
    List<Row> rows = heart.select("label", "features").collectAsList();
    double sparkF = objective(rows, spark.coefficients().toArray(), spark.intercept());
    for (String optimizer : new String[] {"lbfgs", "newton"}) {
      DescentLogisticRegressionModel descent = new DescentLogisticRegression()
          .setFamily("binomial").setOptimizer(optimizer).setRegParam(REG)
          .setElasticNetParam(0.0).setStandardization(false).setFitIntercept(true)
          .setMaxIter(300).setTol(1e-14)
          .setLowerBoundsOnCoefficients(lowerM).setUpperBoundsOnCoefficients(upperM)
          .setLowerBoundsOnIntercepts(lowerB).setUpperBoundsOnIntercepts(upperB).fit(heart);
      double[] w = descent.coefficients().toArray();
      double b = descent.intercept();
      double descentF = objective(rows, w, b);
      System.out.printf("bounded heart_scale: Spark ML %.15f, descent %s %.15f, relative %.3e;"
          + " intercept %.6f / %.6f%n", sparkF, optimizer, descentF,
          (descentF - sparkF) / sparkF, spark.intercept(), b);
      assertEquals(sparkF, descentF, 1e-6 * sparkF, optimizer);
      assertEquals(((Number) descent.trainingSummary().get("objective")).doubleValue(), descentF,
          1e-12);
      int active = 0;
      for (int j = 0; j < D; j++) {
        assertTrue(w[j] >= lower[j] && w[j] <= upper[j], optimizer + " coefficient " + j);
        assertEquals(spark.coefficients().apply(j), w[j], 1e-4, optimizer + " coefficient " + j);
        active += w[j] == lower[j] || w[j] == upper[j] ? 1 : 0;
      }
      assertTrue(b >= -0.5 && b <= -0.1, optimizer + " intercept " + b);
      assertTrue(active >= 2 || b == -0.1 || b == -0.5, optimizer + ": only " + active
          + " bounds are active, so the comparison shows little");
    }
  }

  /** Softmax cross-entropy + (reg/2)||W||² over {@code rows}, W K×d, labels 0..K−1. */
  static double softmaxObjective(List<Row> rows, org.apache.spark.ml.linalg.Matrix w,
      Vector b) {
    int k = w.numRows();
    double sum = 0.0;
    double[] z = new double[k];
    for (Row r : rows) {
      Vector x = (Vector) r.get(1);
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        z[c] = b.apply(c);
        for (int j = 0; j < w.numCols(); j++) {
          z[c] += w.apply(c, j) * x.apply(j);
        }
        max = Math.max(max, z[c]);
      }
      double s = 0.0;
      for (int c = 0; c < k; c++) {
        s += Math.exp(z[c] - max);
      }
      sum += max + Math.log(s) - z[(int) r.getDouble(0)];
    }
    double penalty = 0.0;
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < w.numCols(); j++) {
        penalty += w.apply(c, j) * w.apply(c, j);
      }
    }
    return sum / rows.size() + 0.5 * REG * penalty;
  }

  @Test
  void multinomialEqualsSparkMlUnderTheSameBounds() {
    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2);
    DenseMatrix lowerM = DenseMatrix.zeros(3, 4);
    double[] up = new double[12];
    java.util.Arrays.fill(up, 1.0);
    DenseMatrix upperM = new DenseMatrix(3, 4, up);
    Vector lowerB = Vectors.dense(-1, -1, -1);
    Vector upperB = Vectors.dense(1, 1, 1);
    LogisticRegressionModel spark = new LogisticRegression().setFamily("multinomial")
        .setRegParam(REG).setElasticNetParam(0.0).setStandardization(false)
        .setFitIntercept(true).setMaxIter(1000).setTol(1e-12)
        .setLowerBoundsOnCoefficients(lowerM).setUpperBoundsOnCoefficients(upperM)
        .setLowerBoundsOnIntercepts(lowerB).setUpperBoundsOnIntercepts(upperB).fit(iris);
    DescentLogisticRegressionModel descent = new DescentLogisticRegression()
        .setFamily("multinomial").setRegParam(REG).setElasticNetParam(0.0)
        .setStandardization(false).setFitIntercept(true).setMaxIter(500).setTol(1e-14)
        .setLowerBoundsOnCoefficients(lowerM).setUpperBoundsOnCoefficients(upperM)
        .setLowerBoundsOnIntercepts(lowerB).setUpperBoundsOnIntercepts(upperB).fit(iris);
    List<Row> rows = iris.select("label", "features").collectAsList();
    double sparkF = softmaxObjective(rows, spark.coefficientMatrix(), spark.interceptVector());
    double descentF = softmaxObjective(rows, descent.coefficientMatrix(),
        descent.interceptVector());
    int active = 0;
    for (double v : descent.coefficientMatrix().toArray()) {
      assertTrue(v >= 0 && v <= 1, descent.coefficientMatrix().toString());
      active += v == 0 || v == 1 ? 1 : 0;
    }
    System.out.printf("bounded iris: Spark ML %.15f, descent lbfgs %.15f, relative %.3e, %d"
        + " coefficients at a bound%n", sparkF, descentF, (descentF - sparkF) / sparkF, active);
    assertEquals(sparkF, descentF, 1e-6 * sparkF);
    assertTrue(active >= 2, active + " coefficients at a bound");
  }

  @Test
  void theBoundParamsAreSavedWithTheEstimatorAndTheModel(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    DescentLogisticRegression lr = new DescentLogisticRegression().setRegParam(REG)
        .setLowerBoundsOnCoefficients(Matrices.dense(1, 1, new double[] {0.0}))
        .setUpperBoundsOnIntercepts(Vectors.dense(0.0));
    lr.save(dir.resolve("estimator").toString());
    DescentLogisticRegression again = DescentLogisticRegression.load(
        dir.resolve("estimator").toString());
    assertEquals(0.0, again.getLowerBoundsOnCoefficients().apply(0, 0));
    assertEquals(Vectors.dense(0.0), again.getUpperBoundsOnIntercepts());
    assertTrue(!again.isDefined(again.upperBoundsOnCoefficients()));
    DescentLogisticRegressionModel m = lr.fit(heart);
    for (double w : m.coefficients().toArray()) {
      assertTrue(w >= 0, m.coefficients().toString());
    }
    assertTrue(m.intercept() <= 0, "intercept " + m.intercept());
    m.save(dir.resolve("model").toString());
    DescentLogisticRegressionModel loaded = DescentLogisticRegressionModel.load(
        dir.resolve("model").toString());
    assertEquals(Vectors.dense(0.0), loaded.getUpperBoundsOnIntercepts());
    assertTrue(loaded.trainingSummary().containsKey("bounds"), loaded.trainingSummary()
        .toString());
  }

  @Test
  void theBoundParamsKeepSparksNamesInErrors() {
    DescentLogisticRegression lr = new DescentLogisticRegression()
        .setLowerBoundsOnCoefficients(Matrices.dense(1, 2, new double[] {0.5, 0.0}))
        .setUpperBoundsOnCoefficients(Matrices.dense(1, 2, new double[] {0.2, 1.0}));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> lr.fit(heart));
    assertTrue(e.getMessage().endsWith("invalid params: the lower bound 0.5 of coefficient 0"
        + " (0-based) is above its upper bound 0.2 (lowerBoundsOnCoefficients,"
        + " upperBoundsOnCoefficients)"), e.getMessage());
    DescentLogisticRegression five = new DescentLogisticRegression()
        .setLowerBoundsOnCoefficients(Matrices.dense(1, 5, new double[5]));
    e = assertThrows(InvalidConfigException.class, () -> five.fit(heart));
    assertTrue(e.getMessage().endsWith("lowerBoundsOnCoefficients has 5 values; the model has 13"
        + " features: give one value for all, or one per coefficient"), e.getMessage());
    assertEquals("lowerBoundsOnIntercepts",
        DescentFit.paramName(descent.driver.Param.LOWER_INTERCEPT));
    // The params make the configuration's bounds.
    TrainingConfig c = DescentFit.config(new DescentLinearRegression()
        .setLowerBoundsOnCoefficients(Matrices.dense(1, 1, new double[] {0.0})),
        ModelType.LINEAR, null, null);
    BoxConstraints b = c.bounds();
    assertEquals(0.0, b.lowerCoefficients()[0]);
    assertEquals(null, b.upperCoefficients());
  }
}
