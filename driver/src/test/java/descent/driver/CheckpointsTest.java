package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint file: every typed state survives its JSON form exactly, infinities and "none
 * yet" included; it is written by temp file and rename, the newest {@code keep} are kept, and a
 * damaged newer file is skipped for the newest valid one.
 */
class CheckpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Checkpoint checkpoint(long step, ValidationMonitor.State validation) {
    return new Checkpoint(step, new double[] {0.1, -2.5e-300, 3}, "sgd",
        new descent.driver.optim.MomentumSgd.State(step, new double[] {0.5, 0, -1}),
        descent.driver.schedule.ScheduleState.NONE,
        new ParameterAverage.State(2, new double[] {1.0 / 3, 7, -0.0}),
        new TrainerState(0.6931471805599453, Double.NaN, 4, validation), Map.of("config.seed", "42"));
  }

  @Test
  void theLoopStateKeepsItsInfinitiesAndNaNsThroughJson() throws Exception {
    Checkpoint c = checkpoint(10, new ValidationMonitor.State(Double.POSITIVE_INFINITY, 0, 0,
        null));
    String text = JSON.writeValueAsString(Checkpoints.toJson(c));
    Checkpoint back = Checkpoints.fromJson(JSON.readTree(text));
    assertEquals(10, back.step());
    assertArrayEquals(c.params(), back.params(), 0.0);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(
        back.average().average()[2]));
    assertEquals(2, back.average().count());
    assertEquals(c.trainer().firstLoss(), back.trainer().firstLoss(), 0.0);
    assertTrue(Double.isNaN(back.trainer().previousObjective()));
    assertEquals(4, back.trainer().clippedSteps());
    assertEquals(Double.POSITIVE_INFINITY, back.trainer().validation().best());
    assertNull(back.trainer().validation().bestParams());
    assertEquals(c.fingerprint(), back.fingerprint());
    assertEquals(10, ((descent.driver.optim.MomentumSgd.State) back.optimizerState()).step());
    assertArrayEquals(new double[] {0.5, 0, -1},
        ((descent.driver.optim.MomentumSgd.State) back.optimizerState()).momentumBuffer(), 0.0);
  }

  @Test
  void theEqualityConstraintsOuterStateComesBackAndIsAbsentWithoutThem() throws Exception {
    Checkpoint plain = checkpoint(10, new ValidationMonitor.State(Double.POSITIVE_INFINITY, 0,
        0, null));
    var tree = Checkpoints.toJson(plain);
    assertTrue(!tree.has("equalityState"), "a run without constraints writes no such field");
    assertNull(Checkpoints.fromJson(JSON.readTree(JSON.writeValueAsString(tree))).equality());
    Checkpoint c = new Checkpoint(plain.step(), plain.params(), plain.optimizer(),
        plain.optimizerState(), plain.scheduleState(), plain.average(), plain.trainer(),
        plain.fingerprint(), new AugmentedLagrangian.State(new double[] {0.1, -3e-17}, 1000.0, 4,
            Double.POSITIVE_INFINITY));
    AugmentedLagrangian.State back = Checkpoints.fromJson(JSON.readTree(JSON.writeValueAsString(
        Checkpoints.toJson(c)))).equality();
    assertArrayEquals(new double[] {0.1, -3e-17}, back.multipliers(), 0.0);
    assertEquals(1000.0, back.penalty());
    assertEquals(4, back.outerIterations());
    assertEquals(Double.POSITIVE_INFINITY, back.previousResidual());
  }

  @Test
  void theBestValidationParametersAndCountersComeBack() throws Exception {
    Checkpoint c = checkpoint(20, new ValidationMonitor.State(0.25, 15, 1, new double[] {4, 5,
        6}));
    Checkpoint back = Checkpoints.fromJson(JSON.readTree(JSON.writeValueAsString(
        Checkpoints.toJson(c))));
    assertEquals(0.25, back.trainer().validation().best(), 0.0);
    assertEquals(15, back.trainer().validation().bestStep());
    assertEquals(1, back.trainer().validation().evaluationsSinceBest());
    assertArrayEquals(new double[] {4, 5, 6}, back.trainer().validation().bestParams(), 0.0);
  }

  @Test
  void theNewestValidCheckpointIsResumedAndOnlyTheNewestAreKept() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Checkpoints checkpoints = new Checkpoints(dir.toString(), 10, 2, true,
        Map.of("config.seed", "42"), new PrintStream(log, true));
    ValidationMonitor.State none = new ValidationMonitor.State(Double.POSITIVE_INFINITY, 0, 0,
        null);
    for (long step = 10; step <= 40; step += 10) {
      checkpoints.write(checkpoint(step, none));
    }
    assertTrue(Files.exists(dir.resolve("checkpoint-30.json")));
    assertTrue(Files.exists(dir.resolve("checkpoint-40.json")));
    assertTrue(Files.notExists(dir.resolve("checkpoint-20.json")));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")));
    }
    Files.writeString(dir.resolve("checkpoint-40.json"), "{\"version\": 2, \"step\": ");
    Checkpoint latest = checkpoints.latest(Map.of("config.seed", "42"));
    assertEquals(30, latest.step());
    assertTrue(log.toString().contains("checkpoint-40.json: damaged checkpoint"), log::toString);
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> checkpoints.latest(Map.of("config.seed", "7")));
    assertTrue(other.getMessage().contains("config.seed was 42, now 7"), other::getMessage);
  }
}
