package descent.driver.ml;

import descent.driver.ModelType;
import descent.driver.TrainingConfig;
import org.apache.spark.ml.classification.Classifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A linear SVM trained by descent, a drop-in for Spark ML's {@code LinearSVC}: labels 0/1,
 * objective {@code Σ s_i max(0, 1 − y_i(w·x_i + b))/Σ s_i + regParam·(α||w||₁ + (1−α)/2·||w||²)}
 * with {@code y = ±1}. The hinge loss has no second derivative, so {@code newton} is refused;
 * L-BFGS (the default) or a first-order optimizer trains it.
 */
public final class DescentLinearSVC
    extends Classifier<Vector, DescentLinearSVC, DescentLinearSVCModel>
    implements DescentParams<DescentLinearSVC>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private DescentLinearSVCModel initialModel;

  public DescentLinearSVC() {
    this(Uids.random("descentLinearSVC"));
  }

  public DescentLinearSVC(String uid) {
    this(Uids.stage(uid));
  }

  private DescentLinearSVC(Uids.Staged staged) {
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
  public DescentLinearSVC setInitialModel(DescentLinearSVCModel model) {
    this.initialModel = model;
    return this;
  }

  public DescentLinearSVCModel getInitialModel() {
    return initialModel;
  }

  @Override
  public DescentLinearSVCModel train(Dataset<?> dataset) {
    ModelType hinge = ModelType.HINGE;
    DescentFit.config(this, hinge, null, null);
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
    TrainingConfig config = DescentFit.config(this, hinge, null, init);
    DescentFit.Fitted fit = DescentFit.train(dataset, getFeaturesCol(), getLabelCol(),
        weightColOrNull(), d, DescentFit.Labels.BINARY, 2, config);
    return copyValues(new DescentLinearSVCModel(uid(),
        ModelData.of(DescentLinearSVCModel.TYPE, fit)), ParamMap.empty());
  }

  @Override
  public DescentLinearSVC copy(ParamMap extra) {
    DescentLinearSVC copy = (DescentLinearSVC) defaultCopy(extra);
    copy.initialModel = initialModel;
    return copy;
  }

  public static MLReader<DescentLinearSVC> read() {
    return new DefaultParamsReader<>();
  }

  public static DescentLinearSVC load(String path) {
    return read().load(path);
  }
}
