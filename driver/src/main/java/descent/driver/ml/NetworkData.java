package descent.driver.ml;

import descent.core.DataBlock;
import descent.core.MlpLoss;
import descent.core.OutputLoss;
import descent.core.Workspace;
import descent.driver.LinearModel;
import descent.driver.ModelType;
import descent.driver.NetworkSpec;
import descent.driver.TrainingConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;

/**
 * The numbers of a fitted descent network: its layout (an {@link MlpLoss}: hidden widths,
 * activation, output loss and K outputs), the feature count d and the parameters in MlpLoss's
 * order {@code [W_1 .. W_{L+1}, b_1 .. b_{L+1}]} (then every γ of a batch-normalized network),
 * plus the training summary. Models score a row with MlpLoss's own forward pass, the one
 * training and {@code descent predict} use, and save the command line's {@code model.json}
 * ({@link LinearModel}) as {@code data/model.json} next to Spark ML's {@code metadata/}, so
 * {@code descent predict} and {@code evaluate} read it too.
 */
final class NetworkData implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The label of the one-row block a row is scored in; the forward pass never reads it. */
  private static final double[] NO_LABEL = new double[1];

  final MlpLoss loss;
  final int numFeatures;
  private final double[] params;
  private final LinkedHashMap<String, Object> summary;
  /** Each thread's activation buffers, so that scoring a row allocates no layer arrays. */
  private transient volatile ThreadLocal<Workspace> workspaces;

  private NetworkData(MlpLoss loss, int numFeatures, double[] params,
      Map<String, Object> summary) {
    this.loss = loss;
    this.numFeatures = numFeatures;
    this.params = params;
    this.summary = new LinkedHashMap<>(summary);
  }

  /** The network of a command-line model (model.json read or built), which checked its counts. */
  static NetworkData of(LinearModel model) {
    if (model.network() == null) {
      throw new IllegalArgumentException("a " + model.modelType().id() + " model is not a"
          + " network");
    }
    return new NetworkData((MlpLoss) model.loss(), model.numFeatures(), model.params(),
        model.training());
  }

  /** The network a fit with {@code config} trained. */
  static NetworkData of(TrainingConfig config, DescentFit.Fitted fit) {
    LinearModel model = LinearModel.ofNetwork(config.network(), fit.numFeatures(), fit.params(),
        fit.summary());
    return of(fit.batchNorm() == null ? model : model.withBatchNorm(fit.batchNorm()));
  }

  /** The layout as the command line and model.json name it. */
  NetworkSpec spec() {
    return new NetworkSpec(loss.hidden(), loss.activation(), loss.output(), loss.batchNorm());
  }

  OutputLoss output() {
    return loss.output();
  }

  int numOutputs() {
    return loss.numOutputs();
  }

  /** Every layer's width, {@code [d, n_1 .. n_L, K]}, as Spark ML's {@code layers}. */
  int[] layers() {
    int[] widths = new int[loss.numLayers() + 1];
    for (int l = 0; l < widths.length; l++) {
      widths[l] = loss.width(l, numFeatures);
    }
    return widths;
  }

  /** Weight layer {@code l} (1-based, up to L + 1): {@code units × inputs}, row u unit u's. */
  Matrix weights(int l) {
    checkLayer(l);
    int units = loss.width(l, numFeatures);
    int inputs = loss.width(l - 1, numFeatures);
    int from = loss.weightOffset(l, numFeatures);
    return new DenseMatrix(units, inputs, Arrays.copyOfRange(params, from,
        from + units * inputs), true);
  }

  /** Layer {@code l}'s biases (1-based, up to L + 1). */
  Vector biases(int l) {
    checkLayer(l);
    int from = loss.biasOffset(l, numFeatures);
    return Vectors.dense(Arrays.copyOfRange(params, from, from + loss.width(l, numFeatures)));
  }

  private void checkLayer(int l) {
    if (l < 1 || l > loss.numLayers()) {
      throw new IllegalArgumentException("layer " + l + " is not a weight layer of this"
          + " network: they are 1 to " + loss.numLayers() + " (the last is the output layer)");
    }
  }

  /**
   * This network's parameters as the start of a fit of layout {@code spec} on {@code d} features
   * with {@code k} outputs; another layout is refused naming both.
   */
  double[] startOf(NetworkSpec spec, int d, int k) {
    if (!spec().equals(spec) || numFeatures != d || numOutputs() != k) {
      throw new IllegalArgumentException("the initial model (" + spec() + ", " + numFeatures
          + " features, " + numOutputs() + " outputs) does not match this fit (" + spec + ", "
          + d + " features, " + k + " outputs)");
    }
    return params.clone();
  }

  /** The parameters in MlpLoss's order, a copy. */
  double[] params() {
    return params.clone();
  }

  /** Objective, steps and stop reason of the run that fitted the network. */
  Map<String, Object> summary() {
    return new LinkedHashMap<>(summary);
  }

  /**
   * The output layer's scores of one row into {@code z} (K values): the class scores of a
   * softmax output, the margin of a logistic one, the value of a squared one. {@code x} must have
   * {@link #numFeatures} values; a sparse vector enters the first layer by its non-zeros.
   */
  void scores(Vector x, double[] z) {
    if (x.size() != numFeatures) {
      throw new IllegalArgumentException("the feature vector has " + x.size()
          + " values; the model has " + numFeatures + " features");
    }
    DataBlock row;
    if (x instanceof SparseVector s) {
      row = DataBlock.sparse(0, 0, numFeatures, NO_LABEL, null,
          new int[] {0, s.indices().length}, s.indices(), s.values());
    } else {
      row = DataBlock.dense(0, 0, numFeatures, NO_LABEL, null, x.toArray());
    }
    loss.outputs(row, 0, 1, params, z, workspace());
  }

  private Workspace workspace() {
    ThreadLocal<Workspace> w = workspaces;
    if (w == null) {
      w = ThreadLocal.withInitial(Workspace::new);
      workspaces = w;
    }
    return w.get();
  }

  /** Saves Spark ML's metadata of {@code stage} and this network's model.json under {@code path}. */
  void save(Params stage, String path, SparkSession spark) {
    DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, spark);
    LinearModel model = LinearModel.ofNetwork(spec(), numFeatures, params, summary);
    String json = (loss.batchNorm() ? model.withBatchNorm(loss.statistics()) : model).toJson();
    ModelData.writeData(path, json.getBytes(StandardCharsets.UTF_8), spark);
  }

  /** A model's metadata and network as {@link #save} wrote them. */
  record Loaded(DefaultParamsReader.Metadata metadata, NetworkData data) {}

  /**
   * Reads what {@link #save} wrote, checking that the metadata names {@code className} and the
   * network has one of {@code outputs}.
   */
  static Loaded load(String path, SparkSession spark, String className, OutputLoss... outputs) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, spark, className);
    String file = ModelData.dataFile(path).toString();
    LinearModel model;
    try {
      model = LinearModel.parse(file, ModelData.readData(path, spark));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (model.modelType() != ModelType.MLP
        || !Arrays.asList(outputs).contains(model.network().output())) {
      throw new IllegalArgumentException(file + ": it holds a " + model.modelType().id()
          + (model.network() == null ? "" : " " + model.network().output().id() + " output")
          + " model, not an mlp with " + Arrays.stream(outputs).map(OutputLoss::id)
              .collect(java.util.stream.Collectors.joining(" or ")) + " output");
    }
    return new Loaded(metadata, of(model));
  }
}
