package descent.driver.ml;

import descent.core.LabelDomain;
import descent.core.OutputLoss;
import descent.driver.TrainingConfig;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A multilayer perceptron classifier trained by descent, in the place of Spark ML's
 * {@code MultilayerPerceptronClassifier}: hidden layers of widths {@code hiddenLayers} with one
 * {@code activation} (relu, tanh or sigmoid), and on the output layer {@code outputLoss} softmax
 * (K class scores, labels 0..K−1; K from the label column's metadata or the largest label + 1, as
 * in Spark) or logistic (one score, labels 0 and 1). The objective is the (weighted) mean loss
 * plus {@code regParam·(α||W||₁ + (1−α)/2·||W||²)} over every layer's weights, never the biases.
 * {@code fit} runs the command line's {@link descent.driver.Trainer} on an {@code --model mlp}
 * configuration, so the same params and {@code seed} train the same network bit for bit, with
 * any descent {@code optimizer} but newton (L-BFGS by default), {@code learningRate},
 * {@code batchSize} and {@code schedule}.
 */
public final class DescentMLPClassifier
    extends ProbabilisticClassifier<Vector, DescentMLPClassifier, DescentMLPClassificationModel>
    implements MlpClassifierParams<DescentMLPClassifier>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private DescentMLPClassificationModel initialModel;

  public DescentMLPClassifier() {
    this(Uids.random("descentMlpc"));
  }

  public DescentMLPClassifier(String uid) {
    this(Uids.stage(uid));
  }

  private DescentMLPClassifier(Uids.Staged staged) {
    super();
    uid();
    descentParams().setDefaults(this);
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

  /**
   * Starts training from {@code model}'s parameters instead of the seed's draw. It must have the
   * same layers (features, hidden widths, classes), activation and output loss.
   */
  public DescentMLPClassifier setInitialModel(DescentMLPClassificationModel model) {
    this.initialModel = model;
    return this;
  }

  public DescentMLPClassificationModel getInitialModel() {
    return initialModel;
  }

  @Override
  public DescentMLPClassificationModel train(Dataset<?> dataset) {
    OutputLoss output = OutputLoss.parse(getOutputLoss());
    boolean softmax = output == OutputLoss.SOFTMAX;
    // Check the params before the first job; K is known only after it.
    TrainingConfig checked = DescentFit.networkConfig(this, output, null, null);
    int k = softmax ? getNumClasses(dataset, LabelDomain.MAX_CLASSES) : 2;
    if (k < 2) {
      throw new IllegalArgumentException("outputLoss softmax needs at least 2 classes; "
          + getLabelCol() + " has " + k);
    }
    int d = DescentFit.numFeatures(dataset, getFeaturesCol());
    double[] init = initialModel == null ? null
        : initialModel.network().startOf(checked.network(), d, softmax ? k : 1);
    TrainingConfig config = DescentFit.networkConfig(this, output, softmax ? k : null, init);
    DescentFit.Fitted fit = DescentFit.train(dataset, getFeaturesCol(), getLabelCol(),
        weightColOrNull(), d, softmax ? DescentFit.Labels.CLASSES : DescentFit.Labels.BINARY, k,
        config);
    return copyValues(new DescentMLPClassificationModel(uid(), NetworkData.of(config, fit)),
        ParamMap.empty());
  }

  @Override
  public DescentMLPClassifier copy(ParamMap extra) {
    DescentMLPClassifier copy = (DescentMLPClassifier) defaultCopy(extra);
    copy.initialModel = initialModel;
    return copy;
  }

  public static MLReader<DescentMLPClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static DescentMLPClassifier load(String path) {
    return read().load(path);
  }
}
