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
      description = "partitions to read into, repartitioned after reading when the source"
          + " gives fewer (default: Spark's default parallelism)")
  int partitions;

  @Option(names = "--label-column", defaultValue = "0",
      description = "CSV: 0-based column of the label (default: ${DEFAULT-VALUE})")
  int labelColumn;

  @Option(names = "--label-col", defaultValue = "label",
      description = "Parquet: label column (default: ${DEFAULT-VALUE})")
  String labelCol;

  @Option(names = "--weight-column", defaultValue = "-1",
      description = "CSV: 0-based column of the instance weight (default: none, every row 1)")
  int weightColumn;

  @Option(names = "--weight-col",
      description = "Parquet: instance weight column (default: none, every row 1)")
  String weightCol;

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
    DataReader.Format f = DataReader.Format.parse(format);
    if (weightColumn < -1 || weightColumn == labelColumn) {
      throw new IllegalArgumentException("--weight-column must be a column >= 0 other than the"
          + " label's, got " + weightColumn);
    }
    if (weightColumn >= 0 && f != DataReader.Format.CSV) {
      throw new IllegalArgumentException("--weight-column applies to --format csv; use"
          + " --weight-col for parquet");
    }
    if (weightCol != null && f != DataReader.Format.PARQUET) {
      throw new IllegalArgumentException("--weight-col applies to --format parquet; use"
          + " --weight-column for csv");
    }
    return new DataReader.Spec(data, f,
        numFeaturesOverride > 0 ? numFeaturesOverride : numFeatures, partitions, labelColumn,
        labelCol, featuresCol, weightColumn, weightCol);
  }
}
