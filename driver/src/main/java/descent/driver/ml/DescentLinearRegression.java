package descent.driver.ml;

import descent.driver.ModelType;
import descent.driver.TrainingConfig;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Least-squares linear regression trained by descent, a drop-in for Spark ML's
 * {@code LinearRegression}: objective
 * {@code Σ s_i (w·x_i + b − y_i)²/(2 Σ s_i) + regParam·(α||w||₁ + (1−α)/2·||w||²)}, trained
 * with the {@code optimizer} param (L-BFGS by default). Unlike Spark, the label is not
 * standardized.
 */
public final class DescentLinearRegression
    extends Regressor<Vector, DescentLinearRegression, DescentLinearRegressionModel>
    implements DescentParams<DescentLinearRegression>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private DescentLinearRegressionModel initialModel;

  public DescentLinearRegression() {
    this(Uids.random("descentLinReg"));
  }

  public DescentLinearRegression(String uid) {
    this(Uids.stage(uid));
  }

  private DescentLinearRegression(Uids.Staged staged) {
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

  /** Starts from {@code model} (same feature count and {@code fitIntercept}) instead of zeros. */
  public DescentLinearRegression setInitialModel(DescentLinearRegressionModel model) {
    this.initialModel = model;
    return this;
  }

  public DescentLinearRegressionModel getInitialModel() {
    return initialModel;
  }

  @Override
  public DescentLinearRegressionModel train(Dataset<?> dataset) {
    DescentFit.config(this, ModelType.LINEAR, null, null);
    int d = DescentFit.numFeatures(dataset, getFeaturesCol());
    double[] init = null;
    if (initialModel != null) {
      ModelData m = initialModel.data();
      if (m.numFeatures != d || initialModel.getFitIntercept() != getFitIntercept()) {
        throw new IllegalArgumentException("the initial model (" + m.numFeatures
            + " features, fitIntercept " + initialModel.getFitIntercept()
            + ") does not match this fit (" + d + " features, fitIntercept " + getFitIntercept()
            + ")");
      }
      init = m.params(getFitIntercept());
    }
    TrainingConfig config = DescentFit.config(this, ModelType.LINEAR, null, init);
    DescentFit.Fitted fit = DescentFit.train(dataset, getFeaturesCol(), getLabelCol(),
        weightColOrNull(), d, DescentFit.Labels.REAL, 0, config);
    return copyValues(new DescentLinearRegressionModel(uid(),
        ModelData.of(DescentLinearRegressionModel.TYPE, fit)), ParamMap.empty());
  }

  @Override
  public DescentLinearRegression copy(ParamMap extra) {
    DescentLinearRegression copy = (DescentLinearRegression) defaultCopy(extra);
    copy.initialModel = initialModel;
    return copy;
  }

  public static MLReader<DescentLinearRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static DescentLinearRegression load(String path) {
    return read().load(path);
  }
}
