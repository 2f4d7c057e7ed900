package descent.driver.ml;

import descent.driver.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** The shared data sets as Spark ML DataFrames (label, features), read by Spark's LIBSVM source. */
final class MlData {
  private MlData() {}

  /** {@code file} with {@code numFeatures} features in {@code partitions} partitions. */
  static Dataset<Row> libsvm(String file, int numFeatures, int partitions) {
    return TestSpark.session().read().format("libsvm")
        .option("numFeatures", Integer.toString(numFeatures))
        .load(TestSpark.sharedData(file).toString())
        .repartition(partitions);
  }

  /** A ±1-labelled binary set with labels mapped to Spark ML's 0/1. */
  static Dataset<Row> binary01(String file, int numFeatures, int partitions) {
    Dataset<Row> df = libsvm(file, numFeatures, partitions);
    return df.withColumn("label", functions.when(df.col("label").gt(0), 1.0).otherwise(0.0));
  }
}
