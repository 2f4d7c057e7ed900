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
    LabelDomain.class,
    double[].class,
    double[][].class,
    int[].class,
    long[].class,
    Object[].class,
    java.util.ArrayList.class,
  };

  /** Adds descent's serializer settings to {@code conf}; returns it. */
  public static SparkConf configure(SparkConf conf) {
    conf.set("spark.serializer", KryoSerializer.class.getName());
    conf.set("spark.kryo.registrationRequired", "true");
    conf.registerKryoClasses(KRYO_CLASSES);
    return conf;
  }
}
