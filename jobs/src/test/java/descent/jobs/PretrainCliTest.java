package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.LinearModel;
import descent.driver.TestSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent train --model mlp --pretrain-epochs N} on iris: the console names each stage's
 * network and the layers it trains, model.json's {@code training.pretrain} holds the stages, a
 * resumed run does not pre-train again and writes the same network, and what cannot be honoured
 * is refused before Spark starts.
 */
class PretrainCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path iris;

  @TempDir Path dir;

  static String[] trainArgs(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", iris.toString(), "--model",
        "mlp", "--hidden", "6,5,4", "--activation", "tanh", "--optimizer", "adam", "--lr",
        "0.02", "--batch-size", "30", "--seed", "3", "--progress", "off", "--pretrain-epochs",
        "2", "--output", output.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @BeforeAll
  static void spark() {
    TestSpark.session();
    iris = TestSpark.sharedData("iris.libsvm");
  }

  @BeforeEach
  void activeSession() {
    SparkSession.setActiveSession(TestSpark.session());
  }

  @Test
  void theConsoleNamesEachStageAndModelJsonKeepsThem() throws IOException {
    Path out = dir.resolve("pre");
    Cli.Result r = Cli.run(trainArgs(out, "--max-steps", "10"));
    assertEquals(0, r.exitCode(), r::all);
    String s = r.stdout();
    int one = s.indexOf("pre-training stage 1/3: network 4-6-3, training layers 1-2, 10 steps"
        + " (2 epochs)");
    int two = s.indexOf("pre-training stage 2/3: network 4-6-5-3, training layers 2-3 on layer"
        + " 1 frozen, 10 steps (2 epochs)");
    int three = s.indexOf("pre-training stage 3/3: network 4-6-5-4-3, training layers 3-4 on"
        + " layers 1-2 frozen, 10 steps (2 epochs)");
    int trained = s.indexOf("trained mlp model: 10 steps");
    assertTrue(one >= 0 && one < two && two < three && three < trained, r::all);
    assertTrue(s.contains("pre-training stage 3 done: objective "), r::all);

    JsonNode pretrain = JSON.readTree(out.resolve("model.json").toFile()).get("training")
        .get("pretrain");
    assertEquals(2, pretrain.get("epochsPerStage").asInt(), r::all);
    assertEquals(30, pretrain.get("steps").asLong(), r::all);
    JsonNode stages = pretrain.get("stages");
    assertEquals(3, stages.size());
    assertEquals("4-6-5-4-3", stages.get(2).get("network").asText());
    assertEquals("[3,4]", stages.get(2).get("trainedLayers").toString());
    assertEquals(10, stages.get(1).get("steps").asLong());
    for (JsonNode stage : stages) {
      double objective = stage.get("objective").asDouble();
      assertTrue(objective > 0 && objective < 2, stage.toString());
    }
    // Without the option model.json has no such field.
    Path plain = dir.resolve("plain");
    List<String> args = new ArrayList<>(List.of(trainArgs(plain, "--max-steps", "10")));
    int at = args.indexOf("--pretrain-epochs");
    args.remove(at + 1);
    args.remove(at);
    assertEquals(0, Cli.run(args.toArray(String[]::new)).exitCode());
    assertFalse(JSON.readTree(plain.resolve("model.json").toFile()).get("training")
        .has("pretrain"));
  }

  @Test
  void aResumedRunDoesNotPreTrainAgainAndWritesTheSameNetwork() throws IOException {
    Path checkpoints = dir.resolve("checkpoints");
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    assertEquals(0, Cli.run(trainArgs(straight, "--max-steps", "25")).exitCode());
    Cli.Result first = Cli.run(trainArgs(dir.resolve("first"), "--max-steps", "12",
        "--checkpoint-dir", checkpoints.toString(), "--checkpoint-every", "5"));
    assertEquals(0, first.exitCode(), first::all);
    assertTrue(first.stdout().contains("checkpoints are taken after pre-training; a run stopped"
        + " during it pre-trains again on --resume"), first::all);
    Cli.Result r = Cli.run(trainArgs(resumed, "--max-steps", "25", "--checkpoint-dir",
        checkpoints.toString(), "--checkpoint-every", "5", "--resume"));
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(r.stdout().contains("resumed from step 10"), r::all);
    assertFalse(r.stdout().contains("pre-training stage 1/3"), r::all);
    assertArrayEquals(LinearModel.load(straight).params(), LinearModel.load(resumed).params(),
        0.0);
    JsonNode a = JSON.readTree(straight.resolve("model.json").toFile()).get("training")
        .get("pretrain").get("stages");
    JsonNode b = JSON.readTree(resumed.resolve("model.json").toFile()).get("training")
        .get("pretrain").get("stages");
    for (int s = 0; s < 3; s++) {
      assertEquals(a.get(s).get("objective").asDouble(), b.get(s).get("objective").asDouble(),
          0.0, "stage " + (s + 1));
    }
  }

  private static descent.driver.StepReport step(long step, long of) {
    return new descent.driver.StepReport(step, of, 0.1 * step, 1.0 / step, 0.02, 0.5, 0.01, 30,
        0.01, 0.01 * step, Double.NaN, false);
  }

  @Test
  void theProgressLinesCountEachStagesStepsAndThenTheRunsOwn() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true,
        java.nio.charset.StandardCharsets.UTF_8);
    ProgressListener p = new ProgressListener(out, ProgressListener.Mode.LINES, 1e9);
    p.onStageStart(1, 2, new int[] {4, 6, 3}, 3, new double[0]);
    for (long t = 1; t <= 3; t++) {
      p.onStageStep(1, step(t, 3));
    }
    p.onStageEnd(new descent.driver.Pretraining.Stage(1, new int[] {4, 6, 3}, 1, 3, 0.6, 0.9,
        0.03), new double[0]);
    p.onStep(step(1, 5));
    p.onStep(step(2, 5));
    p.finish();
    List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .toList();
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("stage 1/2 step 1/3  epoch 0.10"), lines.toString());
    assertTrue(lines.get(1).startsWith("stage 1/2 step 3/3  epoch 0.30"), lines.toString());
    assertTrue(lines.get(2).startsWith("step 1/5  epoch 0.10"), lines.toString());
    assertTrue(lines.get(3).startsWith("step 2/5  epoch 0.20"), lines.toString());
  }

  @Test
  void whatCannotBeHonouredIsRefusedBeforeSparkStarts() {
    Cli.Result linear = Cli.run("train", "--data", "/nonexistent", "--model", "logistic",
        "--pretrain-epochs", "2", "--output", dir.resolve("l").toString());
    assertEquals(1, linear.exitCode(), linear::all);
    assertTrue(linear.err().contains("--pretrain-epochs applies to --model mlp only"),
        linear::all);
    Cli.Result one = Cli.run("train", "--data", "/nonexistent", "--model", "mlp", "--hidden",
        "16", "--pretrain-epochs", "2", "--output", dir.resolve("o").toString());
    assertEquals(1, one.exitCode(), one::all);
    assertTrue(one.err().contains("--pretrain-epochs needs at least two hidden layers; with one"
        + " (--hidden 16) its only stage would train the whole network"), one::all);
    Cli.Result negative = Cli.run("train", "--data", "/nonexistent", "--model", "mlp",
        "--hidden", "8,4", "--pretrain-epochs", "-1", "--output", dir.resolve("n").toString());
    assertEquals(1, negative.exitCode(), negative::all);
    assertTrue(negative.err().contains("--pretrain-epochs must be 0 (no pre-training) or more,"
        + " got -1"), negative::all);
    Cli.Result warm = Cli.run("train", "--data", "/nonexistent", "--model", "mlp", "--hidden",
        "8,4", "--pretrain-epochs", "2", "--initial-model", "/nonexistent-model", "--output",
        dir.resolve("w").toString());
    assertEquals(1, warm.exitCode(), warm::all);
    assertTrue(warm.err().contains("--pretrain-epochs cannot be combined with --initial-model:"
        + " the warm start already gives every layer"), warm::all);
  }
}
