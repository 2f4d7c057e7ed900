package descent.driver.ml;

import descent.core.OutputLoss;
import java.util.Map;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A multilayer perceptron regression model fitted by {@link DescentMLPRegressor}: the prediction
 * is the output layer's one value. The layers are {@link #layerWeights} and
 * {@link #layerBiases}; {@code write()} saves the command line's model.json as
 * {@code data/model.json}.
 */
public final class DescentMLPRegressionModel
    extends RegressionModel<Vector, DescentMLPRegressionModel>
    implements NetworkParams<DescentMLPRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private final NetworkData network;

  DescentMLPRegressionModel(String uid, NetworkData network) {
    this(Uids.stage(uid), network);
  }

  private DescentMLPRegressionModel(Uids.Staged staged, NetworkData network) {
    super();
    uid();
    descentParams().setDefaults(this);
    if (network.output() != OutputLoss.SQUARED) {
      throw new IllegalArgumentException("a network with a " + network.output().id()
          + " output is a classifier (DescentMLPClassificationModel), not a regression model");
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

  @Override
  public int numFeatures() {
    return network.numFeatures;
  }

  /** Every layer's width from the features to the output, {@code [d, n_1 .. n_L, 1]}. */
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
   * {@code [W_1 .. W_{L+1}, b_1 .. b_{L+1}]}, and with {@code batchNorm} every hidden layer's γ
   * after them.
   */
  public Vector weights() {
    return Vectors.dense(network.params());
  }

  /** The fit's summary: objective, steps, stopReason, passes, seconds, ... */
  public Map<String, Object> trainingSummary() {
    return network.summary();
  }

  @Override
  public double predict(Vector features) {
    double[] z = new double[1];
    network.scores(features, z);
    return z[0];
  }

  @Override
  public DescentMLPRegressionModel copy(ParamMap extra) {
    return copyValues(new DescentMLPRegressionModel(uid(), network), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** The reader {@code Pipeline}, {@code CrossValidator} and {@code load} use. */
  public static MLReader<DescentMLPRegressionModel> read() {
    return new Reader();
  }

  public static DescentMLPRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "DescentMLPRegressionModel: uid=" + uid() + ", " + network.loss;
  }

  private static final class Writer extends MLWriter {
    private final DescentMLPRegressionModel model;

    Writer(DescentMLPRegressionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      model.network.save(model, path, sparkSession());
    }
  }

  private static final class Reader extends MLReader<DescentMLPRegressionModel> {
    @Override
    public DescentMLPRegressionModel load(String path) {
      NetworkData.Loaded l = NetworkData.load(path, sparkSession(),
          DescentMLPRegressionModel.class.getName(), OutputLoss.SQUARED);
      DescentMLPRegressionModel m = new DescentMLPRegressionModel(l.metadata().uid(), l.data());
      l.metadata().getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
