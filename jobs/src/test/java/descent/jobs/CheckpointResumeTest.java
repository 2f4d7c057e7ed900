package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.TestSpark;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run whose driver JVM is killed ({@code kill -9}) in the middle and resumed from its newest
 * checkpoint ends with the same model as an uninterrupted run (1e-12 relative), for sgd with a
 * cosine schedule, adam with a plateau schedule and lbfgs with a cosine schedule; a checkpoint of
 * another configuration is refused, a damaged one skipped.
 */
class CheckpointResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  static Stream<Arguments> runs() {
    String heart = TestSpark.sharedData("heart_scale").toString();
    String a9a = TestSpark.sharedData("a9a").toString();
    return Stream.of(
        Arguments.of("sgd cosine", List.of("--data", heart, "--num-features", "13",
            "--reg-l2", "0.0037037037037037", "--optimizer", "sgd", "--momentum", "0.9",
            "--lr", "0.5", "--schedule", "cosine", "--t-max", "600", "--max-steps", "600",
            "--batch-size", "32"), 600L, 100L),
        Arguments.of("adam plateau", List.of("--data", heart, "--num-features", "13",
            "--reg-l2", "0.0037037037037037", "--optimizer", "adam", "--lr", "0.05",
            "--schedule", "plateau", "--plateau-patience", "20", "--factor", "0.5",
            "--max-steps", "600", "--batch-size", "64"), 600L, 100L),
        Arguments.of("lbfgs cosine", List.of("--data", a9a, "--num-features", "123",
            "--reg-l2", "1e-4", "--optimizer", "lbfgs", "--schedule", "cosine", "--t-max",
            "300", "--max-steps", "150"), 150L, 30L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void killedAndResumedEqualsUninterrupted(String name, List<String> options, long steps,
      long killAfter) throws Exception {
    Path straight = dir.resolve("straight");
    Cli.Result full = Cli.run(args(options, "--output", straight.toString()));
    assertEquals(0, full.exitCode(), full::all);

    Path checkpoints = dir.resolve("checkpoints");
    Path killed = dir.resolve("killed");
    long every = killAfter / 4;
    List<String> interrupted = new ArrayList<>(options);
    interrupted.addAll(List.of("--checkpoint-dir", checkpoints.toString(), "--checkpoint-every",
        Long.toString(every), "--master", "local[2]", "--output", killed.toString()));
    Process child = startJvm(interrupted, dir.resolve("child.log"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (newestCheckpoint(checkpoints) < killAfter) {
      assertTrue(child.isAlive(), () -> "the run ended before it was killed:\n" + log());
      assertTrue(System.nanoTime() < deadline, () -> "no checkpoint " + killAfter + ":\n" + log());
      Thread.sleep(20);
    }
    child.destroyForcibly().waitFor();
    long at = newestCheckpoint(checkpoints);
    assertTrue(at < steps, "killed at checkpoint " + at + " of " + steps);
    assertFalse(Files.exists(killed.resolve("model.json")), "the killed run wrote no model");

    Path resumed = dir.resolve("resumed");
    Cli.Result r = Cli.run(args(options, "--checkpoint-dir", checkpoints.toString(),
        "--checkpoint-every", Long.toString(every), "--resume", "--output", resumed.toString()));
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("resumed from step "), r::all);
    JsonNode a = JSON.readTree(straight.resolve("model.json").toFile());
    JsonNode b = JSON.readTree(resumed.resolve("model.json").toFile());
    assertEquals(a.get("training").get("steps").asLong(), b.get("training").get("steps").asLong());
    for (int j = 0; j < a.get("coefficients").size(); j++) {
      double x = a.get("coefficients").get(j).asDouble();
      double y = b.get("coefficients").get(j).asDouble();
      assertEquals(x, y, 1e-12 * Math.max(1e-300, Math.abs(x)), name + " coefficient " + j);
    }
    assertEquals(a.get("training").get("objective").asDouble(),
        b.get("training").get("objective").asDouble(), 1e-12 * a.get("training")
            .get("objective").asDouble());
  }

  @Test
  void aCheckpointOfAnotherRunIsRefusedAndADamagedOneSkipped() throws IOException {
    String heart = TestSpark.sharedData("heart_scale").toString();
    Path checkpoints = dir.resolve("ck");
    List<String> base = List.of("--data", heart, "--max-steps", "20",
        "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "5");
    Cli.Result first = Cli.run(args(base, "--lr", "0.5", "--output", dir.resolve("a").toString()));
    assertEquals(0, first.exitCode(), first::all);
    // Steps 5, 10, 15 were written; the newest 3 are kept.
    assertTrue(Files.exists(checkpoints.resolve("checkpoint-15.json")));
    Cli.Result other = Cli.run(args(base, "--lr", "0.7", "--resume", "--output",
        dir.resolve("b").toString()));
    assertEquals(1, other.exitCode(), other::all);
    assertTrue(other.err().contains("belongs to another run")
        && other.err().contains("config.learningRate was 0.5, now 0.7"), other::all);
    assertFalse(Files.exists(dir.resolve("b").resolve("model.json")));
    // Damage the newest: the resume goes on from step 10.
    Files.writeString(checkpoints.resolve("checkpoint-15.json"), "{\"version\": 1, \"step\": 1");
    Cli.Result resumed = Cli.run(args(base, "--lr", "0.5", "--resume", "--output",
        dir.resolve("c").toString()));
    assertEquals(0, resumed.exitCode(), resumed::all);
    assertTrue(resumed.stdout().contains("resumed from step 10"), resumed::all);
    // Every checkpoint damaged: an error naming the file and the cause; nothing is touched.
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("checkpoint-5.json"), "{\"version\": 1, \"step\": ");
    Path model = dir.resolve("a").resolve("model.json");
    byte[] before = Files.readAllBytes(model);
    Cli.Result refused = Cli.run(args(List.of("--data", heart, "--max-steps", "20",
        "--checkpoint-dir", broken.toString(), "--checkpoint-every", "5", "--lr", "0.5"),
        "--resume", "--output", dir.resolve("a").toString()));
    assertEquals(1, refused.exitCode(), refused::all);
    assertTrue(refused.err().contains("checkpoint-5.json: damaged checkpoint")
        && refused.err().contains("no valid checkpoint"), refused::all);
    assertEquals(1, refused.err().strip().lines().count(), refused::all);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "model.json changed");
    assertEquals("{\"version\": 1, \"step\": ",
        Files.readString(broken.resolve("checkpoint-5.json")));
  }

  @Test
  void aDivergingRunKeepsItsLastGoodCheckpoint() throws IOException {
    // Linear regression on lpsa with lr 50 grows the loss ~50² a step: the run stops at the step
    // whose loss passes 1e6 × the first, and every checkpoint written before holds finite values.
    Path checkpoints = dir.resolve("diverging");
    Cli.Result r = Cli.run("train", "--data", TestSpark.sharedData("lpsa.libsvm").toString(),
        "--model", "linear", "--lr", "50", "--max-steps", "100", "--partitions", "2",
        "--progress", "off", "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every",
        "1", "--keep-checkpoints", "100", "--output", dir.resolve("never").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("training diverged at step "), r::all);
    long diverged = Long.parseLong(r.err().replaceAll("(?s).*diverged at step (\\d+).*", "$1"));
    long newest = newestCheckpoint(checkpoints);
    assertTrue(newest >= 1 && newest < diverged, newest + " vs " + diverged);
    for (long step = 1; step <= newest; step++) {
      JsonNode c = JSON.readTree(checkpoints.resolve("checkpoint-" + step + ".json").toFile());
      for (JsonNode v : c.get("params")) {
        assertTrue(v.isNumber() && Double.isFinite(v.asDouble()), c::toString);
      }
    }
    assertFalse(Files.exists(dir.resolve("never").resolve("model.json")));
  }

  private static String[] args(List<String> options, String... more) {
    List<String> all = new ArrayList<>(List.of("train", "--model", "logistic", "--partitions",
        "2", "--progress", "off"));
    all.addAll(options);
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }

  private Path logFile;

  private String log() {
    try {
      return logFile == null ? "" : Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The descent CLI in a JVM of its own, with this JVM's module flags and class path. */
  private Process startJvm(List<String> options, Path log) throws IOException {
    logFile = log;
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-D")
          && !a.startsWith("-Dsurefire") || a.startsWith("-Xmx")) {
        command.add(a);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("descent.jobs.Main");
    command.addAll(Arrays.asList(args(options)));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  private static long newestCheckpoint(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return -1;
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("checkpoint-\\d+\\.json"))
          .mapToLong(n -> Long.parseLong(n.replaceAll("\\D", ""))).max().orElse(-1);
    }
  }
}
