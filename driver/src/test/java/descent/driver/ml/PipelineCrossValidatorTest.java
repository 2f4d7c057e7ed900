package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code VectorAssembler → StandardScaler → DescentLogisticRegression} in a {@code Pipeline},
 * tuned by {@code CrossValidator} over regParam on breast_cancer (unscaled features, labels 0/1);
 * the CrossValidatorModel saves, loads and transforms identically.
 */
class PipelineCrossValidatorTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  @Test
  void pipelineInCrossValidatorRunsEndToEndAndRoundTrips() throws Exception {
    Dataset<Row> data = MlData.libsvm("breast_cancer.libsvm", 30, 2).cache();
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"features"})
        .setOutputCol("assembled");
    StandardScaler scaler = new StandardScaler().setInputCol("assembled").setOutputCol("scaled");
    DescentLogisticRegression lr = new DescentLogisticRegression().setFeaturesCol("scaled")
        .setMaxIter(50).setStandardization(false);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, lr});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(lr.regParam(), new double[] {1e-3, 1e-1, 10.0})
        .build();
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new BinaryClassificationEvaluator()).setNumFolds(2).setSeed(7);
    CrossValidatorModel model = cv.fit(data);

    double[] auc = model.avgMetrics();
    assertEquals(3, auc.length);
    // Heavy regularization (10) shrinks every coefficient towards 0 and must lose.
    assertTrue(auc[0] > 0.98 && auc[1] > 0.98, java.util.Arrays.toString(auc));
    assertTrue(auc[2] < Math.max(auc[0], auc[1]), java.util.Arrays.toString(auc));
    PipelineModel best = (PipelineModel) model.bestModel();
    DescentLogisticRegressionModel fitted = (DescentLogisticRegressionModel) best.stages()[2];
    assertTrue(fitted.getRegParam() == 1e-3 || fitted.getRegParam() == 1e-1);
    assertEquals(30, fitted.numFeatures());
    assertEquals("scaled", fitted.getFeaturesCol());

    String path = dir.resolve("cv").toString();
    model.save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    assertArrayEquals(auc, loaded.avgMetrics(), 0.0);
    List<Row> a = model.transform(data).select("probability", "prediction").collectAsList();
    List<Row> b = loaded.transform(data).select("probability", "prediction").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(),
          0.0);
      assertEquals(a.get(i).getDouble(1), b.get(i).getDouble(1), 0.0);
    }
    long correct = loaded.transform(data).filter("prediction = label").count();
    assertTrue(correct > 0.97 * data.count(), correct + " of " + data.count());
    data.unpersist();
  }
}
