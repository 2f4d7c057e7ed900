package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.driver.TrainingData;
import descent.jobs.DataReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The comparison's data, the same values in every library's form, each cached: descent's blocks,
 * MLlib's points and the (label, features) pairs {@code runMiniBatchSGD} takes, and Spark ML's
 * DataFrame. Every library then reads its own cached form, as it would in a training run.
 *
 * @param source "generated", "generated CTR-like" ({@code --sparse}), or the LIBSVM file's path
 * @param points MLlib's points, {@code MEMORY_ONLY}
 * @param mllib the points as {@code runMiniBatchSGD}'s pairs, {@code MEMORY_ONLY}
 * @param frame the points as Spark ML's DataFrame, cached
 */
record BenchData(String source, TrainingData training, JavaRDD<LabeledPoint> points,
    JavaRDD<Tuple2<Object, Vector>> mllib, Dataset<Row> frame) {

  /** The source of {@code bench --sparse}'s generated data. */
  static final String SPARSE_SOURCE = "generated CTR-like";

  /**
   * The data of {@code options}: the LIBSVM file of {@code --data} (hashed with
   * {@code --hash-features}), else with {@code --sparse} the CTR-like rows of {@link SparseRows},
   * else the dense generated rows.
   */
  static BenchData load(SparkSession spark, BenchCommand options) {
    if (options.data == null && options.sparse) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      TrainingData td = TrainingData.fromRows(SparseRows.rows(jsc, options.rows(),
          options.features(), options.nnz, options.zipf, options.partitions, options.seed),
          options.features(), options.seed, true, "generated CTR-like rows");
      return cache(spark, SPARSE_SOURCE, td, td.blocks().flatMap(BenchData::toPoints));
    }
    return load(spark, options.data, options.numFeatures,
        options.hashFeatures == null ? 0 : options.hashFeatures, options.rows(),
        options.features(), options.partitions, options.seed);
  }

  /**
   * The LIBSVM file {@code path} when given (its indices hashed into {@code 2^hashBits}
   * features unless 0), else {@code rows × features} generated rows in {@code partitions}
   * partitions from {@code seed}. Spark caches each form when first used.
   */
  static BenchData load(SparkSession spark, String path, int numFeatures, int hashBits,
      long rows, int features, int partitions, long seed) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TrainingData td;
    JavaRDD<LabeledPoint> points;
    String source;
    if (path != null) {
      source = path;
      td = DataReader.load(spark, new DataReader.Spec(path, DataReader.Format.LIBSVM,
          hashBits > 0 ? 1 << hashBits : numFeatures, partitions, 0, "label", "features", -1,
          null, hashBits), LabelDomain.BINARY, seed, true, "--num-features");
      points = td.blocks().flatMap(BenchData::toPoints);
    } else {
      source = "generated";
      JavaRDD<Integer> parts = SyntheticRows.partitions(jsc, partitions);
      td = TrainingData.fromRows(SyntheticRows.rows(jsc, rows, features, partitions, seed),
          features, seed, true, "generated rows");
      points = SyntheticRows.points(parts, rows, features, partitions, seed);
    }
    return cache(spark, source, td, points);
  }

  /**
   * The data of {@code bench --mlp}: the LIBSVM file of {@code --data} with class labels
   * 0..K−1, else {@code --rows × --features} generated rows of {@code --classes} classes
   * ({@link SyntheticRows#generateClasses}). The points carry the class as their label.
   */
  static BenchData loadClasses(SparkSession spark, BenchCommand options) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (options.data != null) {
      int hashBits = options.hashFeatures == null ? 0 : options.hashFeatures;
      TrainingData td = DataReader.load(spark, new DataReader.Spec(options.data,
          DataReader.Format.LIBSVM, hashBits > 0 ? 1 << hashBits : options.numFeatures,
          options.partitions, 0, "label", "features", -1, null, hashBits),
          LabelDomain.classes(0), options.seed, true, "--num-features");
      return cache(spark, options.data, td, td.blocks().flatMap(b -> toPoints(b, false)));
    }
    int p = options.partitions;
    int k = options.classes();
    TrainingData td = TrainingData.fromRows(SyntheticRows.classRows(jsc, options.rows(),
        options.features(), k, p, options.seed), options.features(), options.seed, true,
        "generated rows of " + k + " classes");
    return cache(spark, "generated, " + k + " classes", td,
        SyntheticRows.classPoints(SyntheticRows.partitions(jsc, p), options.rows(),
            options.features(), k, p, options.seed));
  }

  /** The other libraries' forms of {@code points}, each to be cached when first used. */
  private static BenchData cache(SparkSession spark, String source, TrainingData td,
      JavaRDD<LabeledPoint> points) {
    points = points.persist(StorageLevel.MEMORY_ONLY());
    JavaRDD<Tuple2<Object, Vector>> mllib = points
        .map(lp -> new Tuple2<Object, Vector>(lp.label(), lp.features()))
        .persist(StorageLevel.MEMORY_ONLY());
    StructType schema = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", new VectorUDT(), false, Metadata.empty())});
    Dataset<Row> frame = spark.createDataFrame(
        points.map(lp -> RowFactory.create(lp.label(), lp.features().asML())), schema).cache();
    return new BenchData(source, td, points, mllib, frame);
  }

  /**
   * Counts every cached form (which fills the caches) and fails unless all hold descent's rows.
   */
  void requireSameRows() {
    long n = training.totalRows();
    long pointCount = mllib.count();
    long frameCount = frame.count();
    if (pointCount != n || frameCount != n) {
      throw new IllegalStateException("row counts differ: descent " + n + ", MLlib " + pointCount
          + ", DataFrame " + frameCount);
    }
  }

  /**
   * Drops every cache, blocking, so that no removal is still in flight when the session stops
   * (see {@link TrainingData#unpersist}).
   */
  void unpersist() {
    frame.unpersist(true);
    mllib.unpersist(true);
    points.unpersist(true);
    training.unpersist();
  }

  /** The rows of a descent block as MLlib points (labels ±1 → 0/1). */
  static Iterator<LabeledPoint> toPoints(DataBlock b) {
    return toPoints(b, true);
  }

  /** The rows of a descent block as MLlib points, binary labels ±1 → 0/1, else as they are. */
  static Iterator<LabeledPoint> toPoints(DataBlock b, boolean binary) {
    List<LabeledPoint> out = new ArrayList<>(b.numRows());
    int d = b.numFeatures();
    double[] y = b.labels();
    double[] v = b.values();
    for (int i = 0; i < b.numRows(); i++) {
      Vector x;
      if (b.isDense()) {
        x = Vectors.dense(Arrays.copyOfRange(v, i * d, (i + 1) * d));
      } else {
        int from = b.indptr()[i];
        int to = b.indptr()[i + 1];
        x = Vectors.sparse(d, Arrays.copyOfRange(b.indices(), from, to),
            Arrays.copyOfRange(v, from, to));
      }
      out.add(new LabeledPoint(binary ? (y[i] > 0 ? 1.0 : 0.0) : y[i], x));
    }
    return out.iterator();
  }
}
