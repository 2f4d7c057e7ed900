package descent.driver;

import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.RowBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads small LIBSVM files into {@link TrainingData} on the test session, one buffer a partition. */
public final class TestData {
  private TestData() {}

  /** Rows of {@code file} split into {@code partitions} contiguous parts, blockified with seed. */
  public static TrainingData libsvm(Path file, int partitions, LabelDomain domain, int numFeatures,
      long seed) {
    return TrainingData.fromRows(rows(file, partitions, domain, numFeatures), numFeatures, seed,
        true, file.toString());
  }

  /** Rows of {@code file} parsed into {@code partitions} contiguous parts, one buffer each. */
  public static org.apache.spark.api.java.JavaRDD<RowBuffer> rows(Path file, int partitions,
      LabelDomain domain, int numFeatures) {
    List<String> lines;
    try {
      lines = file.toString().endsWith(".gz")
          ? new String(new java.util.zip.GZIPInputStream(Files.newInputStream(file))
              .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList()
          : Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LibSvmParser parser = new LibSvmParser(domain, numFeatures);
    List<RowBuffer> buffers = new ArrayList<>();
    int per = (lines.size() + partitions - 1) / partitions;
    for (int p = 0; p < partitions; p++) {
      RowBuffer b = new RowBuffer();
      for (int i = p * per; i < Math.min(lines.size(), (p + 1) * per); i++) {
        parser.parse(lines.get(i), b);
      }
      buffers.add(b);
    }
    return TestSpark.jsc().parallelize(buffers, partitions);
  }

  /** Rows given as (label, features...) dense arrays. */
  public static TrainingData dense(double[][] rows, int partitions, long seed) {
    List<RowBuffer> buffers = new ArrayList<>();
    int per = (rows.length + partitions - 1) / partitions;
    for (int p = 0; p < partitions; p++) {
      RowBuffer b = new RowBuffer();
      for (int i = p * per; i < Math.min(rows.length, (p + 1) * per); i++) {
        for (int j = 1; j < rows[i].length; j++) {
          b.addFeature(j - 1, rows[i][j]);
        }
        b.endRow(rows[i][0]);
      }
      buffers.add(b);
    }
    return TrainingData.fromRows(TestSpark.jsc().parallelize(buffers, partitions),
        rows[0].length - 1, seed, true, "test rows");
  }
}
