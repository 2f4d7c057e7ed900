package descent.jobs;

import descent.core.GradientAccumulator;
import descent.core.Loss;
import descent.driver.LinearModel;
import descent.driver.ModelType;
import descent.driver.Objective;
import descent.driver.Regularizer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code descent evaluate}: the objective of a model on a data set, and log-loss, accuracy and
 * AUC for logistic models, log-loss and accuracy for softmax, accuracy and AUC (of the margin)
 * for the SVMs, or RMSE and R² for linear and Huber regression.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a trained model on a data set.")
final class EvaluateCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, description = "model directory or model.json: a"
      + " local path or a Hadoop URI (hdfs://...)")
  String modelPath;

  @Option(names = "--reg-l2", description = "L2 penalty of the objective (default: the model's training regL2)")
  Double regL2;

  @Override
  public Integer call() throws Exception {
    LinearModel model = LinearModel.load(modelPath);
    double reg = regL2 != null ? regL2 : regL2Of(model);
    if (!(reg >= 0)) {
      throw new IllegalArgumentException("--reg-l2 must be non-negative, got " + reg);
    }
    DataReader.Spec spec = dataOptions.spec(model.numFeatures(),
        dataOptions.hashBitsFor(model, PredictCommand.modelFile(modelPath)));
    DataReader.requireExists(spec.path());
    SparkOptions.Session session = sparkOptions.session("descent evaluate");
    try {
      SparkSession spark = session.spark();
      Loss loss = model.loss();
      TrainingData data = DataReader.load(spark, spec, loss.labelDomain(), 0, false,
          "the model's feature count");
      Map<String, Double> metrics = evaluate(data, model, reg);
      metrics.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-10s %.15g%n", k, v));
      return 0;
    } catch (Exception e) {
      throw Errors.unwrap(e);
    } finally {
      session.close();
    }
  }

  private static double regL2Of(LinearModel model) {
    Object r = model.training().get("regL2");
    return r instanceof Number n ? n.doubleValue() : 0.0;
  }

  /** The metrics of {@code model} on {@code data}, in print order. */
  static Map<String, Double> evaluate(TrainingData data, LinearModel model, double regL2) {
    Loss loss = model.loss();
    double[] params = model.params();
    Map<String, Double> m = new LinkedHashMap<>();
    GradientAccumulator sums = Objective.lossSums(data.blocks(), loss, params,
        model.fitIntercept(), TrainingConfig.aggregationDepth(0,
            data.partitionRows().length, params.length));
    double meanLoss = sums.lossSum() / sums.weightSum();
    m.put("rows", (double) sums.rows());
    m.put("objective", meanLoss + Regularizer.of(0.0, regL2).penalty(params,
        loss.numCoefficients(model.numFeatures())));
    JavaRDD<Tuple2<Double, Double>> predictions = Scoring.predictions(data.blocks(), loss, params,
        model.fitIntercept()).cache();
    if (model.numOutputs() > 1) {
      m.put("logloss", meanLoss);
      double correct = predictions.filter(t -> t._1().doubleValue() == t._2()).count();
      m.put("accuracy", correct / sums.rows());
    } else if (model.outputType().isBinaryClassifier()) {
      ModelType type = model.outputType();
      if (type == ModelType.LOGISTIC) {
        m.put("logloss", meanLoss);
      }
      double correct = predictions.filter(t -> type.isPositive(t._1()) == (t._2() > 0)).count();
      m.put("accuracy", correct / sums.rows());
      JavaRDD<Tuple2<Object, Object>> scores = predictions.map(
          t -> new Tuple2<>((Object) t._1(), (Object) (t._2() > 0 ? 1.0 : 0.0)));
      BinaryClassificationMetrics bcm = new BinaryClassificationMetrics(scores.rdd());
      m.put("auc", bcm.areaUnderROC());
      bcm.unpersist();
    } else {
      List<double[]> agg = List.of(predictions.map(t -> new double[] {
          (t._1() - t._2()) * (t._1() - t._2()), t._2(), t._2() * t._2()})
          .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
      double[] s = agg.get(0);
      double n = sums.rows();
      double mean = s[1] / n;
      double total = s[2] - n * mean * mean;
      m.put("rmse", Math.sqrt(s[0] / n));
      m.put("r2", 1.0 - s[0] / total);
    }
    predictions.unpersist(false);
    return m;
  }
}
