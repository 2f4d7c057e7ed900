package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Instance weights, the params' contract, and checks that fail before any Spark job. */
class WeightsAndParamsTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  /** heart_scale's rows with a weight column: row 0 weighs {@code w0}, the others 1. */
  private static Dataset<Row> heart(double w0, boolean duplicateRow0) {
    return weighted(MlData.binary01("heart_scale", 13, 1), w0, duplicateRow0);
  }

  /**
   * {@code source}'s (label, features) rows with a weight column {@code w}: row 0 weighs
   * {@code w0}, the others 1; with {@code duplicateRow0} row 0 appears twice.
   */
  private static Dataset<Row> weighted(Dataset<Row> source, double w0, boolean duplicateRow0) {
    List<Row> rows = source.select("label", "features").collectAsList();
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.add(RowFactory.create(r.getDouble(0), r.get(1), i == 0 ? w0 : 1.0));
      if (i == 0 && duplicateRow0) {
        out.add(RowFactory.create(r.getDouble(0), r.get(1), 1.0));
      }
    }
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT())
        .add("w", DataTypes.DoubleType);
    return spark.createDataFrame(out, schema).repartition(2);
  }

  @Test
  void aRowOfWeightTwoEqualsThatRowTwice() {
    // To convergence, standardization on (weights count as frequencies there too). Newton
    // converges to rounding; L-BFGS stops where its line search can no longer descend, ~1e-9
    // from the optimum, and the two data sets sum their rows in different orders.
    for (String optimizer : new String[] {"newton", "lbfgs"}) {
      double within = optimizer.equals("newton") ? 1e-10 : 1e-7;
      DescentLogisticRegression lr = new DescentLogisticRegression().setOptimizer(optimizer)
          .setRegParam(1e-2).setMaxIter(100).setTol(0.0).setWeightCol("w");
      DescentLogisticRegressionModel weighted = lr.fit(heart(2.0, false));
      DescentLogisticRegressionModel duplicated = lr.fit(heart(1.0, true));
      DescentLogisticRegressionModel plain = lr.fit(heart(1.0, false));
      assertArrayEquals(duplicated.coefficients().toArray(), weighted.coefficients().toArray(),
          within, optimizer);
      assertEquals(duplicated.intercept(), weighted.intercept(), within, optimizer);
      // ...and the weight matters.
      assertTrue(Math.abs(plain.intercept() - weighted.intercept()) > 1e-6, optimizer);
    }
  }

  @Test
  void weightsCountAsCopiesInTheSquaredAndSoftmaxLossesToo() {
    Dataset<Row> lpsa = MlData.libsvm("lpsa.libsvm", 8, 1);
    DescentLinearRegression linear = new DescentLinearRegression().setOptimizer("newton")
        .setRegParam(1e-3).setMaxIter(20).setTol(0.0).setWeightCol("w");
    DescentLinearRegressionModel a = linear.fit(weighted(lpsa, 2.0, false));
    DescentLinearRegressionModel b = linear.fit(weighted(lpsa, 1.0, true));
    assertArrayEquals(b.coefficients().toArray(), a.coefficients().toArray(), 1e-10);
    assertEquals(b.intercept(), a.intercept(), 1e-10);

    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 1);
    DescentLogisticRegression softmax = new DescentLogisticRegression().setFamily("multinomial")
        .setRegParam(1e-2).setMaxIter(300).setTol(0.0).setWeightCol("w");
    DescentLogisticRegressionModel c = softmax.fit(weighted(iris, 2.0, false));
    DescentLogisticRegressionModel d = softmax.fit(weighted(iris, 1.0, true));
    // L-BFGS stops on a flat softmax objective with coefficients ~1e-7 apart; the two
    // objectives, the same function if weights are copies, agree to rounding.
    double fc = ((Number) c.trainingSummary().get("objective")).doubleValue();
    double fd = ((Number) d.trainingSummary().get("objective")).doubleValue();
    assertEquals(fd, fc, 1e-12 * fd);
    assertArrayEquals(d.coefficientMatrix().toArray(), c.coefficientMatrix().toArray(), 1e-5);
    assertArrayEquals(d.interceptVector().toArray(), c.interceptVector().toArray(), 1e-5);
  }

  @Test
  void negativeWeightsAreRefusedNamingTheRow() {
    Exception e = assertThrows(Exception.class,
        () -> new DescentLogisticRegression().setWeightCol("w").setFamily("binomial")
            .fit(heart(-1.0, false)));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("weights must be finite and >= 0")
        && message.contains("partition") && message.contains("row"), message);
  }

  @Test
  void badValuesAndWidthsAreRefusedNamingTheRow() {
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", new org.apache.spark.ml.linalg.VectorUDT());
    org.apache.spark.ml.linalg.Vector x = org.apache.spark.ml.linalg.Vectors.dense(1, 2);
    Dataset<Row> nanFeature = spark.createDataFrame(List.of(RowFactory.create(1.0, x),
        RowFactory.create(0.0, org.apache.spark.ml.linalg.Vectors.dense(1, Double.NaN))), schema).coalesce(1);
    Dataset<Row> wider = spark.createDataFrame(List.of(RowFactory.create(1.0, x),
        RowFactory.create(0.0, org.apache.spark.ml.linalg.Vectors.sparse(3, new int[] {2},
            new double[] {1.0}))), schema).coalesce(1);
    Dataset<Row> badLabel = spark.createDataFrame(List.of(RowFactory.create(1.0, x),
        RowFactory.create(-1.0, x)), schema).coalesce(1);
    Dataset<Row> infiniteLabel = spark.createDataFrame(List.of(RowFactory.create(1.0, x),
        RowFactory.create(Double.POSITIVE_INFINITY, x)), schema).coalesce(1);
    assertMessage(() -> new DescentLogisticRegression().setFamily("binomial").fit(nanFeature),
        "partition 0, row 1", "feature 1 is NaN");
    assertMessage(() -> new DescentLogisticRegression().setFamily("binomial").fit(wider),
        "partition 0, row 1", "has 3 values; the model has 2 features");
    assertMessage(() -> new DescentLogisticRegression().setFamily("binomial").fit(badLabel),
        "partition 0, row 1", "is not 0 or 1");
    assertMessage(() -> new DescentLinearRegression().fit(infiniteLabel),
        "partition 0, row 1", "label is Infinity");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable fit,
      String... parts) {
    Exception e = assertThrows(Exception.class, fit);
    String message = String.valueOf(e.getMessage());
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + part + "' not in: " + message);
    }
  }

  @Test
  void paramsExplainDefaultAndCopy() {
    DescentLogisticRegression lr = new DescentLogisticRegression();
    String explained = lr.explainParams();
    for (String name : new String[] {"maxIter", "regParam", "elasticNetParam", "fitIntercept",
        "standardization", "tol", "aggregationDepth", "weightCol", "optimizer", "learningRate",
        "batchSize", "schedule", "seed", "family", "featuresCol", "labelCol", "probabilityCol"}) {
      assertTrue(explained.contains(name + ":"), name + " missing from\n" + explained);
    }
    assertTrue(explained.contains("regParam: regularization parameter (>= 0) (default: 0.0)"),
        explained);
    assertEquals(100, lr.getMaxIter());
    assertEquals("lbfgs", lr.getOptimizer());
    assertEquals("auto", lr.getFamily());
    assertTrue(lr.getFitIntercept());
    assertTrue(lr.getStandardization());
    assertEquals(0L, lr.getBatchSize());
    assertFalse(lr.isSet(lr.regParam()));
    assertFalse(lr.isDefined(lr.learningRate()));

    DescentLogisticRegression copy = lr.copy(new ParamMap().put(lr.regParam(), 0.5)
        .put(lr.optimizer(), "adam"));
    assertNotSame(lr, copy);
    assertEquals(lr.uid(), copy.uid());
    assertEquals(0.5, copy.getRegParam());
    assertEquals("adam", copy.getOptimizer());
    assertEquals(0.0, lr.getRegParam());
    assertEquals(copy.regParam().parent(), copy.uid());
  }

  @Test
  void badParamsFailBeforeAnySparkJob() {
    DescentLogisticRegression lr = new DescentLogisticRegression();
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> lr.setRegParam(-1.0));
    assertTrue(negative.getMessage().contains("regParam"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> lr.setOptimizer("nope"));
    assertThrows(IllegalArgumentException.class, () -> lr.setSchedule("cosine:3"));
    assertThrows(IllegalArgumentException.class, () -> lr.setElasticNetParam(1.5));

    // A combination only fit can judge: an L1 penalty with L-BFGS.
    Dataset<Row> data = heart(1.0, false);
    String group = "descent-bad-params";
    spark.sparkContext().setJobGroup(group, "bad params", false);
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> lr.setRegParam(0.1).setElasticNetParam(0.5).fit(data));
      assertTrue(e.getMessage().contains("L1") && e.getMessage().contains("lbfgs")
          && e.getMessage().contains("elasticNetParam > 0"), e.getMessage());
      assertEquals(0, spark.sparkContext().statusTracker().getJobIdsForGroup(group).length);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }
}
