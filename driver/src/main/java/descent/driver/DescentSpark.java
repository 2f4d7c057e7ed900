package descent.driver;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import descent.core.MiniBatchPlan;
import descent.core.RowBuffer;
import descent.core.SquaredLoss;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;

/**
 * The Spark settings descent relies on: Kryo with {@code registrationRequired=true} and every
 * class descent ships through Spark's serializer registered with
 * {@link SparkConf#registerKryoClasses}, which adds to a user's own list instead of replacing it.
 */
public final class DescentSpark {
  private DescentSpark() {}

  /** Every descent class that Spark may serialize: task results, broadcasts, cached blocks. */
  public static final Class<?>[] KRYO_CLASSES = {
    DataBlock.class,
    RowBuffer.class,
    GradientAccumulator.class,
    MiniBatchPlan.class,
    SquaredLoss.class,
    LogisticLoss.class,
    descent.core.SoftmaxLoss.class,
    descent.core.HingeLoss.class,
    descent.core.SquaredHingeLoss.class,
    descent.core.HuberLoss.class,
    LabelDomain.class,
    LabelDomain.Kind.class,
    double[].class,
    double[][].class,
    int[].class,
    long[].class,
    Object[].class,
    java.util.ArrayList.class,
  };

  /**
   * Spark classes that Spark's own registrator leaves out but that descent's jobs send through
   * Kryo: AUC's label counters (evaluate) and the vector type of a Parquet schema (reading).
   */
  static final String[] SPARK_CLASSES = {
    "org.apache.spark.mllib.evaluation.binary.BinaryLabelCounter",
    "[Lorg.apache.spark.mllib.evaluation.binary.BinaryLabelCounter;",
    "org.apache.spark.ml.linalg.VectorUDT",
    // descent bench: MLlib's GradientDescent and Spark ML's LogisticRegression.
    "breeze.linalg.DenseVector$mcD$sp",
    "org.apache.spark.ml.stat.SummarizerBuffer",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Std$",
    "org.apache.spark.ml.stat.SummaryBuilderImpl$Count$",
    "org.apache.spark.ml.stat.MultiClassSummarizer",
    "org.apache.spark.ml.optim.aggregator.BinaryLogisticBlockAggregator",
    "org.apache.spark.broadcast.TorrentBroadcast",
    "org.apache.spark.storage.BroadcastBlockId",
  };

  /** Adds descent's serializer settings to {@code conf}; returns it. */
  public static SparkConf configure(SparkConf conf) {
    conf.set("spark.serializer", KryoSerializer.class.getName());
    conf.set("spark.kryo.registrationRequired", "true");
    conf.registerKryoClasses(KRYO_CLASSES);
    Class<?>[] spark = new Class<?>[SPARK_CLASSES.length];
    for (int i = 0; i < spark.length; i++) {
      try {
        spark[i] = Class.forName(SPARK_CLASSES[i]);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("Spark class " + SPARK_CLASSES[i] + " not found", e);
      }
    }
    conf.registerKryoClasses(spark);
    return conf;
  }
}
