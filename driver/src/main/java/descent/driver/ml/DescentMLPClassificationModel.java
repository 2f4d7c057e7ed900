package descent.driver.ml;

import descent.core.OutputLoss;
import descent.core.SoftmaxLoss;
import java.util.Map;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A multilayer perceptron classifier fitted by {@link DescentMLPClassifier}, predicting as Spark
 * ML's classifiers do. Softmax output over K classes: {@code rawPrediction} holds the output
 * layer's K scores z, {@code probability = softmax(z)}. Logistic output (two classes), with the
 * one score m: {@code rawPrediction = (−m, m)}, {@code probability = (1 − σ(m), σ(m))}. The
 * prediction is the class of the largest score. The layers are {@link #layerWeights} and
 * {@link #layerBiases}; {@code write()} saves the command line's model.json as
 * {@code data/model.json}.
 */
public final class DescentMLPClassificationModel
    extends ProbabilisticClassificationModel<Vector, DescentMLPClassificationModel>
    implements MlpClassifierParams<DescentMLPClassificationModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private final NetworkData network;

  DescentMLPClassificationModel(String uid, NetworkData network) {
    this(Uids.stage(uid), network);
  }

  private DescentMLPClassificationModel(Uids.Staged staged, NetworkData network) {
    super();
    uid();
    descentParams().setDefaults(this);
    if (network.output() == OutputLoss.SQUARED) {
      throw new IllegalArgumentException("a network with a squared output is a regression"
          + " model (DescentMLPRegressionModel), not a classifier");
    }
    this.network = network;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take();
    }
    return uid;
  }

  @Override
  public DescentParamSet descentParams() {
    if (descent == null) {
      descent = new DescentParamSet(this);
    }
    return descent;
  }

  NetworkData network() {
    return network;
  }

  /** Whether the output layer is a softmax over K classes (else one logistic score). */
  public boolean isSoftmax() {
    return network.output() == OutputLoss.SOFTMAX;
  }

  @Override
  public int numClasses() {
    return isSoftmax() ? network.numOutputs() : 2;
  }

  @Override
  public int numFeatures() {
    return network.numFeatures;
  }

  /** Every layer's width from the features to the outputs, {@code [d, n_1 .. n_L, K]}. */
  public int[] layers() {
    return network.layers();
  }

  /**
   * Weight layer {@code layer}, 1 (features to the first hidden layer) to L + 1 (the output
   * layer): a {@code units × inputs} matrix whose row u holds unit u's incoming weights.
   */
  public Matrix layerWeights(int layer) {
    return network.weights(layer);
  }

  /** The biases of weight layer {@code layer} (1 to L + 1). */
  public Vector layerBiases(int layer) {
    return network.biases(layer);
  }

  /**
   * All parameters in descent's order, every weight matrix (row-major) then every bias vector:
   * {@code [W_1 .. W_{L+1}, b_1 .. b_{L+1}]}, with {@code batchNorm} every γ after them (Spark
   * ML's {@code weights} interleave them per layer).
   */
  public Vector weights() {
    return Vectors.dense(network.params());
  }

  /** The fit's summary: objective, steps, stopReason, passes, seconds, ... */
  public Map<String, Object> trainingSummary() {
    return network.summary();
  }

  @Override
  public Vector predictRaw(Vector features) {
    if (isSoftmax()) {
      double[] z = new double[network.numOutputs()];
      network.scores(features, z);
      return Vectors.dense(z);
    }
    double[] raw = new double[2];
    network.scores(features, raw);
    raw[1] = raw[0];
    raw[0] = -raw[1];
    return Vectors.dense(raw);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    if (isSoftmax()) {
      SoftmaxLoss.softmaxInPlace(v, 0, v.length, 1);
    } else {
      double p = 1.0 / (1.0 + Math.exp(-v[1]));
      v[0] = 1.0 - p;
      v[1] = p;
    }
    return rawPrediction;
  }

  /**
   * Spark's own (no summary is kept); declared here because Java sees the two covariant Scala
   * declarations it inherits as a clash.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public DescentMLPClassificationModel copy(ParamMap extra) {
    DescentMLPClassificationModel copy = copyValues(
        new DescentMLPClassificationModel(uid(), network), extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** The reader {@code Pipeline}, {@code CrossValidator} and {@code load} use. */
  public static MLReader<DescentMLPClassificationModel> read() {
    return new Reader();
  }

  public static DescentMLPClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "DescentMLPClassificationModel: uid=" + uid() + ", " + network.loss;
  }

  private static final class Writer extends MLWriter {
    private final DescentMLPClassificationModel model;

    Writer(DescentMLPClassificationModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      model.network.save(model, path, sparkSession());
    }
  }

  private static final class Reader extends MLReader<DescentMLPClassificationModel> {
    @Override
    public DescentMLPClassificationModel load(String path) {
      NetworkData.Loaded l = NetworkData.load(path, sparkSession(),
          DescentMLPClassificationModel.class.getName(), OutputLoss.SOFTMAX, OutputLoss.LOGISTIC);
      DescentMLPClassificationModel m = new DescentMLPClassificationModel(l.metadata().uid(),
          l.data());
      l.metadata().getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
