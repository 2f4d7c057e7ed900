package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.FeatureHashing;
import descent.driver.LinearModel;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --hash-features BITS}: LIBSVM indices of any width train a model of 2^BITS features
 * exactly as the same rows hashed beforehand do; the model records its hashing, predict and
 * evaluate hash the same way and refuse another; bad values are refused before Spark starts.
 */
class HashFeaturesTest {
  private static final String PREFIX = "descent: error: ";
  static final int BITS = 12;

  @TempDir static Path shared;
  /** Rows whose indices reach two billion. */
  private static Path wide;
  /** The same rows, every index replaced by its bucket + 1 and collisions summed. */
  private static Path prehashed;

  @TempDir Path dir;

  @BeforeAll
  static void writeData() throws IOException {
    TestSpark.session();
    FeatureHashing hashing = new FeatureHashing(BITS);
    SplittableRandom random = new SplittableRandom(11);
    List<String> wideLines = new ArrayList<>();
    List<String> hashedLines = new ArrayList<>();
    for (int r = 0; r < 300; r++) {
      // 30 features a row out of 5,000 ids spread up to 2^31; ids below 500 carry the label.
      TreeMap<Integer, Double> row = new TreeMap<>();
      double margin = 0;
      while (row.size() < 30) {
        int id = random.nextInt(5000);
        if (row.put(1 + id * 429_000, 1.0) == null && id < 500) {
          margin += id % 2 == 0 ? 1 : -1;
        }
      }
      String label = margin + random.nextGaussian() > 0 ? "1" : "0";
      StringBuilder w = new StringBuilder(label);
      TreeMap<Integer, Double> buckets = new TreeMap<>();
      row.forEach((index, value) -> {
        w.append(' ').append(index).append(':').append(value);
        buckets.merge(hashing.bucket(index) + 1, value, Double::sum);
      });
      StringBuilder h = new StringBuilder(label);
      buckets.forEach((index, value) -> h.append(' ').append(index).append(':').append(value));
      wideLines.add(w.toString());
      hashedLines.add(h.toString());
    }
    wide = shared.resolve("wide.libsvm");
    prehashed = shared.resolve("prehashed.libsvm");
    Files.write(wide, wideLines);
    Files.write(prehashed, hashedLines);
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  private static Cli.Result train(Path data, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--output",
        output.toString(), "--model", "logistic", "--intercept", "--reg-l2", "1e-3", "--lr", "1",
        "--max-steps", "30", "--partitions", "1", "--progress", "off"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static String error(Cli.Result r) {
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().startsWith(PREFIX), r::all);
    return r.err().substring(PREFIX.length()).trim();
  }

  @Test
  void theHashIsSparksMurmur3WithSeed42() {
    SplittableRandom random = new SplittableRandom(5);
    for (int t = 0; t < 10_000; t++) {
      int i = t < 100 ? t : random.nextInt(Integer.MAX_VALUE);
      assertEquals(Murmur3_x86_32.hashInt(i, 42), FeatureHashing.murmur3(i, 42), "index " + i);
    }
  }

  @Test
  void hashedTrainingEqualsTrainingOnThePrehashedRowsAndPredictHashesAlike() throws IOException {
    Path hashedRun = dir.resolve("hashed");
    Cli.Result r = train(wide, hashedRun, "--hash-features", Integer.toString(BITS));
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("300 rows x 4096 features (indices hashed into 2^12)"),
        r::all);
    Path plainRun = dir.resolve("plain");
    r = train(prehashed, plainRun, "--num-features", "4096");
    assertEquals(0, r.exitCode(), r::all);

    LinearModel hashed = LinearModel.load(hashedRun);
    LinearModel plain = LinearModel.load(plainRun);
    assertEquals(BITS, hashed.hashBits());
    assertEquals(0, plain.hashBits());
    assertEquals(4096, hashed.numFeatures());
    assertArrayEquals(plain.params(), hashed.params(), "the same rows, the same steps");
    String json = Files.readString(hashedRun.resolve("model.json"));
    assertTrue(json.matches("(?s).*\"featureHashing\" : \\{\\s*\"bits\" : 12,\\s*\"hash\" :"
        + " \"murmur3_x86_32\",\\s*\"seed\" : 42\\s*}.*"), json);

    // evaluate reads the wide rows through the model's hashing without being told.
    Cli.Result viaModel = Cli.run("evaluate", "--data", wide.toString(), "--model",
        hashedRun.toString());
    assertEquals(0, viaModel.exitCode(), viaModel::all);
    Cli.Result onPrehashed = Cli.run("evaluate", "--data", prehashed.toString(), "--model",
        plainRun.toString(), "--num-features", "4096");
    assertEquals(0, onPrehashed.exitCode(), onPrehashed::all);
    assertEquals(onPrehashed.stdout().lines().filter(l -> l.startsWith("objective")).toList(),
        viaModel.stdout().lines().filter(l -> l.startsWith("objective")).toList());

    Cli.Result predicted = Cli.run("predict", "--data", wide.toString(), "--model",
        hashedRun.toString(), "--hash-features", Integer.toString(BITS), "--output",
        dir.resolve("predictions").toString());
    assertEquals(0, predicted.exitCode(), predicted::all);
    assertTrue(predicted.stdout().contains("wrote 300 predictions"), predicted::all);

    // Another hashing, or hashing for a model trained without it, is refused with the file.
    String other = error(Cli.run("evaluate", "--data", wide.toString(), "--model",
        hashedRun.toString(), "--hash-features", "11"));
    assertEquals(hashedRun.resolve("model.json") + ": the model was trained with"
        + " --hash-features 12 (4096 features); --hash-features 11 would put the indices in other"
        + " features", other);
    String none = error(Cli.run("predict", "--data", prehashed.toString(), "--model",
        plainRun.toString(), "--hash-features", "12", "--output",
        dir.resolve("p2").toString()));
    assertEquals(plainRun.resolve("model.json") + ": the model was trained without"
        + " --hash-features; drop --hash-features 12", none);
    assertFalse(Files.exists(dir.resolve("p2")));
    // A warm start from the hashed model hashes alike; from it into another hashing, refused.
    Cli.Result warm = train(wide, dir.resolve("warm"), "--initial-model", hashedRun.toString());
    assertEquals(0, warm.exitCode(), warm::all);
    assertEquals(BITS, LinearModel.load(dir.resolve("warm")).hashBits());
    assertTrue(error(train(wide, dir.resolve("warm2"), "--initial-model", hashedRun.toString(),
        "--hash-features", "10")).contains("--hash-features 10 would put the indices in other"
            + " features"));
  }

