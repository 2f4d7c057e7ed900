package descent.driver.ml;

import descent.core.OutputLoss;
import descent.core.RowBuffer;
import descent.driver.DivergenceException;
import descent.driver.InvalidConfigException;
import descent.driver.ModelType;
import descent.driver.Param;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.VectorRows;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import descent.driver.TrainingSummary;
import descent.driver.schedule.ScheduleSpec;
import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * What {@code fit} does for every descent estimator: builds the {@link TrainingConfig} from the
 * params and checks it before any Spark job, turns the Dataset's features, label and weight
 * columns into one {@link RowBuffer} per partition (sparse vectors stay sparse: no d-sized
 * object per row), checks every value on the way, and trains with the CLI's {@link Trainer}.
 */
final class DescentFit {
  private DescentFit() {}

  /** How labels are checked and stored. */
  enum Labels {
    /** Any finite number (regression). */
    REAL,
    /** 0 or 1, stored as −1/+1 for the margin losses. */
    BINARY,
    /** Class indices 0..K−1, stored as they are. */
    CLASSES
  }

  /**
   * A finished fit: the parameters ({@code [W (K×d), b]} for a linear model, a network's in
   * {@link descent.core.MlpLoss}'s order) and the run's summary.
   */
  record Fitted(double[] params, int numFeatures, int numOutputs, TrainingSummary training,
      descent.core.BatchNormStatistics batchNorm) {
    /** The training summary a model keeps and saves. */
    Map<String, Object> summary() {
      return training.toMap();
    }
  }

  /**
   * The configuration of {@code stage}'s params for {@code type}, validated (no job runs).
   * {@code initialParams} may be null.
   */
  static TrainingConfig config(DescentParams<?> stage, ModelType type, Integer numClasses,
      double[] initialParams) {
    return config(stage, type, numClasses, initialParams, b -> { });
  }

  /**
   * The configuration of a network estimator's params ({@link ModelType#MLP}, layout from
   * {@code hiddenLayers} and {@code activation}, output loss {@code output}), validated (no job
   * runs); {@code numClasses} is K for a softmax output, else null; {@code initialParams} may be
   * null. Every layer of a network has biases, so {@code fitIntercept} false is refused rather
   * than ignored.
   */
  static TrainingConfig networkConfig(NetworkParams<?> stage, OutputLoss output,
      Integer numClasses, double[] initialParams) {
    return config(stage, ModelType.MLP, numClasses, initialParams, b -> {
      if (!stage.getFitIntercept()) {
        throw Param.FIT_INTERCEPT.invalid("false does not apply to a network: every layer has"
            + " biases");
      }
      b.hidden(stage.hiddenLayersOrNull()).activation(stage.getActivation()).outputLoss(output)
          .batchNorm(stage.getBatchNorm()).pretrainEpochs(stage.getPretrainEpochs());
    });
  }

  /** {@link #config(DescentParams, ModelType, Integer, double[])}, {@code layout} adding to it. */
  private static TrainingConfig config(DescentParams<?> stage, ModelType type,
      Integer numClasses, double[] initialParams, Consumer<TrainingConfig.Builder> layout) {
    String optimizer = stage.getOptimizer();
    try {
      TrainingConfig.Builder b = TrainingConfig.builder()
          .modelType(type)
          .fitIntercept(stage.getFitIntercept())
          .optimizer(optimizer)
          .elasticNet(stage.getRegParam(), stage.getElasticNetParam())
          .maxSteps((long) Math.max(1, stage.getMaxIter()))
          .tol(stage.getTol())
          .aggregationDepth(stage.getAggregationDepth())
          .standardize(stage.getStandardization())
          .seed(stage.getSeed())
          .localSteps(stage.getLocalSteps())
          .sparseUpdate(stage.getSparseUpdate())
          .numClasses(numClasses)
          .initialParams(initialParams)
          .bounds(stage.boundsOrNull())
          // A cosine or linear stage without its length lasts the step budget, maxIter.
          .schedule(ScheduleSpec.parse(stage.getSchedule())
              .withDefaultLengths(Math.max(1, stage.getMaxIter())));
      if (stage.isDefined(stage.learningRate())) {
        b.learningRate(stage.getLearningRate());
      }
      if (stage.getBatchSize() > 0) {
        b.batchSize(stage.getBatchSize());
      }
      if ("lbfgs".equals(optimizer) || "newton".equals(optimizer)) {
        // Their full-batch objective is known at every step: check tol at each one, as Spark does.
        b.evalEvery(1);
      }
      layout.accept(b);
      return b.build().validate();
    } catch (InvalidConfigException e) {
      throw e.named(DescentFit::paramName, stage.getClass().getSimpleName() + " " + stage.uid()
          + ": invalid params: ");
    }
  }

  /**
   * The name of {@code p} in this API: the Spark ML param that sets it ({@code maxIter},
   * {@code regParam}, ...), a schedule option by its key in the {@code schedule} param's grammar,
   * and otherwise the driver's name.
   */
  static String paramName(Param p) {
    return switch (p) {
      case REG, REG_L2 -> "regParam";
      case ELASTIC_NET -> "elasticNetParam";
      case MAX_STEPS -> "maxIter";
      case STANDARDIZE -> "standardization";
      case LOWER_BOUNDS -> "lowerBoundsOnCoefficients";
      case UPPER_BOUNDS -> "upperBoundsOnCoefficients";
      case LOWER_INTERCEPT -> "lowerBoundsOnIntercepts";
      case UPPER_INTERCEPT -> "upperBoundsOnIntercepts";
      case SCHEDULE, SCHEDULE_CHAIN -> "schedule";
      case HIDDEN -> "hiddenLayers";
      default -> p.isScheduleOption() ? p.key() : p.driverName();
    };
  }

