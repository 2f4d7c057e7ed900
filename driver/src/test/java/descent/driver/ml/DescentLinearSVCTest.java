package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.ModelType;
import descent.driver.TestSpark;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LinearSVC through the Spark ML API. Its loss, descent's {@code ModelType.HINGE}, is looked up
 * when {@code fit} runs: where the build has it, the SVM separates heart_scale as well as
 * logistic regression does; where it does not, fit says so before any job.
 */
class DescentLinearSVCTest {
  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  @Test
  void fitsHeartScaleOrExplainsThatTheHingeLossIsMissing() {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2);
    DescentLinearSVC svc = new DescentLinearSVC().setRegParam(1e-2).setMaxIter(100);
    boolean hasHinge = Arrays.stream(ModelType.values()).anyMatch(t -> t.name().equals("HINGE"));
    if (!hasHinge) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> svc.fit(heart));
      assertTrue(e.getMessage().contains("ModelType.HINGE"), e.getMessage());
      return;
    }
    DescentLinearSVCModel m = svc.fit(heart);
    assertEquals(13, m.numFeatures());
    long correct = m.transform(heart).filter("prediction = label").count();
    assertTrue(correct > 0.8 * 270, correct + " of 270");
    assertThrows(IllegalArgumentException.class, () -> svc.copy(
        new org.apache.spark.ml.param.ParamMap().put(svc.optimizer(), "newton")).fit(heart));
  }
}
