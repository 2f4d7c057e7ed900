package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance weights from the command line: {@code --weight-column} (CSV) and {@code --weight-col}
 * (Parquet). A row of weight 2 trains the same model as that row written twice (lpsa, linear,
 * Newton to convergence), and a negative weight is refused with its file and line.
 */
class WeightColumnTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String[]> lpsa;

  @TempDir Path dir;

  @BeforeAll
  static void read() throws IOException {
    TestSpark.session();
    lpsa = new ArrayList<>();
    for (String line : Files.readAllLines(TestSpark.sharedData("lpsa.libsvm"))) {
      String[] f = line.trim().split("\\s+");
      String[] row = new String[9];
      row[0] = f[0];
      for (int j = 1; j <= 8; j++) {
        row[j] = "0";
      }
      for (int k = 1; k < f.length; k++) {
        String[] iv = f[k].split(":");
        row[Integer.parseInt(iv[0])] = iv[1];
      }
      lpsa.add(row);
    }
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  /** lpsa as CSV: label, [weight,] 8 features; rows 0 and 5 weigh 2 (or appear twice). */
  private Path csv(String name, boolean weighted) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < lpsa.size(); i++) {
      String[] r = lpsa.get(i);
      boolean heavy = i == 0 || i == 5;
      String features = String.join(",", java.util.Arrays.copyOfRange(r, 1, 9));
      if (weighted) {
        lines.add(r[0] + "," + (heavy ? "2" : "1") + "," + features);
      } else {
        lines.add(r[0] + "," + features);
        if (heavy) {
          lines.add(r[0] + "," + features);
        }
      }
    }
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  private double[] train(Path data, String... extra) throws IOException {
    Path out = dir.resolve("model-" + data.getFileName());
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--model",
        "linear", "--intercept", "--reg-l2", "1e-3", "--optimizer", "newton", "--max-steps",
        "50", "--tol", "1e-14", "--output", out.toString()));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(args.toArray(new String[0]));
    assertEquals(0, r.exitCode(), r::all);
    JsonNode m = JSON.readTree(out.resolve("model.json").toFile());
    double[] p = new double[9];
    for (int j = 0; j < 8; j++) {
      p[j] = m.get("coefficients").get(j).asDouble();
    }
    p[8] = m.get("intercept").asDouble();
    return p;
  }

  private static void assertSameModel(double[] expected, double[] actual) {
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual[j], 1e-10 * Math.max(1, Math.abs(expected[j])),
          "parameter " + j);
    }
  }

  @Test
  void aCsvWeightOfTwoEqualsTheRowTwice() throws IOException {
    double[] twice = train(csv("twice.csv", false), "--format", "csv");
    double[] weighted = train(csv("weighted.csv", true), "--format", "csv", "--weight-column",
        "1");
    assertSameModel(twice, weighted);
  }

  @Test
  void aParquetWeightOfTwoEqualsTheRowTwice() throws IOException {
    SparkSession spark = TestSpark.session();
    StructType schema = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("w", DataTypes.DoubleType, false, Metadata.empty())});
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lpsa.size(); i++) {
      String[] r = lpsa.get(i);
      double[] x = new double[8];
      for (int j = 0; j < 8; j++) {
        x[j] = Double.parseDouble(r[j + 1]);
      }
      rows.add(RowFactory.create(Double.parseDouble(r[0]), Vectors.dense(x),
          i == 0 || i == 5 ? 2.0 : 1.0));
    }
    Path data = dir.resolve("weighted.parquet");
    spark.createDataFrame(rows, schema).write().parquet(data.toString());
    double[] weighted = train(data, "--format", "parquet", "--weight-col", "w");
    double[] twice = train(csv("twice.csv", false), "--format", "csv");
    assertSameModel(twice, weighted);
  }

  @Test
  void aNegativeWeightIsRefusedWithItsFileAndLine() throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.write(file, List.of("1.0,1,0.5,0.25", "2.0,-1,0.5,0.75", "3.0,1,1.0,0.5"));
    Cli.Result r = Cli.run("train", "--data", file.toString(), "--format", "csv",
        "--weight-column", "1", "--model", "linear", "--output", dir.resolve("m").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertEquals("descent: error: " + file + " line 2: weight -1.0 is not a valid instance"
        + " weight (finite and >= 0)\n", r.err(), r::all);
  }

  @Test
  void aWeightOptionOfTheOtherFormatIsRefusedBeforeReading() {
    Cli.Result r = Cli.run("train", "--data", dir.resolve("none.csv").toString(), "--format",
        "csv", "--weight-col", "w", "--model", "linear", "--output", dir.resolve("m").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--weight-col applies to --format parquet"), r::all);
  }
}
