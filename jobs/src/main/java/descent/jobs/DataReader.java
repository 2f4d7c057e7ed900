package descent.jobs;

import descent.core.CsvParser;
import descent.core.FeatureHashing;
import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.RowBuffer;
import descent.driver.TrainingData;
import descent.driver.VectorRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads LIBSVM, CSV or Parquet into one {@link RowBuffer} per partition, validating every row as
 * it is read; when the source gives fewer partitions than {@code --partitions} asks (a gzip file
 * is one split), the rows are then dealt over that many, deterministically, and a line says so.
 * A bad row stops the read with a {@link DataFormatException} naming the file and line (for
 * Parquet, the row of the partition) and the problem. Text is read with Hadoop's
 * {@code TextInputFormat}, which gives each line's byte offset; the line number is counted only
 * when a row is bad.
 */
public final class DataReader {
  /** The formats descent reads. */
  public enum Format {
    LIBSVM, CSV, PARQUET;

    static Format parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown --format '" + name + "'; use libsvm, csv or parquet");
      }
    }
  }

  /**
   * What to read: path, format, feature count (0 = from the data), partitions, columns, and the
   * bits of {@code --hash-features} (0: no hashing; then the feature count is {@code 2^bits}).
   */
  public record Spec(String path, Format format, int numFeatures, int partitions, int labelColumn,
      String labelCol, String featuresCol, int weightColumn, String weightCol, int hashBits) {

    /** A spec without hashing. */
    public Spec(String path, Format format, int numFeatures, int partitions, int labelColumn,
        String labelCol, String featuresCol, int weightColumn, String weightCol) {
      this(path, format, numFeatures, partitions, labelColumn, labelCol, featuresCol,
          weightColumn, weightCol, 0);
    }

    /** A spec without instance weights (every row weighs 1) or hashing. */
    public Spec(String path, Format format, int numFeatures, int partitions, int labelColumn,
        String labelCol, String featuresCol) {
      this(path, format, numFeatures, partitions, labelColumn, labelCol, featuresCol, -1, null);
    }

    /** The hashing of {@code --hash-features}, or null without it. */
    public FeatureHashing hashing() {
      return hashBits > 0 ? new FeatureHashing(hashBits) : null;
    }
  }

  private DataReader() {}

  /** Checks that {@code path} exists before any Spark job; names it when it does not. */
  public static void requireExists(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(new Configuration());
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new IllegalArgumentException(path + ": file not found");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads and blockifies the data.
   *
   * @param numFeaturesLimitName how errors name a fixed feature count
   */
  public static TrainingData load(SparkSession spark, Spec spec, LabelDomain domain, long seed,
      boolean shuffle, String numFeaturesLimitName) {
    return load(spark, spec, domain, seed, shuffle, numFeaturesLimitName, 0.0)[0];
  }

  /**
   * Reads and blockifies the data; with {@code validationFraction > 0}, splits it into training
   * and validation data (see {@link TrainingData#fromRowsSplit}), else the second entry is null.
   */
  public static TrainingData[] load(SparkSession spark, Spec spec, LabelDomain domain, long seed,
      boolean shuffle, String numFeaturesLimitName, double validationFraction) {
    requireExists(spec.path());
    int numFeatures = spec.numFeatures();
    JavaRDD<RowBuffer> rows;
    switch (spec.format()) {
      case LIBSVM -> {
        FeatureHashing hashing = spec.hashing();
        if (hashing != null) {
          numFeatures = hashing.numFeatures();
        }
        LibSvmParser parser = new LibSvmParser(domain, numFeatures, numFeaturesLimitName,
            hashing);
        rows = readText(spark, spec, false, "LIBSVM", parser::parse);
      }
      case CSV -> {
        String first = firstLine(spec.path());
        if (first == null) {
          throw new IllegalArgumentException(spec.path() + ": no rows (the file is empty)");
        }
        boolean header = CsvParser.isHeader(first);
        int columns = CsvParser.split(first).length;
        int nonFeature = spec.weightColumn() >= 0 ? 2 : 1;
        if (columns < nonFeature + 1) {
          throw new IllegalArgumentException(spec.path() + " line 1: a CSV needs a label column"
              + (nonFeature == 2 ? ", a weight column" : "")
              + " and at least one feature column, found " + columns + " column"
              + (columns == 1 ? "" : "s"));
        }
        if (numFeatures > 0 && numFeatures != columns - nonFeature) {
          throw new IllegalArgumentException(spec.path() + " line 1: " + (columns - nonFeature)
              + " feature columns, but " + numFeaturesLimitName + " is " + numFeatures);
        }
        numFeatures = columns - nonFeature;
        CsvParser parser;
        try {
          parser = new CsvParser(domain, spec.labelColumn(), spec.weightColumn(), columns);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(spec.path() + " line 1: " + e.getMessage());
        }
        rows = readText(spark, spec, header, "CSV", parser::parse);
      }
      case PARQUET -> {
        Parquet parquet = readParquet(spark, spec, domain, numFeatures);
        rows = parquet.rows();
        numFeatures = parquet.numFeatures();
      }
      default -> throw new IllegalStateException(spec.format().toString());
    }
    int read = rows.getNumPartitions();
    if (spec.partitions() > read) {
      rows = repartition(rows, spec.partitions());
      System.out.printf(Locale.ROOT,
          "data: %s came in %d partition%s%s; repartitioned into %d as --partitions asks%n",
          Errors.redact(spec.path()), read, read == 1 ? "" : "s",
          spec.path().endsWith(".gz") ? " (a gzip file is read as one split)" : "",
          spec.partitions());
    }
    try {
      if (validationFraction > 0) {
        return TrainingData.fromRowsSplit(rows, numFeatures, validationFraction, seed,
            spec.path());
      }
      return new TrainingData[] {
          TrainingData.fromRows(rows, numFeatures, seed, shuffle, spec.path()), null};
    } catch (Exception e) {
      throw Errors.unwrap(e);
    }
  }

  /**
   * The rows spread over {@code n} partitions, the same way every time: row i of partition p goes
   * to partition {@code (i + p) mod n} ({@link RowBuffer#deal}), and each new partition holds its
   * rows by source partition, then in source order. A shuffle whose keys (target, source) are
   * unique and sorted within each partition, so the order does not depend on which map output
   * arrives first.
   */
  static JavaRDD<RowBuffer> repartition(JavaRDD<RowBuffer> rows, int n) {
    int sources = rows.getNumPartitions();
    JavaPairRDD<Long, RowBuffer> dealt = rows.mapPartitionsWithIndex((p, it) -> {
      RowBuffer buffer = it.hasNext() ? it.next() : new RowBuffer();
      RowBuffer[] parts = buffer.deal(n, p);
      List<Tuple2<Long, RowBuffer>> out = new ArrayList<>(n);
      for (int t = 0; t < n; t++) {
        out.add(new Tuple2<>((long) t * sources + p, parts[t]));
      }
      return out.iterator();
    }, true).mapToPair(t -> t);
    return dealt.repartitionAndSortWithinPartitions(new TargetPartitioner(n, sources))
        .mapPartitions(it -> {
          RowBuffer merged = new RowBuffer();
          while (it.hasNext()) {
            merged.append(it.next()._2());
          }
          return Collections.singletonList(merged).iterator();
        }, true);
  }

  /** Sends key {@code target·sources + source} to partition {@code target}. */
  static final class TargetPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final int sources;

    TargetPartitioner(int partitions, int sources) {
      this.partitions = partitions;
      this.sources = sources;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((Long) key / sources);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TargetPartitioner t && t.partitions == partitions
          && t.sources == sources;
    }

    @Override
    public int hashCode() {
      return 31 * partitions + sources;
    }
  }

  /** Parses one line into the buffer; false for a blank line. */
  @FunctionalInterface
  interface LineParser extends java.io.Serializable {
    boolean parse(String line, RowBuffer out);
  }

  @SuppressWarnings("unchecked")
  private static JavaRDD<RowBuffer> readText(SparkSession spark, Spec spec, boolean header,
      String formatName, LineParser parser) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = spec.partitions() > 0 ? spec.partitions() : jsc.defaultParallelism();
    JavaHadoopRDD<LongWritable, Text> lines = (JavaHadoopRDD<LongWritable, Text>) jsc.hadoopFile(
        spec.path(), TextInputFormat.class, LongWritable.class, Text.class, partitions);
    return lines.mapPartitionsWithInputSplit((split, it) -> {
      String file = ((FileSplit) split).getPath().toString();
      RowBuffer buffer = new RowBuffer();
      while (it.hasNext()) {
        Tuple2<LongWritable, Text> record = it.next();
        long offset = record._1().get();
        if (header && offset == 0) {
          continue;
        }
        String line = record._2().toString();
        try {
          parser.parse(line, buffer);
        } catch (IllegalArgumentException e) {
          // Bytes that no text holds would otherwise reach the terminal inside the message.
          String binary = binaryByte(record._2().getBytes(), record._2().getLength());
          String problem = binary == null ? e.getMessage()
              : binary + "; is this a " + formatName + " file?";
          throw new DataFormatException(
              displayName(file) + " line " + lineNumber(file, offset) + ": " + problem);
        }
      }
      return Collections.singletonList(buffer).iterator();
    }, true);
  }

  /**
   * Where a line holds bytes that text does not (NUL and other control characters, malformed
   * UTF-8): {@code binary data, not text (byte 0x00 at column 1)}, columns counted in bytes from
   * 1; null for a line of text.
   */
  static String binaryByte(byte[] bytes, int length) {
    int at = -1;
    for (int i = 0; i < length; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x20 && b != '\t' && b != '\r' && b != '\f' || b == 0x7f) {
        at = i;
        break;
      }
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, at >= 0 ? at : length);
    CoderResult decoded = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(in, CharBuffer.allocate(length), true);
    if (decoded.isError()) {
      at = in.position();
    }
    return at < 0 ? null : String.format(Locale.ROOT,
        "binary data, not text (byte 0x%02X at column %d)", bytes[at] & 0xff, at + 1);
  }

  /** The path as the user wrote it for local files (no {@code file:} scheme). */
  static String displayName(String file) {
    return file.startsWith("file:") ? new Path(file).toUri().getPath() : file;
  }

  /**
   * 1-based number of the line starting at byte {@code offset}: counts newlines before it. A
   * compressed file (gzip, bzip2, ...) is counted in its decompressed bytes, which is where
   * Hadoop's offsets point.
   */
  static long lineNumber(String file, long offset) {
    Path p = new Path(file);
    Configuration conf = new Configuration();
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
    try (InputStream raw = p.getFileSystem(conf).open(p);
        InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
      byte[] buf = new byte[1 << 16];
      long line = 1;
      long read = 0;
      while (read < offset) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, offset - read));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line++;
          }
        }
        read += n;
      }
      return line;
    } catch (IOException e) {
      return -1;
    }
  }

  private static String firstLine(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(new Configuration());
      FileStatus[] matches = fs.globStatus(p);
      Path file = matches[0].isDirectory() ? firstFile(fs, matches[0].getPath()) : matches[0].getPath();
      if (file == null) {
        return null;
      }
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        return r.readLine();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static Path firstFile(FileSystem fs, Path dir) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
        return s.getPath();
      }
    }
    return null;
  }

  private record Parquet(JavaRDD<RowBuffer> rows, int numFeatures) {}

  private static Parquet readParquet(SparkSession spark, Spec spec, LabelDomain domain,
      int numFeatures) {
    Dataset<Row> df = spark.read().parquet(spec.path());
    boolean weighted = spec.weightCol() != null;
    String[] wanted = weighted
        ? new String[] {spec.labelCol(), spec.featuresCol(), spec.weightCol()}
        : new String[] {spec.labelCol(), spec.featuresCol()};
    for (String col : wanted) {
      if (!java.util.Arrays.asList(df.columns()).contains(col)) {
        throw new IllegalArgumentException(spec.path() + ": no column '" + col + "' (columns: "
            + String.join(", ", df.columns()) + ")");
      }
    }
    Dataset<Row> selected = weighted
        ? df.select(spec.labelCol(), spec.featuresCol(), spec.weightCol())
        : df.select(spec.labelCol(), spec.featuresCol());
    int d = numFeatures;
    if (d <= 0) {
      Row first = selected.first();
      d = ((Vector) first.get(1)).size();
    }
    final int features = d;
    final String path = spec.path();
    JavaRDD<RowBuffer> rows = selected.javaRDD().mapPartitionsWithIndex((p, it) -> {
      RowBuffer buffer = new RowBuffer();
      long r = 0;
      while (it.hasNext()) {
        Row row = it.next();
        r++;
        try {
          addParquetRow(row, features, domain, buffer);
        } catch (IllegalArgumentException | ClassCastException e) {
          throw new DataFormatException(
              path + " row " + r + " of partition " + p + ": " + e.getMessage());
        }
      }
      return Collections.singletonList(buffer).iterator();
    }, true);
    return new Parquet(rows, features);
  }

  private static void addParquetRow(Row row, int numFeatures, LabelDomain domain,
      RowBuffer out) {
    if (row.isNullAt(0)) {
      throw new IllegalArgumentException("label is null");
    }
    if (row.isNullAt(1)) {
      throw new IllegalArgumentException("features are null");
    }
    double label = ((Number) row.get(0)).doubleValue();
    if (!Double.isFinite(label)) {
      throw new IllegalArgumentException("label is " + label);
    }
    double encoded = domain.encode(label);
    VectorRows.addFeatures((Vector) row.get(1), numFeatures, out);
    double weight = 1.0;
    if (row.size() > 2) {
      if (row.isNullAt(2)) {
        throw new IllegalArgumentException("weight is null");
      }
      weight = CsvParser.checkedWeight(((Number) row.get(2)).doubleValue());
    }
    out.endRow(encoded, weight);
  }
}
