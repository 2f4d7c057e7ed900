package descent.driver;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import descent.core.MiniBatchPlan;
import descent.core.RowBuffer;
import descent.core.SparseSum;
import descent.core.SquaredLoss;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;

/**
 * The Spark settings descent relies on: Kryo with {@code registrationRequired=true} and every
 * class descent ships through Spark's serializer registered with
 * {@link SparkConf#registerKryoClasses}, which adds to a user's own list instead of replacing it,
 * and descent's {@link Registrator} added to {@code spark.kryo.registrator} for the classes with a
 * serialized form of their own.
 */
public final class DescentSpark {
  private DescentSpark() {}

  /** Every descent class that Spark may serialize: task results, broadcasts, cached blocks. */
  public static final Class<?>[] KRYO_CLASSES = {
    DataBlock.class,
    RowBuffer.class,
    GradientAccumulator.class,
    SparseSum.class,
    MiniBatchPlan.class,
    descent.core.RoundSum.class,
    descent.core.LocalRound.class,
    descent.core.LocalRound.Inner.class,
    SquaredLoss.class,
    LogisticLoss.class,
    descent.core.SoftmaxLoss.class,
    descent.core.HingeLoss.class,
    descent.core.SquaredHingeLoss.class,
    descent.core.HuberLoss.class,
    descent.core.MlpLoss.class,
    descent.core.BatchNormStatistics.class,
    descent.core.Activation.class,
    descent.core.OutputLoss.class,
    LabelDomain.class,
    LabelDomain.Kind.class,
    descent.core.ParameterDelta.class,
    descent.core.ParameterDelta[].class,
    descent.core.ParameterTicket.class,
    ParameterShipping.Source.class,
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
    // Spark ML's multinomial LogisticRegression, the reference of the bounded softmax tests.
    "org.apache.spark.ml.optim.aggregator.MultinomialLogisticBlockAggregator",
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
    String registrators = conf.get(REGISTRATORS, "").trim();
    String ours = Registrator.class.getName();
    if (!java.util.Arrays.asList(registrators.split("\\s*,\\s*")).contains(ours)) {
      conf.set(REGISTRATORS, registrators.isEmpty() ? ours : registrators + "," + ours);
    }
    return conf;
  }

  private static final String REGISTRATORS = "spark.kryo.registrator";

  /**
   * Gives the classes with a compact form of their own their Kryo serializer: a
   * {@link SparseSum} ships its entries only (a varint coordinate and a double each), not its
   * hash table's empty slots. Spark runs it after registering {@link #KRYO_CLASSES}, so the
   * registration ids stay those of the list.
   */
  public static final class Registrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
      kryo.register(SparseSum.class, new SparseSumSerializer());
    }
  }

  /** {@link SparseSum#write} and {@link SparseSum#read} on a Kryo stream, ints as varints. */
  static final class SparseSumSerializer extends Serializer<SparseSum> {
    @Override
    public void write(Kryo kryo, Output output, SparseSum sum) {
      try {
        sum.write(new SparseSum.Output() {
          @Override
          public void writeInt(int v) {
            output.writeVarInt(v, true);
          }

          @Override
          public void writeDouble(double v) {
            output.writeDouble(v);
          }
        });
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public SparseSum read(Kryo kryo, Input input, Class<SparseSum> type) {
      try {
        return SparseSum.read(new SparseSum.Input() {
          @Override
          public int readInt() {
            return input.readVarInt(true);
          }

          @Override
          public double readDouble() {
            return input.readDouble();
          }
        });
      } catch (java.io.IOException e) {
        throw new com.esotericsoftware.kryo.KryoException(e);
      }
    }
  }
}
