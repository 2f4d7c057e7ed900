package descent.driver.ml;

import descent.core.LabelDomain;
import descent.driver.ModelType;
import descent.driver.TrainingConfig;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Logistic regression trained by descent, a drop-in for Spark ML's {@code LogisticRegression}:
 * {@code family} binomial (labels 0/1, objective
 * {@code Σ s_i log(1+exp(−y_i(w·x_i+b)))/Σ s_i + regParam·(α||w||₁ + (1−α)/2·||w||²)}),
 * multinomial (labels 0..K−1, softmax cross-entropy) or auto (binomial for at most 2 classes).
 * {@code fit} runs descent's {@link descent.driver.Trainer} with the {@code optimizer} (L-BFGS by
 * default), {@code learningRate}, {@code batchSize} and {@code schedule} params; K comes from the
 * label column's metadata or the largest label + 1, as in Spark.
 */
public final class DescentLogisticRegression
    extends ProbabilisticClassifier<Vector, DescentLogisticRegression, DescentLogisticRegressionModel>
    implements LogisticParams<DescentLogisticRegression>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private DescentParamSet descent;
  private DescentLogisticRegressionModel initialModel;

  public DescentLogisticRegression() {
    this(Uids.random("descentLogReg"));
  }

  public DescentLogisticRegression(String uid) {
    this(Uids.stage(uid));
  }

  private DescentLogisticRegression(Uids.Staged staged) {
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
   * Starts training from {@code model}'s coefficients instead of zeros. It must have the data's
   * feature count, the same number of classes and family, and the same {@code fitIntercept}.
   */
  public DescentLogisticRegression setInitialModel(DescentLogisticRegressionModel model) {
    this.initialModel = model;
    return this;
  }

  public DescentLogisticRegressionModel getInitialModel() {
    return initialModel;
  }

  @Override
  public DescentLogisticRegressionModel train(Dataset<?> dataset) {
    String family = getFamily();
    // Check the params before the first job; K is known only after it.
    DescentFit.config(this, family.equals("multinomial") ? ModelType.SOFTMAX : ModelType.LOGISTIC,
        null, null);
    int k = family.equals("binomial") ? 2 : getNumClasses(dataset, LabelDomain.MAX_CLASSES);
    boolean multinomial = family.equals("multinomial") || (family.equals("auto") && k > 2);
    if (!multinomial && k > 2) {
      throw new IllegalArgumentException("family binomial takes labels 0 and 1; "
          + getLabelCol() + " has " + k + " classes. Use family multinomial or auto.");
    }
    if (multinomial && k < 2) {
      throw new IllegalArgumentException("family multinomial needs at least 2 classes; "
          + getLabelCol() + " has " + k);
    }
    int d = DescentFit.numFeatures(dataset, getFeaturesCol());
    double[] init = null;
    if (initialModel != null) {
      ModelData m = initialModel.data();
      String expected = multinomial ? DescentLogisticRegressionModel.MULTINOMIAL
          : DescentLogisticRegressionModel.BINOMIAL;
      if (m.numFeatures != d || !m.modelType.equals(expected)
          || initialModel.numClasses() != (multinomial ? k : 2)
          || initialModel.getFitIntercept() != getFitIntercept()) {
        throw new IllegalArgumentException("the initial model (" + m.modelType + ", "
            + initialModel.numClasses() + " classes, " + m.numFeatures + " features, fitIntercept "
            + initialModel.getFitIntercept() + ") does not match this fit ("
            + expected + ", " + (multinomial ? k : 2) + " classes, " + d
            + " features, fitIntercept " + getFitIntercept() + ")");
      }
      init = m.params(getFitIntercept());
    }
    TrainingConfig config = DescentFit.config(this,
        multinomial ? ModelType.SOFTMAX : ModelType.LOGISTIC, multinomial ? k : null, init);
    DescentFit.Fitted fit = DescentFit.train(dataset, getFeaturesCol(), getLabelCol(),
        weightColOrNull(), d, multinomial ? DescentFit.Labels.CLASSES : DescentFit.Labels.BINARY,
        k, config);
    ModelData data = ModelData.of(multinomial ? DescentLogisticRegressionModel.MULTINOMIAL
        : DescentLogisticRegressionModel.BINOMIAL, fit);
    return copyValues(new DescentLogisticRegressionModel(uid(), data), ParamMap.empty());
  }

  @Override
  public DescentLogisticRegression copy(ParamMap extra) {
    DescentLogisticRegression copy = (DescentLogisticRegression) defaultCopy(extra);
    copy.initialModel = initialModel;
    return copy;
  }

  public static MLReader<DescentLogisticRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static DescentLogisticRegression load(String path) {
    return read().load(path);
  }
}
