package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.core.MiniBatchPlan;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/** model.json round trip and errors, the SGD formula, and Kryo with registration required. */
class ModelAndSerializationTest {

  @Test
  void sgdStepIsThetaMinusLrTimesGradient() {
    double[] theta = {1.0, -2.0, 0.5};
    new descent.driver.optim.MomentumSgd().step(theta, new double[] {0.5, -1.0, 4.0}, 0.1);
    assertArrayEquals(new double[] {0.95, -1.9, 0.1}, theta, 1e-15);
    new descent.driver.optim.MomentumSgd().step(theta, new double[] {-1.0, 0.0, 1.0}, 0.1);
    assertArrayEquals(new double[] {1.05, -1.9, 0.0}, theta, 1e-15);
  }

  @Test
  void modelJsonRoundTripsExactly(@TempDir Path dir) throws Exception {
    LinearModel model = new LinearModel(ModelType.LOGISTIC, new double[] {0.1, -1.0 / 3, 1e-300},
        0.25, true, Map.of("steps", 12, "stopReason", "max_steps"));
    model.save(dir);
    LinearModel back = LinearModel.load(dir);
    assertEquals(ModelType.LOGISTIC, back.modelType());
    assertArrayEquals(model.coefficients(), back.coefficients(), 0.0);
    assertEquals(0.25, back.intercept(), 0.0);
    assertArrayEquals(new double[] {0.1, -1.0 / 3, 1e-300, 0.25}, back.params(), 0.0);
    assertEquals("max_steps", back.training().get("stopReason"));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void svmAndHuberModelsRoundTripWithTheirTypeAndHubersDelta(@TempDir Path dir) throws Exception {
    for (ModelType type : new ModelType[] {ModelType.HINGE, ModelType.SQUARED_HINGE,
        ModelType.HUBER}) {
      LinearModel model = LinearModel.of(type, 2, true, 0.25, new double[] {0.5, -2.0, 0.125},
          Map.of());
      Path at = dir.resolve(type.id());
      model.save(at);
      JsonNode json = new ObjectMapper().readTree(at.resolve("model.json").toFile());
      assertEquals(type.id(), json.get("modelType").asText());
      assertEquals(type == ModelType.HUBER, json.has("huberDelta"), json::toString);
      if (type == ModelType.HUBER) {
        assertEquals(0.25, json.get("huberDelta").asDouble(), 0.0);
        assertEquals(0.25, LinearModel.load(at).huberDelta(), 0.0);
      }
      LinearModel back = LinearModel.load(at);
      assertEquals(type, back.modelType());
      assertArrayEquals(model.params(), back.params(), 0.0);
      assertEquals(type.loss(0, 0.25).toString(), back.loss().toString());
    }
  }

  @Test
  void corruptModelJsonIsRejectedWithFileAndCause(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.json");
    Files.writeString(file, "{\"modelType\": \"logistic\", \"numFeatures\": 3, \"coeff");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinearModel.load(dir));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 1"),
        e.getMessage());
    Files.writeString(file, "{\"modelType\": \"logistic\", \"numFeatures\": 3, "
        + "\"coefficients\": [1, 2], \"intercept\": 0}");
    e = assertThrows(IllegalArgumentException.class, () -> LinearModel.load(dir));
    assertTrue(e.getMessage().contains("numFeatures = 3"), e.getMessage());
  }

  @Test
  void everyShippedClassRoundTripsThroughKryoWithRegistrationRequired() {
    SerializerInstance kryo = new KryoSerializer(DescentSpark.configure(new SparkConf()))
        .newInstance();
    DataBlock block = DataBlock.sparse(1, 4, 3, new double[] {1, -1}, null,
        new int[] {0, 1, 3}, new int[] {2, 0, 1}, new double[] {0.5, 2, -3});
    DataBlock blockBack = roundTrip(kryo, block, DataBlock.class);
    assertArrayEquals(block.values(), blockBack.values(), 0.0);
    assertArrayEquals(block.indptr(), blockBack.indptr());
    assertEquals(4, blockBack.firstRow());

    GradientAccumulator acc = new GradientAccumulator(3, true)
        .add(block, 0, 2, new LogisticLoss(), new double[] {0.1, 0.2, 0.3}, false);
    GradientAccumulator accBack = roundTrip(kryo, acc, GradientAccumulator.class);
    assertArrayEquals(acc.gradientSum(), accBack.gradientSum(), 0.0);
    assertEquals(acc.lossSum(), accBack.lossSum(), 0.0);

    MiniBatchPlan plan = new MiniBatchPlan(new long[] {5, 7}, 3);
    assertEquals(plan.windowStart(1, 9), roundTrip(kryo, plan, MiniBatchPlan.class).windowStart(1, 9));

    // Every model's loss, with its state (K, Huber's δ), as the executors receive it.
    for (ModelType type : ModelType.values()) {
      Loss loss = type.isNetwork()
          ? new NetworkSpec(new int[] {4, 2}, descent.core.Activation.TANH,
              descent.core.OutputLoss.SOFTMAX).loss(3)
          : type.loss(3, 0.75);
      Loss back = roundTrip(kryo, loss, Loss.class);
      assertEquals(loss.getClass(), back.getClass());
      assertEquals(loss.toString(), back.toString());
    }

    // An unregistered class is refused: registration really is required.
    assertThrows(Exception.class, () -> roundTrip(kryo, new Unregistered(), Unregistered.class));
  }

  @Test
  void aSparseGradientShipsItsEntriesThroughKryo() {
    SerializerInstance kryo = new KryoSerializer(DescentSpark.configure(new SparkConf()))
        .newInstance();
    int d = 1 << 20;
    // Rows of 20 features each, spread over the 2^20 coordinates.
    int rows = 200;
    int[] indptr = new int[rows + 1];
    int[] indices = new int[rows * 20];
    double[] values = new double[rows * 20];
    double[] labels = new double[rows];
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < rows; i++) {
      int previous = -1;
      for (int q = i * 20; q < (i + 1) * 20; q++) {
        previous += 1 + random.nextInt(d / 20 - 1);
        indices[q] = previous;
        values[q] = random.nextGaussian();
      }
      indptr[i + 1] = (i + 1) * 20;
      labels[i] = random.nextBoolean() ? 1 : -1;
    }
    DataBlock block = DataBlock.sparse(0, 0, d, labels, null, indptr, indices, values);
    double[] params = new double[d + 1];
    long[] bytes = new long[3];
    int[] stored = new int[3];
    int[] counts = {0, 20, 200};
    for (int k = 0; k < counts.length; k++) {
      GradientAccumulator acc = new GradientAccumulator(d + 1, true);
      if (counts[k] > 0) {
        acc.add(block, 0, counts[k], new LogisticLoss(), params, true);
        assertTrue(acc.isSparse());
      }
      stored[k] = acc.storedCoordinates();
      bytes[k] = kryo.serialize(acc, ClassTag$.MODULE$.apply(GradientAccumulator.class))
          .remaining();
      GradientAccumulator back = roundTrip(kryo, acc, GradientAccumulator.class);
      assertEquals(acc.isSparse(), back.isSparse());
      assertEquals(acc.storedCoordinates(), back.storedCoordinates());
      assertArrayEquals(acc.gradientSum(), back.gradientSum(), 0.0);
    }
    assertTrue(stored[1] > 350, stored[1] + " coordinates");
    // A varint coordinate (at most 3 bytes below 2^21) and a double an entry.
    for (int k = 1; k < counts.length; k++) {
      long extra = bytes[k] - bytes[0];
      assertTrue(extra > 9L * stored[k] && extra <= 11L * stored[k] + 8,
          stored[k] + " coordinates took " + extra + " bytes");
    }
    assertTrue(bytes[0] < 64, "an empty accumulator takes " + bytes[0] + " bytes");
  }

  @Test
  void aUsersOwnKryoRegistratorIsKept() {
    SparkConf conf = new SparkConf().set("spark.kryo.registrator", "com.example.Theirs");
    DescentSpark.configure(conf);
    DescentSpark.configure(conf);
    assertEquals("com.example.Theirs," + DescentSpark.Registrator.class.getName(),
        conf.get("spark.kryo.registrator"));
  }

  static final class Unregistered implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  static <T> T roundTrip(SerializerInstance kryo, T value, Class<T> type) {
    ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(type));
    return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(type));
  }
}
