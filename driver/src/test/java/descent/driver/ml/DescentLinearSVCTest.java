package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LinearSVC through the Spark ML API: the hinge-loss SVM separates heart_scale as well as
 * logistic regression does, and Newton's method, which needs a second derivative, is refused.
 */
class DescentLinearSVCTest {
  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  @Test
  void fitsHeartScaleAndRefusesNewton() {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2);
    DescentLinearSVC svc = new DescentLinearSVC().setRegParam(1e-2).setMaxIter(100);
    DescentLinearSVCModel m = svc.fit(heart);
    assertEquals(13, m.numFeatures());
    long correct = m.transform(heart).filter("prediction = label").count();
    assertTrue(correct > 0.8 * 270, correct + " of 270");
    assertThrows(IllegalArgumentException.class, () -> svc.copy(
        new org.apache.spark.ml.param.ParamMap().put(svc.optimizer(), "newton")).fit(heart));
  }
}
