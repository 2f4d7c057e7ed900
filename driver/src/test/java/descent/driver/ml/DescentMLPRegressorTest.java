package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DescentMLPRegressor} as a Spark ML estimator: on lpsa a tanh network gets below the
 * linear model's optimum on the same penalty, and the objective recomputed from its transform and
 * its layers is the one it reports; dense and sparse vectors predict alike; a Pipeline with it
 * saves and loads to identical predictions; bad params are refused by their Spark ML names.
 */
class DescentMLPRegressorTest {
  /** lpsa's linear least-squares optimum at regL2 1e-3 with an intercept (shared/data/README.md). */
  static final double LPSA_LINEAR_OPTIMUM = 0.220020325516931;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  private static double objective(DescentMLPRegressionModel m) {
    return ((Number) m.trainingSummary().get("objective")).doubleValue();
  }

  @Test
  void lpsaGetsBelowTheLinearOptimumAndItsPredictionsGiveTheObjective() {
    Dataset<Row> lpsa = MlData.libsvm("lpsa.libsvm", 8, 2).cache();
    DescentMLPRegressionModel m = new DescentMLPRegressor().setHiddenLayers(8)
        .setActivation("tanh").setRegParam(1e-3).setStandardization(false).setMaxIter(300)
        .fit(lpsa);
    double f = objective(m);
    System.out.printf("lpsa: DescentMLPRegressor 8-8-1 tanh objective %.6f (linear optimum"
        + " %.6f), %s steps%n", f, LPSA_LINEAR_OPTIMUM, m.trainingSummary().get("steps"));
    assertTrue(f < LPSA_LINEAR_OPTIMUM, "objective " + f);
    assertArrayEquals(new int[] {8, 8, 1}, m.layers());

    // ½ mean (prediction − label)² + (1e-3/2)·Σ_l ||W_l||², from the transform and the layers.
    List<Row> rows = m.transform(lpsa).select("prediction", "label").collectAsList();
    double loss = 0.0;
    for (Row r : rows) {
      double e = r.getDouble(0) - r.getDouble(1);
      loss += 0.5 * e * e;
    }
    double squares = 0.0;
    for (int l = 1; l <= 2; l++) {
      Matrix w = m.layerWeights(l);
      for (double v : w.toArray()) {
        squares += v * v;
      }
    }
    double recomputed = loss / rows.size() + 0.5e-3 * squares;
    assertEquals(f, recomputed, 1e-10 * f);

    // Warm start: one more L-BFGS step from the fitted network stays below the linear optimum,
    // where one step from the seed's draw does not get; another layout is refused naming both.
    DescentMLPRegressor oneStep = new DescentMLPRegressor().setHiddenLayers(8)
        .setActivation("tanh").setRegParam(1e-3).setStandardization(false).setMaxIter(1);
    double warm = objective(oneStep.copy(new org.apache.spark.ml.param.ParamMap())
        .setInitialModel(m).fit(lpsa));
    double cold = objective(oneStep.fit(lpsa));
    assertTrue(warm <= f && cold > LPSA_LINEAR_OPTIMUM, "warm " + warm + ", cold " + cold);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> oneStep.copy(new org.apache.spark.ml.param.ParamMap()).setHiddenLayers(4)
            .setInitialModel(m).fit(lpsa));
    assertTrue(e.getMessage().contains("the initial model (hidden 8, tanh, squared output, 8"
        + " features, 1 outputs) does not match this fit (hidden 4, tanh"), e.getMessage());

    // Dense vectors of the same values predict the same.
    List<Row> dense = m.transform(DescentMLPClassifierTest.dense(lpsa)).select("prediction")
        .collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i).getDouble(0), dense.get(i).getDouble(0),
          1e-12 * (1 + Math.abs(rows.get(i).getDouble(0))), "row " + i);
    }
    lpsa.unpersist();
  }

  @Test
  void aPipelineWithTheRegressorSavesAndLoadsToIdenticalPredictions() throws Exception {
    Dataset<Row> lpsa = MlData.libsvm("lpsa.libsvm", 8, 2);
    StandardScaler scaler = new StandardScaler().setInputCol("features").setOutputCol("scaled");
    DescentMLPRegressor mlp = new DescentMLPRegressor().setFeaturesCol("scaled")
        .setHiddenLayers(6, 3).setActivation("sigmoid").setOptimizer("adam").setLearningRate(0.05)
        .setBatchSize(16).setMaxIter(40).setSeed(9).setStandardization(false);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {scaler, mlp}).fit(lpsa);
    DescentMLPRegressionModel fitted = (DescentMLPRegressionModel) model.stages()[1];
    assertEquals(40L, ((Number) fitted.trainingSummary().get("steps")).longValue());
    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    DescentMLPRegressionModel back = (DescentMLPRegressionModel) loaded.stages()[1];
    assertArrayEquals(new int[] {6, 3}, back.getHiddenLayers());
    assertEquals("sigmoid", back.getActivation());
    assertArrayEquals(fitted.weights().toArray(), back.weights().toArray(), 0.0);
    for (int l = 1; l <= 3; l++) {
      assertArrayEquals(fitted.layerBiases(l).toArray(), back.layerBiases(l).toArray(), 0.0);
    }
    List<Row> a = model.transform(lpsa).select("prediction").collectAsList();
    List<Row> b = loaded.transform(lpsa).select("prediction").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(Double.doubleToRawLongBits(a.get(i).getDouble(0)),
          Double.doubleToRawLongBits(b.get(i).getDouble(0)), "row " + i);
    }
    // A regression model's directory is not a classifier's.
    Exception e = assertThrows(Exception.class,
        () -> DescentMLPClassificationModel.load(dir.resolve("pipeline/stages/1_"
            + fitted.uid()).toString()));
    assertTrue(String.valueOf(e.getMessage()).contains("DescentMLPClassificationModel")
        || String.valueOf(e.getMessage()).contains("squared"), e.getMessage());
  }

  @Test
  void badParamsAreRefusedByTheirSparkMlNames() {
    Dataset<Row> lpsa = MlData.libsvm("lpsa.libsvm", 8, 2);
    DescentMLPRegressor regressor = new DescentMLPRegressor();
    assertFalse(regressor.hasParam("outputLoss"));
    assertTrue(regressor.hasParam("hiddenLayers") && regressor.hasParam("activation"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPRegressor().setHiddenLayers(3).setOptimizer("newton").fit(lpsa));
    assertTrue(e.getMessage().contains("optimizer newton needs the Hessian"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPRegressor().setHiddenLayers().fit(lpsa));
    assertTrue(e.getMessage().contains("hiddenLayers is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new DescentMLPRegressor().setHiddenLayers(3).setOptimizer("sgd")
            .setBatchSize(1000).fit(lpsa));
    assertTrue(e.getMessage().contains("batchSize 1000 is larger than the 67 rows"),
        e.getMessage());
    assertFalse(e.getMessage().contains("--"), e.getMessage());
  }
}
