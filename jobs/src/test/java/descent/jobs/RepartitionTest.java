package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.core.Blockifier;
import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.RowBuffer;
import descent.driver.TestSpark;
import descent.driver.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that gives fewer partitions than {@code --partitions} asks (a gzip file is one split)
 * is repartitioned after reading, the same way every time, and the run says so.
 */
class RepartitionTest {
  @TempDir Path dir;

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  @Test
  void npmPopularTrainsOnThePartitionsAsked() throws Exception {
    Path data = TestSpark.sharedData("npm_popular.libsvm.gz");
    assertTrue(Files.exists(data), data + " is missing");
    Path out = dir.resolve("model");
    Cli.Result r = Cli.run("train", "--data", data.toString(), "--num-features", "1048576",
        "--model", "logistic", "--partitions", "2", "--batch-size", "2270", "--max-steps", "3",
        "--output", out.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("came in 1 partition (a gzip file is read as one split);"
        + " repartitioned into 2 as --partitions asks"), r::all);
    assertTrue(r.stdout().contains("226974 rows x 1048576 features in 2 partitions"), r::all);
    JsonNode model = new ObjectMapper().readTree(out.resolve("model.json").toFile());
    assertEquals(2, model.get("training").get("partitions").asInt(), model::toString);
    assertEquals(226974, model.get("training").get("rows").asLong());
  }

  @Test
  void repartitionDealsEveryRowOnceTheSameWayEachTime() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0);
    List<RowBuffer> sources = new ArrayList<>();
    int row = 0;
    for (int p = 0; p < 3; p++) {
      RowBuffer b = new RowBuffer();
      for (int i = 0; i < 5 + 4 * p; i++) {
        row++;
        parser.parse(row + " " + row + ":1", b);
      }
      sources.add(b);
    }
    JavaRDD<RowBuffer> rows = TestSpark.jsc().parallelize(sources, 3);
    double[][] first = labelsByPartition(DataReader.repartition(rows, 4));
    double[][] second = labelsByPartition(DataReader.repartition(rows, 4));
    assertEquals(4, first.length);
    for (int p = 0; p < 4; p++) {
      assertArrayEquals(first[p], second[p], 0.0, "partition " + p);
    }
    // Source partition 0's rows 1..5 start at target 0, partition 1's rows 6..14 at target 1,
    // partition 2's rows 15..27 at target 2; each target holds them by source, in order.
    assertArrayEquals(new double[] {1, 5, 9, 13, 17, 21, 25}, first[0], 0.0);
    assertArrayEquals(new double[] {2, 6, 10, 14, 18, 22, 26}, first[1], 0.0);
    assertArrayEquals(new double[] {3, 7, 11, 15, 19, 23, 27}, first[2], 0.0);
    assertArrayEquals(new double[] {4, 8, 12, 16, 20, 24}, first[3], 0.0);
    // The features travel with their rows.
    TrainingData data = TrainingData.fromRows(DataReader.repartition(rows, 4), 27, 1, false,
        "rows");
    for (DataBlock b : data.blocks().collect()) {
      for (int i = 0; i < b.numRows(); i++) {
        assertEquals(b.labels()[i] - 1, b.indices()[b.indptr()[i]]);
      }
    }
    data.unpersist();
  }

  /** Each partition's labels, in row order. */
  private static double[][] labelsByPartition(JavaRDD<RowBuffer> rows) {
    List<double[]> collected = rows.map(b -> {
      List<double[]> labels = new ArrayList<>();
      int n = 0;
      for (DataBlock block : Blockifier.blockify(b, 28, 0, 0, false)) {
        labels.add(block.labels());
        n += block.numRows();
      }
      double[] all = new double[n];
      int at = 0;
      for (double[] l : labels) {
        System.arraycopy(l, 0, all, at, l.length);
        at += l.length;
      }
      return all;
    }).collect();
    return collected.toArray(new double[0][]);
  }
}
