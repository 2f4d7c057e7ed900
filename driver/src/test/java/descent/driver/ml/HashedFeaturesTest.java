package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Hashed text features of width 2^18: rows stay sparse from HashingTF's vectors to descent's CSR
 * blocks, and mini-batch Adam learns which words carry the label.
 */
class HashedFeaturesTest {
  static final int WIDTH = 1 << 18;

  /** Documents of 20 words out of 2000; the label is whether "good" words outnumber "bad" ones. */
  static Dataset<Row> documents(SparkSession spark, int n) {
    SplittableRandom random = new SplittableRandom(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      int score = 0;
      for (int t = 0; t < 20; t++) {
        int word = random.nextInt(2000);
        text.append(" w").append(word);
        score += word < 100 ? 1 : word < 200 ? -1 : 0;
      }
      if (score == 0) {
        text.append(" w").append(random.nextBoolean() ? 7 : 107);
        score = text.toString().endsWith(" w7") ? 1 : -1;
      }
      rows.add(RowFactory.create(text.toString().trim(), score > 0 ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("text", DataTypes.StringType)
        .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  @Test
  void hashingTfOfTwoToTheEighteenTrainsAndPredicts() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> docs = documents(spark, 600).cache();
    DescentLogisticRegression lr = new DescentLogisticRegression().setOptimizer("adam")
        .setLearningRate(0.1).setBatchSize(100).setMaxIter(120).setRegParam(1e-4)
        .setStandardization(false).setFamily("binomial");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new Tokenizer().setInputCol("text").setOutputCol("words"),
        new HashingTF().setInputCol("words").setOutputCol("features").setNumFeatures(WIDTH),
        lr});
    PipelineModel model = pipeline.fit(docs);
    DescentLogisticRegressionModel fitted = (DescentLogisticRegressionModel) model.stages()[2];
    assertEquals(WIDTH, fitted.numFeatures());
    assertEquals(WIDTH, fitted.coefficients().size());
    long correct = model.transform(docs).filter("prediction = label").count();
    assertTrue(correct > 0.9 * 600, correct + " of 600");
    docs.unpersist();
  }
}
