package descent.jobs;

import descent.core.LabelDomain;
import descent.driver.LinearModel;
import descent.driver.ModelType;
import descent.driver.TrainingData;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent predict}: one prediction per input row, in input order, written as Spark text
 * part files in a new directory. Linear and Huber models write the predicted value; logistic
 * models write {@code prediction,probability} with prediction 1 or 0 and the probability of the
 * positive class; the SVMs (hinge, squared-hinge) write {@code prediction,margin}, 1 when the
 * margin is above 0; for a K-class softmax model, the class and then the K class probabilities.
 * A network ({@code mlp}) writes what the linear model of its output loss writes.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict with a trained model: one line per input row, in input order.")
final class PredictCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--model", required = true, description = "model directory or model.json: a"
      + " local path or a Hadoop URI (hdfs://...)")
  String modelPath;

  @Option(names = "--output", required = true,
      description = "new directory for the predictions (Spark part files)")
  String output;

  /** The model.json that {@code location} (a directory or the file) names, for messages. */
  static String modelFile(String location) throws java.io.IOException {
    return Errors.redact(LinearModel.modelFile(location, false));
  }

  @Override
  public Integer call() throws Exception {
    LinearModel model = LinearModel.load(modelPath);
    DataReader.Spec spec = dataOptions.spec(model.numFeatures(),
        dataOptions.hashBitsFor(model, modelFile(modelPath)));
    if (dataOptions.numFeatures > 0 && dataOptions.numFeatures != model.numFeatures()) {
      throw new IllegalArgumentException("--num-features " + dataOptions.numFeatures
          + " differs from the model's " + model.numFeatures() + " features ("
          + Errors.redact(descent.driver.OutputDir.of(modelPath).toString()) + ")");
    }
    DataReader.requireExists(spec.path());
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
    FileSystem fs = out.getFileSystem(new Configuration());
    if (fs.exists(out)) {
      throw new IllegalArgumentException(output + ": --output already exists; choose a new directory");
    }
    SparkOptions.Session session = sparkOptions.session("descent predict");
    try {
      SparkSession spark = session.spark();
      TrainingData data = DataReader.load(spark, spec, LabelDomain.REAL, 0, false,
          "the model's feature count");
      ModelType type = model.outputType();
      boolean binary = type.isBinaryClassifier();
      JavaRDD<String> lines = model.numOutputs() > 1
          ? Scoring.classLines(data.blocks(), model.loss(), model.params(),
              model.fitIntercept())
          : Scoring.predictions(data.blocks(), model.loss(), model.params(),
              model.fitIntercept()).map(t -> binary
                  ? (type.isPositive(t._1()) ? "1" : "0") + "," + t._1()
                  : Double.toString(t._1()));
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(out.getParent(),
          "." + out.getName() + ".tmp-" + UUID.randomUUID());
      spark.sparkContext().setJobDescription("descent predict");
      lines.saveAsTextFile(tmp.toString());
      if (!fs.rename(tmp, out)) {
        throw new IllegalStateException("could not rename " + tmp + " to " + out);
      }
      System.out.printf(Locale.ROOT, "wrote %d predictions to %s%n", data.totalRows(), output);
      return 0;
    } catch (Exception e) {
      throw Errors.unwrap(e);
    } finally {
      session.close();
    }
  }
}
