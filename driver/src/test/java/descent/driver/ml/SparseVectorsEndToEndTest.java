package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.RowBuffer;
import descent.driver.ModelType;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.FeatureHasher;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Hashed features of width 2^20 from Spark ML's {@code FeatureHasher} and {@code HashingTF}
 * reach descent's cache as CSR blocks holding only the nonzeros (cached bytes within 1.05 × the
 * raw CSR arrays), and the fit equals training on the same rows written as LIBSVM.
 */
class SparseVectorsEndToEndTest {
  static final int WIDTH = 1 << 20;

  /** Click-log-like rows: three categorical fields, a count and a text field, label 0/1. */
  static Dataset<Row> clicks(SparkSession spark, int n) {
    SplittableRandom random = new SplittableRandom(17);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int site = random.nextInt(40);
      int ad = random.nextInt(300);
      String device = random.nextBoolean() ? "phone" : "desktop";
      double views = random.nextInt(5);
      StringBuilder text = new StringBuilder();
      for (int t = 0; t < 6; t++) {
        text.append(" w").append(random.nextInt(500));
      }
      double margin = (site % 3 - 1) + (ad < 60 ? 1.5 : -0.5) + 0.2 * views
          + random.nextGaussian();
      rows.add(RowFactory.create("s" + site, "a" + ad, device, views, text.toString().trim(),
          margin > 0 ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("site", DataTypes.StringType)
        .add("ad", DataTypes.StringType).add("device", DataTypes.StringType)
        .add("views", DataTypes.DoubleType).add("text", DataTypes.StringType)
        .add("label", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  /** The rows of {@code featurized} as LIBSVM lines, in 2 partitions, read by descent's parser. */
  static TrainingData asLibsvm(SparkSession spark, Dataset<Row> featurized, long seed) {
    List<String> lines = new ArrayList<>();
    for (Row r : featurized.select("features", "label").collectAsList()) {
      SparseVector v = (SparseVector) r.get(0);
      StringBuilder line = new StringBuilder(r.getDouble(1) > 0 ? "1" : "0");
      for (int k = 0; k < v.indices().length; k++) {
        line.append(' ').append(v.indices()[k] + 1).append(':').append(v.values()[k]);
      }
      lines.add(line.toString());
    }
    LibSvmParser parser = new LibSvmParser(LabelDomain.BINARY, WIDTH);
    JavaRDD<RowBuffer> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(lines, 2).mapPartitions(it -> {
          RowBuffer b = new RowBuffer();
          while (it.hasNext()) {
            parser.parse(it.next(), b);
          }
          return Collections.singletonList(b).iterator();
        }, true);
    return TrainingData.fromRows(rows, WIDTH, seed, true, "the same rows as LIBSVM");
  }

  static void assertSparseEndToEnd(SparkSession spark, Dataset<Row> featurized) {
    featurized = featurized.cache();
    DescentLogisticRegression lr = new DescentLogisticRegression().setOptimizer("sgd")
        .setLearningRate(1.0).setBatchSize(0).setMaxIter(15).setRegParam(1e-3)
        .setStandardization(false).setFitIntercept(true).setFamily("binomial");
    int d = DescentFit.numFeatures(featurized, "features");
    assertEquals(WIDTH, d);
    TrainingConfig config = DescentFit.config(lr, ModelType.LOGISTIC, null, null);

    TrainingData fromFrame = DescentFit.data(featurized, "features", "label", null, d,
        DescentFit.Labels.BINARY, 0, config.seed());
    long nnz = 0;
    long rows = 0;
    for (DataBlock b : fromFrame.blocks().collect()) {
      assertFalse(b.isDense(), "a CSR block");
      assertEquals(WIDTH, b.numFeatures());
      nnz += b.values().length;
      rows += b.numRows();
    }
    assertTrue(nnz < 30L * rows, nnz + " nonzeros in " + rows + " rows: no row densified");
    double cachedToRaw = (double) fromFrame.cachedBytes() / fromFrame.arrayBytes();
    assertTrue(cachedToRaw <= 1.05, "cached / raw CSR arrays " + cachedToRaw);
    fromFrame.unpersist();

    DescentLogisticRegressionModel model = lr.fit(featurized);
    TrainingData libsvm = asLibsvm(spark, featurized, config.seed());
    double[] params = new Trainer(config, TrainingListener.NONE).train(libsvm).params();
    libsvm.unpersist();
    double[] w = model.coefficients().toArray();
    assertEquals(WIDTH, w.length);
    double scale = 0;
    for (double v : params) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(scale > 0.01, "the model learned something: " + scale);
    for (int j = 0; j < WIDTH; j++) {
      if (Math.abs(w[j] - params[j]) > 1e-12 * scale) {
        assertEquals(params[j], w[j], 1e-12 * scale, "coefficient " + j);
      }
    }
    assertEquals(params[WIDTH], model.intercept(), 1e-12 * scale, "intercept");
    featurized.unpersist();
  }

  @Test
  void featureHasherVectorsTrainAsCsrAndMatchLibsvm() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> featurized = new FeatureHasher().setNumFeatures(WIDTH)
        .setInputCols(new String[] {"site", "ad", "device", "views"}).setOutputCol("features")
        .transform(clicks(spark, 400));
    assertSparseEndToEnd(spark, featurized);
  }

  @Test
  void hashingTfVectorsTrainAsCsrAndMatchLibsvm() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> words = new Tokenizer().setInputCol("text").setOutputCol("words")
        .transform(clicks(spark, 400));
    Dataset<Row> featurized = new HashingTF().setNumFeatures(WIDTH).setInputCol("words")
        .setOutputCol("features").transform(words);
    assertSparseEndToEnd(spark, featurized);
  }

  /**
   * A mini-batch fit on hashed sparse vectors takes the sparse step, with Spark ML's default
   * standardization too, and the sparseUpdate param chooses its mode.
   */
  @Test
  void aMiniBatchFitOnHashedVectorsTakesTheSparseStep() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> words = new Tokenizer().setInputCol("text").setOutputCol("words")
        .transform(clicks(spark, 400));
    Dataset<Row> featurized = new HashingTF().setNumFeatures(WIDTH).setInputCol("words")
        .setOutputCol("features").transform(words).cache();
    DescentLogisticRegressionModel exact = new DescentLogisticRegression().setOptimizer("sgd")
        .setLearningRate(0.5).setBatchSize(40).setMaxIter(20).setRegParam(1e-3)
        .setFamily("binomial").fit(featurized);
    assertEquals("sparse (exact)", exact.trainingSummary().get("driverStep"));
    DescentLogisticRegressionModel lazy = new DescentLogisticRegression().setOptimizer("adam")
        .setLearningRate(0.05).setBatchSize(40).setMaxIter(20).setSparseUpdate("lazy")
        .setFamily("binomial").fit(featurized);
    assertEquals("sparse (lazy)", lazy.trainingSummary().get("driverStep"));
    DescentLogisticRegressionModel dense = new DescentLogisticRegression().setOptimizer("adam")
        .setLearningRate(0.05).setBatchSize(40).setMaxIter(20).setFamily("binomial")
        .fit(featurized);
    assertTrue(String.valueOf(dense.trainingSummary().get("driverStep"))
        .startsWith("dense: adam has no exact sparse update"),
        String.valueOf(dense.trainingSummary().get("driverStep")));
    featurized.unpersist();
  }
}
