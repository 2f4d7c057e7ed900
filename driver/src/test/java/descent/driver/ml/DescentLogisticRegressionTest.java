package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Logistic regression through the Spark ML API reaches the reference optima of the shared data. */
class DescentLogisticRegressionTest {
  static final double HEART_OPTIMUM = 0.338544519965559; // regL2 1e-3, intercept
  static final double IRIS_OPTIMUM = 0.095730000177826; // regL2 1e-3, intercept

  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  private static double objective(DescentLogisticRegressionModel m) {
    return ((Number) m.trainingSummary().get("objective")).doubleValue();
  }

  @Test
  void binomialOnHeartScaleReachesTheOptimumWithLbfgsAndNewton() {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2);
    for (String optimizer : new String[] {"lbfgs", "newton"}) {
      DescentLogisticRegressionModel m = new DescentLogisticRegression()
          .setOptimizer(optimizer).setRegParam(1e-3).setStandardization(false)
          .setMaxIter(100).setTol(1e-14).fit(heart);
      assertEquals(HEART_OPTIMUM, objective(m), 1e-6 * HEART_OPTIMUM, optimizer);
      assertEquals(13, m.numFeatures());
      assertEquals(2, m.numClasses());
      assertTrue(!m.isMultinomial());
    }
  }

  @Test
  void multinomialOnIrisReachesTheOptimumWithLbfgs() {
    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2);
    DescentLogisticRegressionModel m = new DescentLogisticRegression()
        .setFamily("multinomial").setRegParam(1e-3).setStandardization(false)
        .setMaxIter(300).setTol(1e-14).fit(iris);
    assertTrue(m.isMultinomial());
    assertEquals(3, m.numClasses());
    assertEquals(3, m.coefficientMatrix().numRows());
    assertEquals(IRIS_OPTIMUM, objective(m), 1e-6 * IRIS_OPTIMUM);
    // auto picks multinomial for 3 classes.
    DescentLogisticRegressionModel auto = new DescentLogisticRegression().setRegParam(1e-3)
        .setStandardization(false).setMaxIter(300).setTol(1e-14).fit(iris);
    assertTrue(auto.isMultinomial());
    Row first = m.transform(iris).select("prediction", "probability", "rawPrediction").head();
    assertEquals(3, ((org.apache.spark.ml.linalg.Vector) first.get(1)).size());
  }
}
