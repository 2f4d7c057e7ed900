package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark ML API names each problem by its param, takes the command line's schedule grammar,
 * and reports the same training summary as the command line.
 */
class ParamNamesTest {
  static Dataset<Row> heart;

  @BeforeAll
  static void load() {
    TestSpark.session();
    heart = MlData.binary01("heart_scale", 13, 2);
  }

  @Test
  void problemsFoundBeforeAndAfterTheDataNameTheParams() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DescentLogisticRegression().setOptimizer("sgd")
            .setSchedule("cosine(t-max=0)").fit(heart));
    assertTrue(e.getMessage().contains("schedule stage 1 'cosine(t-max=0)': schedule cosine:"
        + " t-max: "), e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DescentLogisticRegression().setOptimizer("sgd").setBatchSize(1000)
            .fit(heart));
    assertTrue(e.getMessage().contains("batchSize 1000 is larger than the 270 rows"),
        e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new DescentLogisticRegression().setSchedule("step:10:0.5"));
  }

  @Test
  void theSummaryIsTheCommandLinesWithStopReasonsById() {
    DescentLogisticRegressionModel m = new DescentLogisticRegression().setOptimizer("sgd")
        .setLearningRate(0.5).setBatchSize(27).setMaxIter(20)
        .setSchedule("linear(tau=10)@10, cosine").fit(heart);
    Map<String, Object> s = m.trainingSummary();
    assertEquals("max_steps", s.get("stopReason"));
    assertEquals("sgd", s.get("optimizer"));
    assertEquals(0.5, s.get("learningRate"));
    assertTrue(String.valueOf(s.get("schedule")).contains("CosineAnnealing(lr0=0.5, tMax=10"),
        String.valueOf(s.get("schedule")));
    assertEquals(270L, ((Number) s.get("rows")).longValue());
  }
}
