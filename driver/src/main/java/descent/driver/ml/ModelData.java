package descent.driver.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;

/**
 * The numbers of a fitted descent model: K outputs of d coefficients (row-major, K = 1 except
 * multinomial) and K intercepts, plus the training summary. Models compute margins from it and
 * save it as {@code data/model.json} next to Spark ML's {@code metadata/} — JSON through the
 * Hadoop file system, never Java serialization. Doubles are written in their shortest exact
 * form, so a loaded model predicts bit for bit as the saved one.
 */
final class ModelData implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  final String modelType;
  final int numFeatures;
  final int numOutputs;
  final double[] coefficients;
  final double[] intercepts;
  final LinkedHashMap<String, Object> summary;

  ModelData(String modelType, int numFeatures, int numOutputs, double[] coefficients,
      double[] intercepts, Map<String, Object> summary) {
    if (coefficients.length != (long) numOutputs * numFeatures || intercepts.length != numOutputs) {
      throw new IllegalArgumentException(numOutputs + " outputs of " + numFeatures
          + " features need " + (long) numOutputs * numFeatures + " coefficients and "
          + numOutputs + " intercepts, got " + coefficients.length + " and " + intercepts.length);
    }
    this.modelType = modelType;
    this.numFeatures = numFeatures;
    this.numOutputs = numOutputs;
    this.coefficients = coefficients;
    this.intercepts = intercepts;
    this.summary = new LinkedHashMap<>(summary);
  }

  /** The model of trainer parameters {@code [W (K×d), b]} (b absent without an intercept). */
  static ModelData of(String modelType, DescentFit.Fitted fit) {
    int d = fit.numFeatures();
    int k = fit.numOutputs();
    double[] p = fit.params();
    double[] w = java.util.Arrays.copyOf(p, k * d);
    double[] b = p.length > k * d ? java.util.Arrays.copyOfRange(p, k * d, p.length)
        : new double[k];
    return new ModelData(modelType, d, k, w, b, fit.summary());
  }

  /** The trainer's parameter layout for a warm start: {@code [W, b]}, b when fitting it. */
  double[] params(boolean fitIntercept) {
    double[] p = java.util.Arrays.copyOf(coefficients,
        coefficients.length + (fitIntercept ? numOutputs : 0));
    if (fitIntercept) {
      System.arraycopy(intercepts, 0, p, coefficients.length, numOutputs);
    }
    return p;
  }

  /** {@code w_k·x + b_k}; x must have {@link #numFeatures} values. */
  double margin(Vector x, int k) {
    if (x.size() != numFeatures) {
      throw new IllegalArgumentException("the feature vector has " + x.size()
          + " values; the model has " + numFeatures + " features");
    }
    int base = k * numFeatures;
    double m = intercepts[k];
    if (x instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] val = s.values();
      for (int q = 0; q < idx.length; q++) {
        m += coefficients[base + idx[q]] * val[q];
      }
    } else {
      double[] val = ((DenseVector) x).values();
      for (int j = 0; j < val.length; j++) {
        m += coefficients[base + j] * val[j];
      }
    }
    return m;
  }

  /** Objective, steps and stop reason of the run that fitted the model. */
  Map<String, Object> summary() {
    return new LinkedHashMap<>(summary);
  }

  /** Saves Spark ML's metadata of {@code stage} and this data under {@code path}. */
  void save(Params stage, String path, SparkSession spark) {
    DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, spark);
    ObjectNode root = JSON.createObjectNode();
    root.put("modelType", modelType);
    root.put("numFeatures", numFeatures);
    root.put("numOutputs", numOutputs);
    ArrayNode w = root.putArray("coefficients");
    for (double c : coefficients) {
      w.add(c);
    }
    ArrayNode b = root.putArray("intercepts");
    for (double c : intercepts) {
      b.add(c);
    }
    root.set("training", JSON.valueToTree(summary));
    try {
      writeData(path, JSON.writeValueAsBytes(root), spark);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataFile(path), e);
    }
  }

  /** Where a saved model's numbers are: {@code path/data/model.json}. */
  static Path dataFile(String path) {
    return new Path(path, "data/model.json");
  }

  /** Writes {@code bytes} as {@link #dataFile} through the session's Hadoop file system. */
  static void writeData(String path, byte[] bytes, SparkSession spark) {
    Path file = dataFile(path);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, false)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The bytes of {@link #dataFile}, read through the session's Hadoop file system. */
  static byte[] readData(String path, SparkSession spark) {
    Path file = dataFile(path);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (InputStream in = fs.open(file)) {
        in.transferTo(bytes);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A model's metadata and data as {@link #save} wrote them. */
  record Loaded(DefaultParamsReader.Metadata metadata, ModelData data) {}

  /**
   * Reads what {@link #save} wrote, checking that the metadata names {@code className} and the
   * data one of {@code modelTypes}.
   */
  @SuppressWarnings("unchecked")
  static Loaded load(String path, SparkSession spark, String className, String... modelTypes) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, spark, className);
    Path file = dataFile(path);
    JsonNode root;
    try {
      root = JSON.readTree(new String(readData(path, spark), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      String type = root.get("modelType").asText();
      if (!java.util.Arrays.asList(modelTypes).contains(type)) {
        throw new IllegalArgumentException("it holds a " + type + " model, not "
            + String.join(" or ", modelTypes));
      }
      int d = root.get("numFeatures").asInt();
      int k = root.get("numOutputs").asInt();
      double[] w = doubles(root.get("coefficients"));
      double[] b = doubles(root.get("intercepts"));
      Map<String, Object> summary = root.has("training")
          ? JSON.convertValue(root.get("training"), LinkedHashMap.class) : Map.of();
      return new Loaded(metadata, new ModelData(type, d, k, w, b, summary));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a descent model (" + e.getMessage() + ")",
          e);
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode n = array.get(i);
      if (!n.isNumber()) {
        throw new IllegalArgumentException("value " + i + " is " + n + ", not a number");
      }
      v[i] = n.doubleValue();
    }
    return v;
  }
}