  @Test
  void wideIndicesWithoutHashingNameTheFileLineAndTheOption() {
    String message = error(train(wide, dir.resolve("out")));
    assertTrue(message.startsWith(wide + " line 1: feature index "), message);
    assertTrue(message.endsWith("exceeds 16777216 (2^24), the widest model without hashing;"
        + " hash the indices into 2^BITS features with --hash-features BITS"), message);
  }

  @Test
  void badSettingsAreRefusedBeforeSparkStarts() {
    String missing = dir.resolve("missing.libsvm").toString();
    assertEquals("--hash-features must be from 1 to 24 (2^BITS features), got 0",
        error(train(Path.of(missing), dir.resolve("o"), "--hash-features", "0")));
    assertEquals("--hash-features must be from 1 to 24 (2^BITS features), got 25",
        error(train(Path.of(missing), dir.resolve("o"), "--hash-features", "25")));
    assertEquals("--num-features 16777217 is above 16777216 (2^24), the widest model; hash"
        + " wider LIBSVM indices with --hash-features BITS",
        error(train(Path.of(missing), dir.resolve("o"), "--num-features", "16777217")));
    assertEquals("--num-features 1000 differs from the 4096 features of --hash-features 12;"
        + " give one of the two", error(train(Path.of(missing), dir.resolve("o"),
            "--hash-features", "12", "--num-features", "1000")));
    assertEquals("--hash-features applies to --format libsvm, whose indices it hashes; csv"
        + " columns are features as they are", error(train(Path.of(missing), dir.resolve("o"),
            "--hash-features", "12", "--format", "csv")));
  }

  @Test
  void aModelJsonWhoseHashingDoesNotFitItsFeaturesIsRefused() throws IOException {
    Path file = dir.resolve("model.json");
    Files.writeString(file, "{\"modelType\": \"logistic\", \"numFeatures\": 4,"
        + " \"featureHashing\": {\"bits\": 3, \"hash\": \"murmur3_x86_32\", \"seed\": 42},"
        + " \"coefficients\": [0, 0, 0, 0], \"intercept\": 0}");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> LinearModel.load(file));
    assertEquals(file + ": not a valid model.json (featureHashing of 3 bits makes 8 features,"
        + " but numFeatures is 4)", e.getMessage());
    Files.writeString(file, Files.readString(file).replace("\"bits\": 3", "\"bits\": 2")
        .replace("murmur3_x86_32", "crc32"));
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LinearModel.load(file));
    assertTrue(e.getMessage().contains("is not a hashing descent knows: it hashes with"
        + " murmur3_x86_32, seed 42"), e.getMessage());
  }
}
