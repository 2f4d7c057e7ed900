package descent.jobs;

import descent.core.FeatureHashing;
import descent.core.LibSvmParser;
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

  @Option(names = "--hash-features", paramLabel = "BITS",
      description = "LIBSVM: hash every index i into 2^BITS features (MurmurHash3 x86_32 of i,"
          + " seed 42, mod 2^BITS; colliding values sum), BITS from 1 to "
          + FeatureHashing.MAX_BITS + "; for indices wider than --num-features allows")
  Integer hashFeatures;

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

  /**
   * The hashing bits for data read for a saved model: the model's ({@code model.json} records
   * them), which {@code --hash-features}, when given, must equal; else {@code --hash-features} or
   * 0. A mismatch is an error naming {@code modelFile}: another hashing would put the indices
   * in other features than those the model was trained on.
   */
  int hashBitsFor(descent.driver.LinearModel model, String modelFile) {
    int given = hashFeatures == null ? 0 : hashFeatures;
    if (model == null) {
      return given;
    }
    int bits = model.hashBits();
    if (hashFeatures != null && given != bits) {
      throw new IllegalArgumentException(modelFile + ": " + (bits == 0
          ? "the model was trained without --hash-features; drop --hash-features " + given
          : "the model was trained with --hash-features " + bits + " (" + (1 << bits)
              + " features); --hash-features " + given + " would put the indices in other"
              + " features"));
    }
    return bits;
  }

  /** The reader's spec, validated, without hashing unless {@code --hash-features} is given. */
  DataReader.Spec spec(int numFeaturesOverride) {
    return spec(numFeaturesOverride, hashFeatures == null ? 0 : hashFeatures);
  }

  /**
   * The reader's spec, validated, hashing into {@code 2^hashBits} features (0: no hashing), as a
   * saved model asks; {@code --hash-features}, when given, must agree (the caller checks).
   */
  DataReader.Spec spec(int numFeaturesOverride, int hashBits) {
    if (numFeatures < 0) {
      throw new IllegalArgumentException("--num-features must be positive, got " + numFeatures);
    }
    if (numFeatures > LibSvmParser.MAX_FEATURES) {
      throw new IllegalArgumentException("--num-features " + numFeatures + " is above "
          + LibSvmParser.MAX_FEATURES + " (2^" + FeatureHashing.MAX_BITS + "), the widest"
          + " model; hash wider LIBSVM indices with --hash-features BITS");
    }
    if (hashFeatures != null
        && (hashFeatures < 1 || hashFeatures > FeatureHashing.MAX_BITS)) {
      throw new IllegalArgumentException("--hash-features must be from 1 to "
          + FeatureHashing.MAX_BITS + " (2^BITS features), got " + hashFeatures);
    }
    if (hashBits > 0 && numFeatures > 0 && numFeatures != 1 << hashBits) {
      throw new IllegalArgumentException("--num-features " + numFeatures + " differs from the "
          + (1 << hashBits) + " features of --hash-features " + hashBits
          + "; give one of the two");
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
    if (hashBits > 0 && f != DataReader.Format.LIBSVM) {
      throw new IllegalArgumentException("--hash-features applies to --format libsvm, whose"
          + " indices it hashes; " + format + " columns are features as they are");
    }
    int d = hashBits > 0 ? 1 << hashBits
        : numFeaturesOverride > 0 ? numFeaturesOverride : numFeatures;
    return new DataReader.Spec(data, f, d, partitions, labelColumn, labelCol, featuresCol,
        weightColumn, weightCol, hashBits);
  }
}
