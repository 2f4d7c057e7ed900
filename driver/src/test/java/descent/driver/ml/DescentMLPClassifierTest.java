package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.MlpLoss;
import descent.core.Workspace;
import descent.driver.LinearModel;
import descent.driver.ModelType;
import descent.driver.TestData;
import descent.driver.TestSpark;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DescentMLPClassifier} as a Spark ML estimator: in a Pipeline tuned by a CrossValidator
 * over the hidden widths on iris; the same network bit for bit as the command line's trainer with
 * the same configuration and seed; a logistic output whose columns follow from the layers by
 * hand; dense and sparse vectors alike; save and load to identical columns and a model.json the
 * command line reads; bad params refused by their Spark ML names before any Spark job.
 */
class DescentMLPClassifierTest {
  static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestSpark.session();
  }

  /** {@code data} with its features as dense vectors (Spark's LIBSVM source gives sparse ones). */
  static Dataset<Row> dense(Dataset<Row> data) {
    return data.withColumn("features", org.apache.spark.ml.functions.array_to_vector(
        org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64")));
  }

  @Test
  void pipelineInCrossValidatorOverHiddenWidthsOnIris() throws Exception {
    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2).cache();
    StandardScaler scaler = new StandardScaler().setInputCol("features").setOutputCol("scaled");
    DescentMLPClassifier mlp = new DescentMLPClassifier().setFeaturesCol("scaled")
        .setHiddenLayers(4).setActivation("tanh").setStandardization(false)
        .setOptimizer("adam").setLearningRate(0.1).setMaxIter(50).setRegParam(1e-3).setSeed(3);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {scaler, mlp});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(mlp.hiddenLayers(), scala.jdk.javaapi.CollectionConverters.asScala(
            List.of(new int[] {1}, new int[] {8})))
        .build();
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(2).setSeed(7);
    CrossValidatorModel model = cv.fit(iris);

    double[] accuracy = model.avgMetrics();
    System.out.printf("iris, 2-fold CV accuracy: hidden [1] %.3f, hidden [8] %.3f%n",
        accuracy[0], accuracy[1]);
    assertEquals(2, accuracy.length);
    assertTrue(accuracy[1] > 0.9, java.util.Arrays.toString(accuracy));
    PipelineModel best = (PipelineModel) model.bestModel();
    DescentMLPClassificationModel fitted = (DescentMLPClassificationModel) best.stages()[1];
    int chosen = accuracy[1] >= accuracy[0] ? 8 : 1;
    assertArrayEquals(new int[] {chosen}, fitted.getHiddenLayers());
    assertArrayEquals(new int[] {4, chosen, 3}, fitted.layers());
    assertEquals(3, fitted.numClasses());
    assertEquals("scaled", fitted.getFeaturesCol());

    String path = dir.resolve("cv").toString();
    model.save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    assertArrayEquals(accuracy, loaded.avgMetrics(), 0.0);
    List<Row> a = model.transform(iris).select("probability", "prediction").collectAsList();
    List<Row> b = loaded.transform(iris).select("probability", "prediction").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(),
          0.0);
      assertEquals(a.get(i).getDouble(1), b.get(i).getDouble(1), 0.0);
    }
    iris.unpersist();
  }

  @Test
  void trainsTheTrainersNetworkBitForBitAndPredictsItsClasses() {
    // One partition on both sides, rows in file order: the same blocks after the seed's shuffle.
    Dataset<Row> iris = spark.read().format("libsvm").option("numFeatures", "4")
        .load(TestSpark.sharedData("iris.libsvm").toString()).coalesce(1);
    DescentMLPClassificationModel model = new DescentMLPClassifier().setHiddenLayers(8, 5)
        .setActivation("tanh").setOptimizer("adam").setLearningRate(0.05).setBatchSize(30)
        .setMaxIter(60).setRegParam(1e-3).setSeed(11).fit(iris);

    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.MLP).hidden(new int[] {8, 5})
        .activation("tanh").outputLoss("softmax").fitIntercept(true).optimizer("adam")
        .learningRate(0.05).batchSize(30L).maxSteps(60L).regL2(1e-3).tol(1e-6).seed(11)
        .standardize(true).build().validate();
    TrainingData data = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 1,
        LabelDomain.classes(0), 4, 11);
    TrainingResult trained;
    try {
      trained = new Trainer(config, TrainingListener.NONE).train(data);
    } finally {
      data.unpersist();
    }
    double[] ours = model.weights().toArray();
    assertEquals(trained.params().length, ours.length);
    for (int j = 0; j < ours.length; j++) {
      assertEquals(Double.doubleToRawLongBits(trained.params()[j]),
          Double.doubleToRawLongBits(ours[j]), "parameter " + j);
    }
    assertEquals(trained.steps(), ((Number) model.trainingSummary().get("steps")).longValue());

    // The command line's scoring: the class of the largest of the K scores, block-wise.
    List<Row> rows = model.transform(iris).select("features", "prediction", "label")
        .collectAsList();
    double[] x = new double[rows.size() * 4];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(((Vector) rows.get(i).get(0)).toArray(), 0, x, i * 4, 4);
    }
    MlpLoss loss = (MlpLoss) config.loss(3);
    double[] z = new double[rows.size() * 3];
    loss.outputs(DataBlock.dense(0, 0, 4, new double[rows.size()], null, x), 0, rows.size(),
        trained.params(), z, new Workspace());
    int right = 0;
    for (int i = 0; i < rows.size(); i++) {
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = z[i * 3 + c] > z[i * 3 + best] ? c : best;
      }
      assertEquals(best, rows.get(i).getDouble(1), "row " + i);
      right += best == rows.get(i).getDouble(2) ? 1 : 0;
    }
    assertTrue(right > 0.9 * rows.size(), right + " of " + rows.size());
  }

  /** Row u of {@code w} times {@code a}, plus {@code b[u]}, for every unit u. */
  private static double[] affine(Matrix w, Vector b, double[] a) {
    double[] out = new double[w.numRows()];
    for (int u = 0; u < out.length; u++) {
      double s = b.apply(u);
      for (int j = 0; j < a.length; j++) {
        s += w.apply(u, j) * a[j];
      }
      out[u] = s;
    }
    return out;
  }

  @Test
  void aBatchNormalizedNetworkTrainsAsTheTrainersAndScoresWithItsSavedStatistics()
      throws Exception {
    Dataset<Row> iris = spark.read().format("libsvm").option("numFeatures", "4")
        .load(TestSpark.sharedData("iris.libsvm").toString()).coalesce(1);
    DescentMLPClassificationModel model = new DescentMLPClassifier().setHiddenLayers(6)
        .setActivation("relu").setBatchNorm(true).setOptimizer("adam").setLearningRate(0.05)
        .setBatchSize(50).setMaxIter(40).setSeed(5).fit(iris);
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.MLP)
        .hidden(new int[] {6}).activation("relu").outputLoss("softmax").batchNorm(true)
        .fitIntercept(true).optimizer("adam").learningRate(0.05).batchSize(50L).maxSteps(40L)
        .tol(1e-6).seed(5).standardize(true).build().validate();
    TrainingData data = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 1,
        LabelDomain.classes(0), 4, 5);
    TrainingResult trained;
    try {
      trained = new Trainer(config, TrainingListener.NONE).train(data);
    } finally {
      data.unpersist();
    }
    assertArrayEquals(trained.params(), model.weights().toArray(), 0.0, "weights, β and γ");
    // Scored with the training rows' statistics: the loss of the probabilities is the objective.
    List<Row> rows = model.transform(iris).select("probability", "label").collectAsList();
    double loss = 0.0;
    for (Row r : rows) {
      loss -= Math.log(((Vector) r.get(0)).apply((int) r.getDouble(1)));
    }
    assertEquals(trained.objective(), loss / rows.size(), 1e-12 * trained.objective());
    String path = dir.resolve("bn").toString();
    model.save(path);
    LinearModel cli = LinearModel.load(Path.of(path, "data", "model.json"));
    assertArrayEquals(trained.batchNorm().mean(), cli.batchNorm().mean(), 0.0);
    assertArrayEquals(trained.batchNorm().variance(), cli.batchNorm().variance(), 0.0);
    List<Row> again = DescentMLPClassificationModel.load(path).transform(iris)
        .select("probability").collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(((Vector) rows.get(i).get(0)).toArray(),
          ((Vector) again.get(i).get(0)).toArray(), 0.0, "row " + i);
    }
  }

  @Test
  void pretrainEpochsPretrainsAsTheTrainerDoes() {
    Dataset<Row> iris = spark.read().format("libsvm").option("numFeatures", "4")
        .load(TestSpark.sharedData("iris.libsvm").toString()).coalesce(1);
    DescentMLPClassificationModel model = new DescentMLPClassifier().setHiddenLayers(6, 4)
        .setActivation("sigmoid").setPretrainEpochs(1).setOptimizer("adam").setLearningRate(0.05)
        .setBatchSize(50).setMaxIter(12).setSeed(9).fit(iris);
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.MLP)
        .hidden(new int[] {6, 4}).activation("sigmoid").outputLoss("softmax").pretrainEpochs(1)
        .fitIntercept(true).optimizer("adam").learningRate(0.05).batchSize(50L).maxSteps(12L)
        .tol(1e-6).seed(9).standardize(true).build().validate();
    TrainingData data = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 1,
        LabelDomain.classes(0), 4, 9);
    TrainingResult trained;
    try {
      trained = new Trainer(config, TrainingListener.NONE).train(data);
    } finally {
      data.unpersist();
    }
    assertArrayEquals(trained.params(), model.weights().toArray(), 0.0);
    assertEquals(2, trained.pretrain().stages().size(), "a stage a hidden layer");
    assertTrue(model.trainingSummary().containsKey("pretrain"), model.trainingSummary()::toString);
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPClassifier().setPretrainEpochs(-1));
    assertTrue(negative.getMessage().contains("pretrainEpochs"), negative.getMessage());
  }

  @Test
  void aLogisticOutputScoresRowsAsItsLayersSayOnDenseAndSparseVectors() {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2).cache();
    DescentMLPClassificationModel m = new DescentMLPClassifier().setHiddenLayers(6)
        .setActivation("sigmoid").setOutputLoss("logistic").setRegParam(1e-2).setMaxIter(30)
        .fit(heart);
    assertFalse(m.isSoftmax());
    assertEquals(2, m.numClasses());
    assertArrayEquals(new int[] {13, 6, 1}, m.layers());
    List<Row> sparse = m.transform(heart)
        .select("features", "rawPrediction", "probability", "prediction").collectAsList();
    List<Row> dense = m.transform(dense(heart))
        .select("features", "rawPrediction", "probability", "prediction").collectAsList();
    assertTrue(sparse.get(0).get(0) instanceof org.apache.spark.ml.linalg.SparseVector);
    assertTrue(dense.get(0).get(0) instanceof org.apache.spark.ml.linalg.DenseVector);
    int positive = 0;
    for (int i = 0; i < sparse.size(); i++) {
      double[] x = ((Vector) sparse.get(i).get(0)).toArray();
      double[] h = affine(m.layerWeights(1), m.layerBiases(1), x);
      for (int u = 0; u < h.length; u++) {
        h[u] = 1 / (1 + Math.exp(-h[u]));
      }
      double margin = affine(m.layerWeights(2), m.layerBiases(2), h)[0];
      double[] raw = ((Vector) sparse.get(i).get(1)).toArray();
      double[] p = ((Vector) sparse.get(i).get(2)).toArray();
      assertEquals(margin, raw[1], 1e-12 * (1 + Math.abs(margin)), "row " + i);
      assertEquals(-raw[1], raw[0], 0.0);
      assertEquals(1 / (1 + Math.exp(-margin)), p[1], 1e-12, "row " + i);
      assertEquals(1.0, p[0] + p[1], 1e-15);
      assertEquals(margin > 0 ? 1.0 : 0.0, sparse.get(i).getDouble(3), "row " + i);
      positive += sparse.get(i).getDouble(3) == 1.0 ? 1 : 0;
      // A dense vector of the same values scores the same.
      assertArrayEquals(raw, ((Vector) dense.get(i).get(1)).toArray(), 1e-12, "row " + i);
      assertEquals(sparse.get(i).getDouble(3), dense.get(i).getDouble(3), "row " + i);
    }
    // Not a constant classifier.
    assertTrue(positive > 0 && positive < sparse.size(), positive + " of " + sparse.size());
    heart.unpersist();
  }

  @Test
  void saveAndLoadGiveIdenticalColumnsAndAModelJsonTheCommandLineReads() throws Exception {
    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2);
    DescentMLPClassifier estimator = new DescentMLPClassifier().setHiddenLayers(5, 4)
        .setActivation("relu").setOptimizer("adam").setLearningRate(0.02).setMaxIter(30)
        .setSeed(5);
    DescentMLPClassificationModel m = estimator.fit(iris);
    String path = dir.resolve("mlpc").toString();
    m.write().overwrite().save(path);
    DescentMLPClassificationModel loaded = DescentMLPClassificationModel.load(path);
    assertEquals(m.uid(), loaded.uid());
    assertArrayEquals(new int[] {5, 4}, loaded.getHiddenLayers());
    assertEquals("relu", loaded.getActivation());
    assertEquals("adam", loaded.getOptimizer());
    assertArrayEquals(m.weights().toArray(), loaded.weights().toArray(), 0.0);
    assertEquals(((Number) m.trainingSummary().get("steps")).longValue(),
        ((Number) loaded.trainingSummary().get("steps")).longValue());
    List<Row> a = m.transform(iris).select("rawPrediction", "probability", "prediction")
        .collectAsList();
    List<Row> b = loaded.transform(iris).select("rawPrediction", "probability", "prediction")
        .collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(((Vector) a.get(i).get(0)).toArray(), ((Vector) b.get(i).get(0)).toArray(),
          0.0, "row " + i);
      assertArrayEquals(((Vector) a.get(i).get(1)).toArray(), ((Vector) b.get(i).get(1)).toArray(),
          0.0, "row " + i);
      assertEquals(a.get(i).getDouble(2), b.get(i).getDouble(2), 0.0, "row " + i);
    }
    // data/model.json is the command line's: descent predict reads the same network.
    LinearModel cli = LinearModel.load(dir.resolve("mlpc/data/model.json"));
    assertEquals(ModelType.MLP, cli.modelType());
    assertEquals("hidden 5,4, relu, softmax output", cli.network().toString());
    assertArrayEquals(m.weights().toArray(), cli.params(), 0.0);

    // The estimator's params round-trip too.
    String estimatorPath = dir.resolve("estimator").toString();
    estimator.save(estimatorPath);
    DescentMLPClassifier again = DescentMLPClassifier.load(estimatorPath);
    assertArrayEquals(new int[] {5, 4}, again.getHiddenLayers());
    assertEquals(0.02, again.getLearningRate());
    assertEquals("softmax", again.getOutputLoss());
  }

  @Test
  void badParamsAreRefusedByTheirSparkMlNamesBeforeAnySparkJob() {
    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPClassifier().setActivation("softplus"));
    assertTrue(e.getMessage().contains("activation"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPClassifier().setOutputLoss("squared"));
    assertTrue(e.getMessage().contains("outputLoss"), e.getMessage());

    String group = "descent-mlp-bad-params";
    spark.sparkContext().setJobGroup(group, "bad params", false);
    try {
      assertRefused(new DescentMLPClassifier(), iris, "hiddenLayers is required");
      assertRefused(new DescentMLPClassifier().setHiddenLayers(4, 0), iris,
          "hiddenLayers must be positive widths, got 4,0");
      assertRefused(new DescentMLPClassifier().setHiddenLayers(4).setOptimizer("newton"), iris,
          "optimizer newton needs the Hessian of a convex objective");
      assertRefused(new DescentMLPClassifier().setHiddenLayers(4).setFitIntercept(false), iris,
          "fitIntercept false does not apply to a network");
      assertRefused(new DescentMLPClassifier().setHiddenLayers(4).setRegParam(0.1)
          .setElasticNetParam(1.0), iris, "elasticNetParam > 0");
      assertRefused(new DescentMLPClassifier().setHiddenLayers(4).setLowerBoundsOnCoefficients(
          org.apache.spark.ml.linalg.Matrices.dense(1, 1, new double[] {0.0})), iris,
          "lowerBoundsOnCoefficients");
      assertEquals(0, spark.sparkContext().statusTracker().getJobIdsForGroup(group).length);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    // A logistic output takes labels 0 and 1; iris's label 2 stops the fit naming the row.
    Exception labels = assertThrows(Exception.class, () -> new DescentMLPClassifier()
        .setHiddenLayers(4).setOutputLoss("logistic").fit(iris));
    assertTrue(String.valueOf(labels.getMessage()).contains("is not 0 or 1"),
        labels.getMessage());
  }

  private static void assertRefused(DescentMLPClassifier stage, Dataset<Row> data,
      String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> stage.fit(data));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith("DescentMLPClassifier " + stage.uid()), e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
  }
}