  /**
   * The length of the feature vectors: the column's ML attribute metadata when it has a size
   * (VectorAssembler, HashingTF), else the first row's vector (one small job).
   */
  static int numFeatures(Dataset<?> dataset, String featuresCol) {
    int size = AttributeGroup.fromStructField(dataset.schema().apply(featuresCol)).size();
    if (size >= 0) {
      return size;
    }
    Row first;
    try {
      first = (Row) dataset.select(featuresCol).head();
    } catch (java.util.NoSuchElementException e) {
      throw new IllegalArgumentException("the training Dataset has no rows");
    }
    if (first.isNullAt(0)) {
      throw new IllegalArgumentException("the first row's " + featuresCol + " is null");
    }
    return ((Vector) first.get(0)).size();
  }

  /**
   * Trains {@code config} on the columns of {@code dataset}; every vector must have
   * {@code numFeatures} values. The cached blocks are dropped before it returns.
   */
  static Fitted train(Dataset<?> dataset, String featuresCol, String labelCol, String weightCol,
      int numFeatures, Labels labels, int numClasses, TrainingConfig config) {
    TrainingData data = data(dataset, featuresCol, labelCol, weightCol, numFeatures, labels,
        numClasses, config.seed());
    try {
      TrainingResult result = new Trainer(config, TrainingListener.NONE).train(data);
      int perOutput = numFeatures + (config.fitIntercept() ? 1 : 0);
      int outputs = config.modelType().isNetwork() ? config.loss(numClasses).numOutputs()
          : result.params().length / perOutput;
      return new Fitted(result.params(), numFeatures, outputs,
          TrainingSummary.of(config, data, result), result.batchNorm());
    } catch (InvalidConfigException e) {
      throw e.named(DescentFit::paramName, "invalid params for this Dataset: ");
    } catch (DivergenceException e) {
      throw e.named(DescentFit::paramName);
    } finally {
      data.unpersist();
    }
  }

  /**
   * The Dataset's columns as cached blocks, each partition's rows checked into one
   * {@link RowBuffer} (a sparse vector's nonzeros only) and shuffled with {@code seed}.
   */
  static TrainingData data(Dataset<?> dataset, String featuresCol, String labelCol,
      String weightCol, int numFeatures, Labels labels, int numClasses, long seed) {
    Column weight = weightCol == null ? functions.lit(1.0)
        : functions.col(weightCol).cast(DataTypes.DoubleType);
    JavaRDD<Row> rows = dataset.select(functions.col(featuresCol),
        functions.col(labelCol).cast(DataTypes.DoubleType), weight).toJavaRDD();
    JavaRDD<RowBuffer> buffers = rows.mapPartitionsWithIndex((p, it) ->
        Collections.singletonList(toBuffer(p, it, numFeatures, labels, numClasses, labelCol,
            weightCol)).iterator(), true);
    String source = "Dataset[" + featuresCol + ", " + labelCol
        + (weightCol == null ? "" : ", " + weightCol) + "]";
    return TrainingData.fromRows(buffers, numFeatures, seed, true, source);
  }

  /** One partition's rows, checked, in one buffer. */
  static RowBuffer toBuffer(int partition, java.util.Iterator<Row> it, int d, Labels labels,
      int numClasses, String labelCol, String weightCol) {
    RowBuffer buffer = new RowBuffer();
    long i = 0;
    while (it.hasNext()) {
      Row row = it.next();
      if (row.isNullAt(0)) {
        throw bad(partition, i, "the feature vector is null");
      }
      try {
        VectorRows.addFeatures((Vector) row.get(0), d, buffer);
      } catch (IllegalArgumentException e) {
        throw bad(partition, i, e.getMessage()
            + (e.getMessage().startsWith("the feature vector has")
                ? " (the first row's size or the column's metadata)" : ""));
      }
      double y = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
      if (!Double.isFinite(y)) {
        throw bad(partition, i, labelCol + " is " + (row.isNullAt(1) ? "null" : y));
      }
      double stored = switch (labels) {
        case REAL -> y;
        case BINARY -> {
          if (y != 0.0 && y != 1.0) {
            throw bad(partition, i, labelCol + " " + y + " is not 0 or 1 (binary labels)");
          }
          yield y == 1.0 ? 1.0 : -1.0;
        }
        case CLASSES -> {
          if (!(y >= 0 && y < numClasses && y == Math.rint(y))) {
            throw bad(partition, i, labelCol + " " + y + " is not a class index 0.."
                + (numClasses - 1));
          }
          yield y;
        }
      };
      double w = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw bad(partition, i, "weight " + weightCol + " is "
            + (row.isNullAt(2) ? "null" : w) + "; weights must be finite and >= 0");
      }
      buffer.endRow(stored, w);
      i++;
    }
    return buffer;
  }

  private static IllegalArgumentException bad(int partition, long row, String what) {
    return new IllegalArgumentException("partition " + partition + ", row " + row
        + " (0-based, in the partition's order): " + what);
  }
}
