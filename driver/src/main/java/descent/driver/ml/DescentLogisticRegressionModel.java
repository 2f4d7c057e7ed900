package descent.driver.ml;

import java.util.Map;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A logistic regression model fitted by {@link DescentLogisticRegression}, laid out and
 * predicting as Spark ML's {@code LogisticRegressionModel}. Binomial, with margin
 * {@code m = w·x + b}: {@code rawPrediction = (−m, m)}, {@code probability = (1 − σ(m), σ(m))},
 * prediction 1 when {@code m > 0}. Multinomial over K classes: {@code rawPrediction} holds the K
 * scores {@code z_k = w_k·x + b_k}, {@code probability = softmax(z)}, prediction the argmax.
 */
public final class DescentLogisticRegressionModel
    extends ProbabilisticClassificationModel<Vector, DescentLogisticRegressionModel>
    implements LogisticParams<DescentLogisticRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;
  static final String BINOMIAL = "logistic";
  static final String MULTINOMIAL = "softmax";

  private String uid;
  private DescentParamSet descent;
  private final ModelData data;
  private final int numClasses;

  DescentLogisticRegressionModel(String uid, ModelData data) {
    this(Uids.stage(uid), data);
  }

  private DescentLogisticRegressionModel(Uids.Staged staged, ModelData data) {
    super();
    uid();
    descentParams().setDefaults(this);
    this.data = data;
    boolean multinomial = data.modelType.equals(MULTINOMIAL);
    if (multinomial ? data.numOutputs < 2 : data.numOutputs != 1) {
      throw new IllegalArgumentException("a " + data.modelType + " model cannot have "
          + data.numOutputs + " outputs");
    }
    this.numClasses = multinomial ? data.numOutputs : 2;
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

  ModelData data() {
    return data;
  }

  /** Whether the model is multinomial (softmax over K classes). */
  public boolean isMultinomial() {
    return data.modelType.equals(MULTINOMIAL);
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int numFeatures() {
    return data.numFeatures;
  }

  /** The binomial model's coefficients (Spark: multinomial models use coefficientMatrix). */
  public Vector coefficients() {
    if (isMultinomial()) {
      throw new UnsupportedOperationException("a multinomial model has a coefficient matrix;"
          + " use coefficientMatrix");
    }
    return Vectors.dense(data.coefficients.clone());
  }

  /** The binomial model's intercept. */
  public double intercept() {
    if (isMultinomial()) {
      throw new UnsupportedOperationException("a multinomial model has an intercept per class;"
          + " use interceptVector");
    }
    return data.intercepts[0];
  }

  /** The K×d coefficients (1×d for a binomial model). */
  public Matrix coefficientMatrix() {
    return new DenseMatrix(data.numOutputs, data.numFeatures, data.coefficients.clone(), true);
  }

  /** The K intercepts (one for a binomial model). */
  public Vector interceptVector() {
    return Vectors.dense(data.intercepts.clone());
  }

  /** The fit's summary: objective, steps, stopReason, passes, seconds, ... */
  public Map<String, Object> trainingSummary() {
    return data.summary();
  }

  @Override
  public Vector predictRaw(Vector features) {
    if (!isMultinomial()) {
      double m = data.margin(features, 0);
      return Vectors.dense(-m, m);
    }
    double[] z = new double[numClasses];
    for (int k = 0; k < numClasses; k++) {
      z[k] = data.margin(features, k);
    }
    return Vectors.dense(z);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    if (!isMultinomial()) {
      double p = 1.0 / (1.0 + Math.exp(-v[1]));
      v[0] = 1.0 - p;
      v[1] = p;
      return rawPrediction;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double z : v) {
      max = Math.max(max, z);
    }
    double sum = 0.0;
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.exp(v[k] - max);
      sum += v[k];
    }
    for (int k = 0; k < v.length; k++) {
      v[k] /= sum;
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
  public DescentLogisticRegressionModel copy(ParamMap extra) {
    DescentLogisticRegressionModel copy = copyValues(
        new DescentLogisticRegressionModel(uid(), data), extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** The reader {@code Pipeline}, {@code CrossValidator} and {@code load} use. */
  public static MLReader<DescentLogisticRegressionModel> read() {
    return new Reader();
  }

  public static DescentLogisticRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "DescentLogisticRegressionModel: uid=" + uid() + ", numClasses=" + numClasses
        + ", numFeatures=" + data.numFeatures;
  }

  private static final class Writer extends MLWriter {
    private final DescentLogisticRegressionModel model;

    Writer(DescentLogisticRegressionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      model.data.save(model, path, sparkSession());
    }
  }

  private static final class Reader extends MLReader<DescentLogisticRegressionModel> {
    @Override
    public DescentLogisticRegressionModel load(String path) {
      ModelData.Loaded l = ModelData.load(path, sparkSession(),
          DescentLogisticRegressionModel.class.getName(), BINOMIAL, MULTINOMIAL);
      DescentLogisticRegressionModel m = new DescentLogisticRegressionModel(l.metadata().uid(),
          l.data());
      l.metadata().getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
