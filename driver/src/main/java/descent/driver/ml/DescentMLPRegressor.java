package descent.driver.ml;

import descent.core.OutputLoss;
import descent.driver.TrainingConfig;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A multilayer perceptron regressor trained by descent: hidden layers of widths
 * {@code hiddenLayers} with one {@code activation} (relu, tanh or sigmoid) and one linear output
 * f(x) under the squared loss, objective
 * {@code Σ s_i (f(x_i) − y_i)²/(2 Σ s_i) + regParam·(α||W||₁ + (1−α)/2·||W||²)} over every
 * layer's weights, never the biases. {@code fit} runs the command line's
 * {@link descent.driver.Trainer} on an {@code --model mlp --output-loss squared} configuration,
 * with any descent {@code optimizer} but newton (L-BFGS by default). The label is not
 * standardized.
 */
public final class DescentMLPRegressor
    extends Regressor<Vector, DescentMLPRegressor, DescentMLPRegressionModel>
    implements NetworkParams<DescentMLPRegressor>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private DescentMLPRegressionModel initialModel;

  public DescentMLPRegressor() {
    this(Uids.random("descentMlpr"));
  }

  public DescentMLPRegressor(String uid) {
    this(Uids.stage(uid));
  }

  private DescentMLPRegressor(Uids.Staged staged) {
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
   * same layers (features and hidden widths) and activation.
   */
  public DescentMLPRegressor setInitialModel(DescentMLPRegressionModel model) {
    this.initialModel = model;
    return this;
  }

  public DescentMLPRegressionModel getInitialModel() {
    return initialModel;
  }

  @Override
  public DescentMLPRegressionModel train(Dataset<?> dataset) {
    // Checked before the first job (the feature count may take one).
    TrainingConfig config = DescentFit.networkConfig(this, OutputLoss.SQUARED, null, null);
    int d = DescentFit.numFeatures(dataset, getFeaturesCol());
    if (initialModel != null) {
      config = DescentFit.networkConfig(this, OutputLoss.SQUARED, null,
          initialModel.network().startOf(config.network(), d, 1));
    }
    DescentFit.Fitted fit = DescentFit.train(dataset, getFeaturesCol(), getLabelCol(),
        weightColOrNull(), d, DescentFit.Labels.REAL, 0, config);
    return copyValues(new DescentMLPRegressionModel(uid(), NetworkData.of(config, fit)),
        ParamMap.empty());
  }

  @Override
  public DescentMLPRegressor copy(ParamMap extra) {
    DescentMLPRegressor copy = (DescentMLPRegressor) defaultCopy(extra);
    copy.initialModel = initialModel;
    return copy;
  }

  public static MLReader<DescentMLPRegressor> read() {
    return new DefaultParamsReader<>();
  }

  public static DescentMLPRegressor load(String path) {
    return read().load(path);
  }
}
