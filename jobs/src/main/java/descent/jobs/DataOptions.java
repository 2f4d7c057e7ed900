package descent.jobs;

import picocli.CommandLine.Option;

/** Options that say what data to read and how. */
public final class DataOptions {
  @Option(names = "--data", required = true, description = "input file, directory or glob")
  String data;

  @Option(names = "--format", defaultValue = "libsvm",
      description = "libsvm, csv or parquet (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--num-features", defaultValue = "0",
      description = "feature count; default: the largest index in the data (LIBSVM)")
  int numFeatures;

  @Option(names = "--partitions", defaultValue = "0",
      description = "partitions to read into (default: Spark's default parallelism)")
  int partitions;

  @Option(names = "--label-column", defaultValue = "0",
      description = "CSV: 0-based column of the label (default: ${DEFAULT-VALUE})")
  int labelColumn;

  @Option(names = "--label-col", defaultValue = "label",
      description = "Parquet: label column (default: ${DEFAULT-VALUE})")
  String labelCol;

  @Option(names = "--features-col", defaultValue = "features",
      description = "Parquet: vector column of features (default: ${DEFAULT-VALUE})")
  String featuresCol;

  /** The reader's spec, validated. */
  DataReader.Spec spec(int numFeaturesOverride) {
    if (numFeatures < 0) {
      throw new IllegalArgumentException("--num-features must be positive, got " + numFeatures);
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("--partitions must be positive, got " + partitions);
    }
    if (labelColumn < 0) {
      throw new IllegalArgumentException("--label-column must be >= 0, got " + labelColumn);
    }
    return new DataReader.Spec(data, DataReader.Format.parse(format),
        numFeaturesOverride > 0 ? numFeaturesOverride : numFeatures, partitions, labelColumn,
        labelCol, featuresCol);
  }
}
