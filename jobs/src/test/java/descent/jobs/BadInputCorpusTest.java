package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.DescentSpark;
import descent.driver.LinearModel;
import descent.driver.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad input corpus ({@code src/test/resources/bad-input}, one small file per case): every
 * case ends its command with exit code 1 and exactly one line on stderr, {@code descent: error:
 * <file>[ line <n>]: <cause>}, and leaves every file beside it byte-identical: the previous
 * model.json and metrics.csv in the {@code --output} of train, the model of predict and evaluate,
 * and no predictions directory, {@code .partial} or temporary file.
 */
class BadInputCorpusTest {
  private static final String PREFIX = "descent: error: ";

  /** A good model of good.libsvm (5 features, logistic), copied into every case's --output. */
  @TempDir static Path baseline;

  @TempDir Path dir;

  @BeforeAll
  static void trainBaseline() {
    TestSpark.session();
    Cli.Result r = Cli.run("train", "--data", corpus("good.libsvm").toString(), "--model",
        "logistic", "--max-steps", "3", "--progress-seconds", "1000", "--output",
        baseline.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(Files.exists(baseline.resolve("model.json")), r::all);
    assertTrue(Files.exists(baseline.resolve("metrics.csv")), r::all);
  }

  @BeforeEach
  void activeSession() {
    // Commands use the active session and leave it running; make sure this thread has it.
    SparkSession.setActiveSession(TestSpark.session());
  }

  /** The path of a corpus file. */
  static Path corpus(String name) {
    URL url = BadInputCorpusTest.class.getResource("/bad-input/" + name);
    if (url == null) {
      throw new IllegalStateException("bad-input/" + name + " is not on the test class path");
    }
    try {
      return Paths.get(url.toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One case: a command on a corpus file, and the message it must print after the file's path.
   *
   * @param command train, predict or evaluate
   * @param data the corpus file given to --data
   * @param model for predict and evaluate, a corpus model.json (null: the good baseline model)
   * @param options further options
   * @param named the corpus file the message must name (its path starts the message)
   * @param after the rest of the message, exactly, from just after the path
   */
  record Case(String name, String command, String data, String model, List<String> options,
      String named, String after) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case train(String name, String data, String after, String... options) {
    return new Case(name, "train", data, null, List.of(options), data, after);
  }

  private static Case predict(String name, String data, String model, String named,
      String after, String... options) {
    return new Case(name, "predict", data, model, List.of(options), named, after);
  }

  static Stream<Case> cases() {
    return Stream.of(
        train("truncated line (value missing after the colon)", "truncated-token.libsvm",
            " line 3: feature 7 has no value after ':'"),
        train("truncated line (exponent cut off)", "truncated-exponent.libsvm",
            " line 2: feature 4 value '1e' is not a number"),
        train("binary junk", "binary-junk.libsvm",
            " line 2: binary data, not text (byte 0x00 at column 1); is this a LIBSVM file?"),
        train("feature index 0", "index-zero.libsvm",
            " line 3: feature index 0; LIBSVM indices start at 1"),
        train("negative feature index", "negative-index.libsvm",
            " line 2: feature index -2; LIBSVM indices start at 1"),
        train("duplicate feature index", "duplicate-index.libsvm",
            " line 3: duplicate feature index 2"),
        train("feature indices out of order", "out-of-order.libsvm",
            " line 2: feature indices not in ascending order: 2 after 3"),
        train("feature index above --num-features in a gzip file (line counted decompressed)",
            "too-many-features.libsvm.gz", " line 5: feature index 7 exceeds --num-features 3",
            "--num-features", "3", "--partitions", "2"),
        train("feature index 0 with --hash-features", "index-zero.libsvm",
            " line 3: feature index 0; LIBSVM indices start at 1", "--hash-features", "10"),
        train("duplicate feature index with --hash-features", "duplicate-index.libsvm",
            " line 3: duplicate feature index 2", "--hash-features", "10"),
        train("feature indices out of order with --hash-features", "out-of-order.libsvm",
            " line 2: feature indices not in ascending order: 2 after 3", "--hash-features",
            "10"),
        train("feature index above 2^24 without --hash-features", "index-above-2-24.libsvm",
            " line 2: feature index 20000000 exceeds 16777216 (2^24), the widest model without"
                + " hashing; hash the indices into 2^BITS features with --hash-features BITS"),
        train("non-numeric value", "non-numeric.libsvm",
            " line 3: feature 2 value 'abc' is not a number"),
        train("NaN value", "nan.libsvm", " line 2: feature 1 is NaN"),
        train("infinite value", "infinity.libsvm", " line 3: feature 2 is infinite (Infinity)"),
        train("label 2 for logistic", "label-2.libsvm",
            " line 3: label 2 is not a binary label; a binary model takes labels ±1 or 0/1",
            "--model", "logistic"),
        train("label 2 for hinge", "label-2.libsvm",
            " line 3: label 2 is not a binary label; a binary model takes labels ±1 or 0/1",
            "--model", "hinge"),
        train("label 2 for squared-hinge", "label-2.libsvm",
            " line 3: label 2 is not a binary label; a binary model takes labels ±1 or 0/1",
            "--model", "squared-hinge"),
        train("label 1.5 for logistic", "label-1.5.libsvm",
            " line 3: label 1.5 is not a binary label; a binary model takes labels ±1 or 0/1",
            "--model", "logistic"),
        train("empty file", "empty.libsvm", ": no rows (the data is empty)"),
        train("header-only CSV", "header-only.csv", ": no rows (the data is empty)",
            "--format", "csv", "--model", "linear"),
        train("wrong column count (CSV)", "wrong-columns.csv",
            " line 3: expected 3 columns, found 2", "--format", "csv", "--model", "linear"),
        train("feature index above --num-features", "too-many-features.libsvm",
            " line 2: feature index 5 exceeds --num-features 3", "--num-features", "3"),
        predict("predict: LIBSVM row with another feature count", "other-feature-count.libsvm",
            null, "other-feature-count.libsvm",
            " line 2: feature index 9 exceeds the model's feature count 5"),
        predict("predict: CSV with another feature count", "other-feature-count.csv", null,
            "other-feature-count.csv",
            " line 1: 2 feature columns, but the model's feature count is 5", "--format", "csv"),
        predict("model.json: truncated", "good.libsvm", "truncated.model.json",
            "truncated.model.json", ": not a valid model.json (line 4: the file ends before"
                + " the JSON does; is it truncated?)"),
        predict("model.json: missing field", "good.libsvm", "missing-coefficients.model.json",
            "missing-coefficients.model.json",
            ": not a valid model.json (missing field \"coefficients\")"),
        predict("model.json: coefficients of the wrong length", "good.libsvm",
            "wrong-length.model.json", "wrong-length.model.json",
            ": not a valid model.json (coefficients must be an array of numFeatures = 5"
                + " numbers, found 3)"),
        predict("model.json: NaN coefficient", "good.libsvm", "nan-coefficient.model.json",
            "nan-coefficient.model.json",
            ": not a valid model.json (coefficients[1] is not a finite number: NaN)"),
        predict("model.json: string coefficient", "good.libsvm", "string-coefficient.model.json",
            "string-coefficient.model.json",
            ": not a valid model.json (coefficients[2] is not a finite number: \"0.3x\")"),
        predict("model.json: Jackson polymorphic type tricks", "good.libsvm",
            "polymorphic-type.model.json", "polymorphic-type.model.json",
            ": not a valid model.json (modelType must be a string, "
                + descent.driver.ModelType.names() + ", found"
                + " [\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"pwned\"]}])"),
        new Case("evaluate: corrupt model.json", "evaluate", "good.libsvm",
            "missing-coefficients.model.json", List.of(), "missing-coefficients.model.json",
            ": not a valid model.json (missing field \"coefficients\")"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithOneLineAndLeavesThePreviousModel(Case c) throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    for (String f : List.of("model.json", "metrics.csv")) {
      Files.copy(baseline.resolve(f), model.resolve(f));
    }
    Path named = corpus(c.named());
    List<String> args = new ArrayList<>(List.of(c.command(), "--data",
        corpus(c.data()).toString()));
    if (c.command().equals("train")) {
      args.addAll(List.of("--output", model.toString(), "--max-steps", "2",
          "--progress-seconds", "1000"));
      if (!c.options().contains("--model")) {
        args.addAll(List.of("--model", "logistic"));
      }
    } else {
      Path modelArg = model;
      if (c.model() != null) {
        modelArg = dir.resolve(c.model());
        Files.copy(corpus(c.model()), modelArg);
        named = modelArg;
      }
      args.addAll(List.of("--model", modelArg.toString()));
      if (c.command().equals("predict")) {
        args.addAll(List.of("--output", dir.resolve("predictions").toString()));
      }
    }
    args.addAll(c.options());
    Map<String, byte[]> before = snapshot(dir);

    Cli.Result r = Cli.run(args.toArray(new String[0]));

    assertEquals(1, r.exitCode(), r::all);
    assertEquals(PREFIX + named + c.after() + "\n", r.err(), r::all);
    Map<String, byte[]> after = snapshot(dir);
    assertEquals(before.keySet(), after.keySet(), "files were added or removed");
    for (String f : before.keySet()) {
      assertArrayEquals(before.get(f), after.get(f), f + " changed");
    }
  }

  /** An unknown model is refused as an option, before any data is read. */
  @Test
  void anUnknownModelIsRefusedAsAnOption() throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    Files.copy(baseline.resolve("model.json"), model.resolve("model.json"));
    Map<String, byte[]> before = snapshot(dir);
    Cli.Result r = Cli.run("train", "--data", corpus("label-1.5.libsvm").toString(), "--model",
        "poisson", "--output", model.toString());
    assertEquals(1, r.exitCode(), r::all);
    assertEquals(PREFIX + "unknown model 'poisson'; use " + descent.driver.ModelType.names()
        + "\n", r.err(), r::all);
    assertEquals(before.keySet(), snapshot(dir).keySet());
  }

  /**
   * The other half of the contract: a run that succeeds replaces the previous model.json and
   * metrics.csv by write-then-rename and leaves no temporary or partial file beside them.
   */
  @Test
  void aSuccessfulRunReplacesThePreviousModel() throws IOException {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    for (String f : List.of("model.json", "metrics.csv")) {
      Files.copy(baseline.resolve(f), model.resolve(f));
    }
    Cli.Result r = Cli.run("train", "--data", corpus("good.libsvm").toString(), "--model",
        "linear", "--max-steps", "2", "--progress-seconds", "1000", "--output", model.toString());
    assertEquals(0, r.exitCode(), r::all);
    assertEquals(java.util.Set.of("metrics.csv", "metrics.jsonl", "model.json"),
        snapshot(model).keySet());
    assertEquals("linear", LinearModel.load(model).modelType().id());
    assertFalse(Arrays.equals(Files.readAllBytes(baseline.resolve("metrics.csv")),
        Files.readAllBytes(model.resolve("metrics.csv"))), "metrics.csv was not replaced");
  }

  /** Every file under {@code root} (directories as empty entries), by relative path. */
  private static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> !p.equals(root)).forEach(p -> {
        try {
          files.put(root.relativize(p).toString(),
              Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return files;
  }

  // ---- security ----

  /**
   * model.json is read into a Jackson tree and plain Java types: type ids such as {@code @class}
   * are data, never instructions to instantiate a class.
   */
  @Test
  void typeIdsInModelJsonStayPlainData() throws IOException {
    Path file = dir.resolve("model.json");
    Files.writeString(file, """
        {"@class": "java.lang.ProcessBuilder",
         "modelType": "logistic", "numFeatures": 2, "coefficients": [0.5, -1],
         "intercept": 0, "fitIntercept": false,
         "training": {"@class": "java.net.URL", "@type": "java.io.File",
                      "nested": ["java.util.Date", 0], "steps": 3}}
        """, StandardCharsets.UTF_8);
    LinearModel m = LinearModel.load(file);
    assertArrayEquals(new double[] {0.5, -1}, m.coefficients());
    Map<String, Object> training = m.training();
    assertEquals("java.net.URL", training.get("@class"));
    assertEquals("java.io.File", training.get("@type"));
    assertEquals(List.of("java.util.Date", 0), training.get("nested"));
  }

  /** Model and checkpoint files are JSON or Parquet: no Java deserialization in main sources. */
  @Test
  void noJavaDeserializationInMainSources() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : List.of("worker-core", "driver", "jobs")) {
      Path src = Paths.get("..", module, "src", "main").toAbsolutePath().normalize();
      assertTrue(Files.isDirectory(src), src + " not found");
      try (Stream<Path> walk = Files.walk(src)) {
        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          for (String banned : List.of("ObjectInputStream", "enableDefaultTyping",
              "activateDefaultTyping", "JsonTypeInfo", "XMLDecoder")) {
            if (text.contains(banned)) {
              found.add(src.relativize(p) + ": " + banned);
            }
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  /** descent's Spark settings keep Kryo's registration required, even over a user's setting. */
  @Test
  void kryoRegistrationStaysRequired() {
    SparkConf conf = DescentSpark.configure(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "false"));
    assertEquals("true", conf.get("spark.kryo.registrationRequired"));
    assertEquals(KryoSerializer.class.getName(), conf.get("spark.serializer"));
    SparkConf session = TestSpark.session().sparkContext().getConf();
    assertEquals("true", session.get("spark.kryo.registrationRequired"));
    assertTrue(Arrays.asList(conf.get("spark.kryo.classesToRegister").split(","))
        .contains(descent.core.DataBlock.class.getName()));
  }
}
