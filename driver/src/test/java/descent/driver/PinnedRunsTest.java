package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.core.LabelDomain;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.SequentialSchedule;
import descent.driver.schedule.StepDecay;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the behaviour of the training loop: about a dozen representative runs (each optimizer
 * family, a schedule chain, plateau, clipping, elastic net, averaging, early stopping,
 * standardization, softmax, and a run resumed from a checkpoint) must end with exactly the
 * parameters and, to 1e-15 relative, the objective recorded in {@code pinned-runs.json}. A change
 * to the loop's structure must not change a single bit of a model.
 *
 * <p>The records were taken from these runs on x86-64 with 4-double SIMD lanes (AVX2); lanes of
 * another width sum in another order, so on such a machine the parameters are compared to 1e-12
 * relative instead of bit for bit. Run with {@code -Ddescent.pin.write=PATH} to write the records
 * of the current code to PATH (only when a change of the numbers is intended).
 */
class PinnedRunsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECORDS = "/pinned-runs.json";

  static TrainingData heart;
  static TrainingData heartValidation;
  static TrainingData iris;

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
    heartValidation = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY,
        13, 7);
    iris = TestData.libsvm(TestSpark.sharedData("iris.libsvm"), 2, LabelDomain.classes(3), 4,
        42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
    heartValidation.unpersist();
    iris.unpersist();
  }

  private static TrainingConfig.Builder logistic() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1.0 / 270)
        .fitIntercept(true).batchSize(27L).maxSteps(60L);
  }

  private static OptimizerConfig optimizer(String name, Map<String, Object> set) {
    OptimizerConfig o = OptimizerConfig.named(name);
    return new OptimizerConfig(name, (Double) set.get("momentum"), (Double) set.get("dampening"),
        (Boolean) set.get("nesterov"), (Double) set.get("beta1"), (Double) set.get("beta2"),
        (Double) set.get("eps"), (Boolean) set.get("amsgrad"), (Double) set.get("weightDecay"),
        (Double) set.get("alpha"), (Boolean) set.get("centered"), (Double) set.get("lrDecay"),
        (Double) set.get("initialAccumulator"), (Double) set.get("kappa"),
        (Double) set.get("phi"), (Double) set.get("theta"), o.history());
  }

  /** The pinned runs by name, each a function that trains and returns the result. */
  private Map<String, Supplier<TrainingResult>> runs() {
    Map<String, Supplier<TrainingResult>> runs = new LinkedHashMap<>();
    runs.put("sgd", () -> train(heart, null, logistic().learningRate(1.0).build()));
    runs.put("sgd nesterov, warmup then cosine chained with step decay", () -> train(heart, null,
        logistic().optimizer(optimizer("sgd", Map.of("momentum", 0.9, "nesterov", true)))
            .learningRate(0.5)
            .schedule(new LinearWarmup(new SequentialSchedule(
                List.of(new CosineAnnealing(0.5, 30, 0.01), new StepDecay(0.2, 10, 0.5)),
                new long[] {30}), 5))
            .build()));
    runs.put("adagrad, four epochs", () -> train(heart, null, logistic()
        .optimizer(optimizer("adagrad", Map.of("lrDecay", 0.01))).learningRate(0.5).maxSteps(null)
        .epochs(4.0).build()));
    runs.put("rmsprop centered with momentum, plateau", () -> train(heart, null, logistic()
        .optimizer(optimizer("rmsprop", Map.of("momentum", 0.5, "centered", true)))
        .learningRate(0.01)
        .schedule(new ReduceLrOnPlateau(0.01, ReduceLrOnPlateau.Mode.MIN, 0.5, 3, 1e-4,
            ReduceLrOnPlateau.ThresholdMode.REL, 1, 0.0, 1e-8, 1))
        .build()));
    runs.put("adam amsgrad, clipped by value and norm", () -> train(heart, null, logistic()
        .optimizer(optimizer("adam", Map.of("amsgrad", true))).learningRate(0.05)
        .clipValue(0.2).clipNorm(0.3).build()));
    runs.put("adamw, polyak average", () -> train(heart, null, logistic()
        .optimizer(optimizer("adamw", Map.of("weightDecay", 0.05))).learningRate(0.05)
        .average("polyak").averageStart(20L).build()));
    runs.put("lamb, cosine", () -> train(heart, null, logistic()
        .optimizer(optimizer("lamb", Map.of())).learningRate(0.05)
        .schedule(new CosineAnnealing(0.05, 60)).build()));
    runs.put("delta-bar-delta", () -> train(heart, null, logistic()
        .optimizer(optimizer("delta-bar-delta", Map.of())).learningRate(0.2).build()));
    runs.put("sgd elastic net, ema average", () -> train(heart, null, logistic()
        .learningRate(0.5).elasticNet(0.02, 0.5).average("ema").averageDecay(0.9).build()));
    runs.put("sgd momentum, early stopping on validation data", () -> train(heart,
        heartValidation, logistic().optimizer(optimizer("sgd", Map.of("momentum", 0.9)))
            .learningRate(0.5).batchSize(9L).maxSteps(400L).evalEvery(5).patience(3).build()));
    runs.put("sgd standardized, tolerance", () -> train(heart, null, logistic()
        .learningRate(1.0).standardize(true).batchSize(null).maxSteps(500L).tol(1e-4)
        .evalEvery(5).build()));
    runs.put("newton", () -> train(heart, null, logistic().optimizer("newton").batchSize(null)
        .maxSteps(20L).build()));
    runs.put("lbfgs, gradient norm", () -> train(heart, null, logistic().optimizer("lbfgs")
        .batchSize(null).maxSteps(40L).gradTol(1e-5).build()));
    runs.put("sgd, min step size", () -> train(heart, null, logistic().learningRate(0.2)
        .batchSize(null).maxSteps(400L).minStepSize(2e-3).build()));
    runs.put("softmax adam on iris", () -> train(iris, null, TrainingConfig.builder()
        .modelType(ModelType.SOFTMAX).fitIntercept(true).regL2(1e-3).optimizer("adam")
        .learningRate(0.05).batchSize(30L).maxSteps(100L).build()));
    runs.put("adam with plateau, resumed from a checkpoint", this::resumed);
    return runs;
  }

  private static TrainingConfig resumable(long maxSteps) {
    return logistic().optimizer("adam").learningRate(0.05).maxSteps(maxSteps)
        .schedule(new ReduceLrOnPlateau(0.05, ReduceLrOnPlateau.Mode.MIN, 0.5, 2, 1e-4,
            ReduceLrOnPlateau.ThresholdMode.REL, 0, 0.0, 1e-8, 1))
        .average("polyak").averageStart(10L).build();
  }

  /** 35 steps with a checkpoint every 10, then resumed from step 30 up to 60 steps. */
  private TrainingResult resumed() {
    Path checkpoints = dir.resolve("checkpoints");
    PrintStream log = new PrintStream(OutputStream.nullOutputStream());
    TrainingConfig first = resumable(35);
    new Trainer(first, TrainingListener.NONE)
        .withCheckpoints(new Checkpoints(checkpoints.toString(), 10, 2, false,
            first.fingerprint(), log))
        .train(heart);
    TrainingConfig all = resumable(60);
    return new Trainer(all, TrainingListener.NONE)
        .withCheckpoints(new Checkpoints(checkpoints.toString(), 10, 2, true,
            all.fingerprint(), log))
        .train(heart);
  }

  private static TrainingResult train(TrainingData data, TrainingData validation,
      TrainingConfig config) {
    return new Trainer(config, TrainingListener.NONE).train(data, validation);
  }

  /** Double lanes of the JVM's preferred SIMD vectors; 0 without the vector module. */
  private static int lanes() {
    try {
      Class<?> vector = Class.forName("jdk.incubator.vector.DoubleVector");
      Object species = vector.getField("SPECIES_PREFERRED").get(null);
      return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length")
          .invoke(species);
    } catch (ReflectiveOperationException | LinkageError e) {
      return 0;
    }
  }

  private static ObjectNode record(TrainingResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("objective", r.objective());
    o.put("steps", r.steps());
    o.put("stopReason", r.stopReason().id());
    var bits = o.putArray("paramBits");
    for (double v : r.params()) {
      bits.add(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    return o;
  }

  @Test
  void aRunResumedFromItsCheckpointEndsBitForBitLikeAnUninterruptedRun() {
    TrainingResult uninterrupted = train(heart, null, resumable(60));
    TrainingResult resumed = resumed();
    assertEquals(uninterrupted.steps(), resumed.steps());
    assertEquals(Double.doubleToRawLongBits(uninterrupted.objective()),
        Double.doubleToRawLongBits(resumed.objective()));
    for (int j = 0; j < uninterrupted.params().length; j++) {
      assertEquals(Double.doubleToRawLongBits(uninterrupted.params()[j]),
          Double.doubleToRawLongBits(resumed.params()[j]), "parameter " + j);
    }
  }

  @Test
  void everyRepresentativeRunEndsWithItsPinnedModelAndObjective() throws IOException {
    Map<String, Supplier<TrainingResult>> runs = runs();
    String write = System.getProperty("descent.pin.write");
    if (write != null) {
      ObjectNode root = JSON.createObjectNode();
      root.put("lanes", lanes());
      ObjectNode all = root.putObject("runs");
      runs.forEach((name, run) -> all.set(name, record(run.get())));
      Files.writeString(Paths.get(write), JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(root));
      return;
    }
    JsonNode root;
    try (InputStream in = PinnedRunsTest.class.getResourceAsStream(RECORDS)) {
      assertNotNull(in, RECORDS + " is missing");
      root = JSON.readTree(in);
    }
    boolean sameLanes = root.get("lanes").asInt() == lanes();
    assertEquals(root.get("runs").size(), runs.size(), "every pinned run is run");
    for (Map.Entry<String, Supplier<TrainingResult>> e : runs.entrySet()) {
      String name = e.getKey();
      JsonNode pinned = root.get("runs").get(name);
      assertNotNull(pinned, "no record for " + name);
      TrainingResult r = e.getValue().get();
      assertEquals(pinned.get("stopReason").asText(), r.stopReason().id(), name);
      assertEquals(pinned.get("steps").asLong(), r.steps(), name);
      double objective = pinned.get("objective").asDouble();
      assertEquals(objective, r.objective(), 1e-15 * Math.abs(objective), name + ": objective");
      JsonNode bits = pinned.get("paramBits");
      assertEquals(bits.size(), r.params().length, name);
      for (int j = 0; j < bits.size(); j++) {
        double expected = Double.longBitsToDouble(Long.parseUnsignedLong(bits.get(j).asText(),
            16));
        if (sameLanes) {
          assertEquals(Double.doubleToRawLongBits(expected),
              Double.doubleToRawLongBits(r.params()[j]),
              name + ": parameter " + j + " is " + r.params()[j] + ", pinned " + expected);
        } else {
          assertTrue(Math.abs(expected - r.params()[j]) <= 1e-12 * Math.abs(expected),
              name + ": parameter " + j + " is " + r.params()[j] + ", pinned " + expected);
        }
      }
    }
  }
}
