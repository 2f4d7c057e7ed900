package descent.driver.ml;

import java.util.Map;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A linear SVM fitted by {@link DescentLinearSVC}, predicting as Spark ML's
 * {@code LinearSVCModel}: margin {@code m = w·x + b}, {@code rawPrediction = (−m, m)},
 * prediction 1 when {@code m > 0} (Spark's threshold 0).
 */
public final class DescentLinearSVCModel extends ClassificationModel<Vector, DescentLinearSVCModel>
    implements DescentParams<DescentLinearSVCModel>, MLWritable {
  private static final long serialVersionUID = 1L;
  static final String TYPE = "hinge";

  private String uid;
  private DescentParamSet descent;
  private final ModelData data;

  DescentLinearSVCModel(String uid, ModelData data) {
    this(Uids.stage(uid), data);
  }

  private DescentLinearSVCModel(Uids.Staged staged, ModelData data) {
    super();
    uid();
    descentParams().setDefaults(this);
    if (data.numOutputs != 1) {
      throw new IllegalArgumentException("a linear SVM has one output, got " + data.numOutputs);
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
  public int numClasses() {
    return 2;
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
  public Vector predictRaw(Vector features) {
    double m = data.margin(features, 0);
    return Vectors.dense(-m, m);
  }

  @Override
  public DescentLinearSVCModel copy(ParamMap extra) {
    return copyValues(new DescentLinearSVCModel(uid(), data), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<DescentLinearSVCModel> read() {
    return new Reader();
  }

  public static DescentLinearSVCModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "DescentLinearSVCModel: uid=" + uid() + ", numFeatures=" + data.numFeatures;
  }

  private static final class Writer extends MLWriter {
    private final DescentLinearSVCModel model;

    Writer(DescentLinearSVCModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      model.data.save(model, path, sparkSession());
    }
  }

  private static final class Reader extends MLReader<DescentLinearSVCModel> {
    @Override
    public DescentLinearSVCModel load(String path) {
      ModelData.Loaded l = ModelData.load(path, sparkSession(),
          DescentLinearSVCModel.class.getName(), TYPE);
      DescentLinearSVCModel m = new DescentLinearSVCModel(l.metadata().uid(), l.data());
      l.metadata().getAndSetParams(m, scala.Option.empty());
      return m;
    }
  }
}
