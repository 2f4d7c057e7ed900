package descent.driver.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each model saves through MLWritable and loads through its static {@code read()}; the loaded
 * model transforms to bit-identical columns, and a loaded model warm-starts a new fit.
 */
class SaveLoadTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    TestSpark.session();
  }

  /** Every output column of both transforms, as raw bits. */
  private static void assertSameOutput(Transformer a, Transformer b, Dataset<Row> data,
      String... cols) {
    List<Row> x = a.transform(data).select(cols[0], java.util.Arrays.copyOfRange(cols, 1,
        cols.length)).collectAsList();
    List<Row> y = b.transform(data).select(cols[0], java.util.Arrays.copyOfRange(cols, 1,
        cols.length)).collectAsList();
    assertEquals(x.size(), y.size());
    for (int i = 0; i < x.size(); i++) {
      for (int c = 0; c < cols.length; c++) {
        Object u = x.get(i).get(c);
        Object v = y.get(i).get(c);
        if (u instanceof Vector uv) {
          assertArrayEquals(uv.toArray(), ((Vector) v).toArray(), 0.0, cols[c] + " row " + i);
        } else {
          assertEquals(Double.doubleToLongBits((Double) u), Double.doubleToLongBits((Double) v),
              cols[c] + " row " + i);
        }
      }
    }
  }

  @Test
  void logisticBinomialAndMultinomialRoundTripBitForBit() throws Exception {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2);
    DescentLogisticRegressionModel m = new DescentLogisticRegression().setRegParam(1e-3)
        .setMaxIter(30).fit(heart);
    String path = dir.resolve("binomial").toString();
    m.save(path);
    assertTrue(Files.exists(dir.resolve("binomial/data/model.json")));
    assertTrue(Files.exists(dir.resolve("binomial/metadata")));
    DescentLogisticRegressionModel loaded = DescentLogisticRegressionModel.load(path);
    assertEquals(m.uid(), loaded.uid());
    assertEquals(1e-3, loaded.getRegParam());
    assertEquals(m.intercept(), loaded.intercept(), 0.0);
    assertSameOutput(m, loaded, heart, "prediction", "probability", "rawPrediction");

    Dataset<Row> iris = MlData.libsvm("iris.libsvm", 4, 2);
    DescentLogisticRegressionModel k3 = new DescentLogisticRegression().setFamily("multinomial")
        .setRegParam(1e-3).setMaxIter(30).fit(iris);
    k3.write().overwrite().save(dir.resolve("multinomial").toString());
    DescentLogisticRegressionModel k3loaded =
        DescentLogisticRegressionModel.load(dir.resolve("multinomial").toString());
    assertEquals(3, k3loaded.numClasses());
    assertSameOutput(k3, k3loaded, iris, "prediction", "probability", "rawPrediction");
  }

  @Test
  void linearRegressionRoundTripsAndWarmStartsFromTheLoadedModel() throws Exception {
    Dataset<Row> lpsa = MlData.libsvm("lpsa.libsvm", 8, 2);
    DescentLinearRegression estimator = new DescentLinearRegression().setRegParam(1e-3)
        .setStandardization(false).setMaxIter(100).setTol(1e-14);
    DescentLinearRegressionModel m = estimator.fit(lpsa);
    double objective = ((Number) m.trainingSummary().get("objective")).doubleValue();
    assertEquals(0.220020325516931, objective, 1e-6 * 0.220020325516931);
    String path = dir.resolve("linear").toString();
    m.save(path);
    DescentLinearRegressionModel loaded = DescentLinearRegressionModel.load(path);
    assertSameOutput(m, loaded, lpsa, "prediction");
    // Warm start: one more L-BFGS step from the optimum stays at the optimum.
    DescentLinearRegressionModel again = estimator.copy(new org.apache.spark.ml.param.ParamMap())
        .setInitialModel(loaded).setMaxIter(1).fit(lpsa);
    Map<String, Object> s = again.trainingSummary();
    assertEquals(objective, ((Number) s.get("objective")).doubleValue(), 1e-9 * objective);
    // A model of another width is refused before training.
    DescentLinearRegressionModel narrow = new DescentLinearRegressionModel("narrow",
        new ModelData("linear", 3, 1, new double[3], new double[1], Map.of()));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new DescentLinearRegression().setInitialModel(narrow).fit(lpsa));
    assertTrue(e.getMessage().contains("3 features"), e.getMessage());
  }

  @Test
  void linearSvcModelRoundTripsBitForBit() throws Exception {
    Dataset<Row> heart = MlData.binary01("heart_scale", 13, 2);
    double[] w = new double[13];
    for (int j = 0; j < w.length; j++) {
      w[j] = Math.sin(j + 1) / 3;
    }
    DescentLinearSVCModel m = new DescentLinearSVCModel("svc",
        new ModelData(DescentLinearSVCModel.TYPE, 13, 1, w, new double[] {0.1}, Map.of()));
    String path = dir.resolve("svc").toString();
    m.save(path);
    DescentLinearSVCModel loaded = DescentLinearSVCModel.load(path);
    assertSameOutput(m, loaded, heart, "prediction", "rawPrediction");
    Row r = m.transform(heart).select("rawPrediction", "prediction").head();
    double margin = ((Vector) r.get(0)).apply(1);
    assertEquals(margin > 0 ? 1.0 : 0.0, r.getDouble(1));
  }
}
