package descent.driver.ml;

import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/** A linear regression model fitted by {@link DescentLinearRegression}: prediction {@code w·x + b}. */
public final class DescentLinearRegressionModel
    extends RegressionModel<Vector, DescentLinearRegressionModel>
    implements DescentParams<DescentLinearRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;
  static final String TYPE = "linear";

  private String uid;
  private DescentParamSet descent;
  private final ModelData data;

  DescentLinearRegressionModel(String uid, ModelData data) {
    this(Uids.stage(uid), data);
  }

  private DescentLinearRegressionModel(Uids.Staged staged, ModelData data) {
    super();
    uid();
    descentParams().setDefaults(this);
    if (data.numOutputs != 1) {
      throw new IllegalArgumentException("a linear model has one output, got " + data.numOutputs);
    }
    this.data = data;
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

  @Override
  public int numFeatures() {
    return data.numFeatures;
  }

  public Vector coefficients() {
    return Vectors.dense(data.coefficients.clone());
  }

  public double intercept() {
    return data.intercepts[0];
  }

  /** The fit's summary: objective, steps, stopReason, passes, seconds, ... */
  public Map<String, Object> trainingSummary() {
    return data.summary();
  }

  @Override
  public double predict(Vector features) {
    return data.margin(features, 0);
  }

  @Override
  public DescentLinearRegressionModel copy(ParamMap extra) {
    return copyValues(new DescentLinearRegressionModel(uid(), data), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<DescentLinearRegressionModel> read() {
    return new Reader();
  }

  public static DescentLinearRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "DescentLinearRegressionModel: uid=" + uid() + ", numFeatures=" + data.numFeatures;
  }

  private static final class Writer extends MLWriter {
    private final DescentLinearRegressionModel model;

    Writer(DescentLinearRegressionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      model.data.save(model, path, sparkSession());
    }
  }

  private static final class Reader extends MLReader<DescentLinearRegressionModel> {
    @Override
    public DescentLinearRegressionModel load(String path) {
      ModelData.Loaded l = ModelData.load(path, sparkSession(),
          DescentLinearRegressionModel.class.getName(), TYPE);
      DescentLinearRegressionModel m = new DescentLinearRegressionModel(l.metadata().uid(),
          l.data());
      l.metadata().getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
