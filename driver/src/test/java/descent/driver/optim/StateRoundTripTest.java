package descent.driver.optim;

import static descent.driver.optim.OptimizerTesting.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import descent.driver.Optimizer;
import descent.driver.OptimizerState;
import descent.driver.StateJson;
import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer's state: saved after 3 steps and restored into a fresh one, as a record and
 * through JSON, 2 more steps equal 5 uninterrupted ones bit for bit; damaged states (a field
 * missing, null, unknown or of the wrong length, a bad step, another optimizer's state) are
 * refused with a clear error.
 */
class StateRoundTripTest {

  /** A quadratic ½ Σ a_j (θ_j − c_j)² in 3 parameters: 2 coefficients and an intercept. */
  static final double[] A = {1, 10, 2};
  static final double[] C = {3, -1, 0.5};
  static final double[] START = {0.5, -0.3, 0.2};

  static Stream<Named<Supplier<Optimizer>>> optimizers() {
    return Stream.of(
        Named.of("sgd", () -> new MomentumSgd()),
        Named.of("sgd momentum dampening", () -> new MomentumSgd(0.9, 0.1, false)),
        Named.of("sgd nesterov", () -> new MomentumSgd(0.9, 0, true)),
        Named.of("adagrad", () -> new Adagrad(0.1, 0.2, 1e-10)),
        Named.of("rmsprop", () -> new RmsProp()),
        Named.of("rmsprop centered momentum", () -> new RmsProp(0.9, 1e-8, 0.5, true)),
        Named.of("adam", () -> new Adam()),
        Named.of("adam amsgrad", () -> new Adam(0.9, 0.999, 1e-8, true)),
        Named.of("adamw", () -> new AdamW(2)),
        Named.of("adamw amsgrad", () -> new AdamW(2, 0.8, 0.99, 1e-8, 0.1, true)),
        Named.of("lamb", () -> new Lamb(2, 0.9, 0.999, 1e-6, 0.01)),
        Named.of("delta-bar-delta", () -> new DeltaBarDelta()));
  }

  /** lr of step t (1-based): varies, so a lost step count or a stale rate would show. */
  static double lr(int t) {
    return 0.05 / (1 + 0.1 * t);
  }

  static void steps(Optimizer optimizer, double[] theta, int from, int to) {
    double[] g = new double[theta.length];
    for (int t = from; t <= to; t++) {
      for (int j = 0; j < theta.length; j++) {
        g[j] = A[j] * (theta[j] - C[j]);
      }
      step(optimizer, theta, g, lr(t));
    }
  }

  /** {@code state} through JSON text and back: a deep copy, and the path a checkpoint takes. */
  static OptimizerState viaJson(OptimizerState state) {
    return StateJson.optimizerState(StateJson.toJson(state));
  }

  /** {@code state} as a JSON object, to damage one field at a time. */
  static ObjectNode tree(OptimizerState state) {
    return (ObjectNode) StateJson.toTree(state);
  }

  /** The fields of a state that hold something (were keys of the old map): step and arrays. */
  static List<String> presentFields(OptimizerState state) {
    List<String> fields = new ArrayList<>();
    tree(state).fields().forEachRemaining(e -> {
      if (!e.getKey().equals("type") && !e.getValue().isNull()) {
        fields.add(e.getKey());
      }
    });
    return fields;
  }

  /** The array fields of a state that hold an array. */
  static List<String> arrayFields(OptimizerState state) {
    List<String> fields = presentFields(state);
    fields.remove("step");
    return fields;
  }

  /** A state of 3 steps and the parameters it goes with. */
  static OptimizerState threeSteps(Optimizer optimizer, double[] theta) {
    steps(optimizer, theta, 1, 3);
    return viaJson(optimizer.state());
  }

  /** Restores {@code tree} (read back through StateJson) into a fresh optimizer. */
  static void restoreTree(Supplier<Optimizer> make, ObjectNode tree) {
    make.get().restore(StateJson.optimizerState(tree));
  }

  static IllegalArgumentException assertRefused(String part, Executable restore, String what) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, restore, what);
    assertTrue(e.getMessage().contains(part), what + ": " + e.getMessage());
    return e;
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void saveAndRestoreContinuesBitForBit(Supplier<Optimizer> make) {
    double[] uninterrupted = START.clone();
    steps(make.get(), uninterrupted, 1, 5);

    for (boolean json : new boolean[] {false, true}) {
      Optimizer first = make.get();
      double[] theta = START.clone();
      steps(first, theta, 1, 3);
      OptimizerState saved = first.state();
      if (json) {
        saved = viaJson(saved);
      }
      assertEquals(3, tree(saved).get("step").asLong());
      // the first optimizer goes on; the saved state must not move with it
      steps(first, theta.clone(), 4, 5);
      Optimizer second = make.get();
      second.restore(saved);
      steps(second, theta, 4, 5);
      assertArrayEquals(uninterrupted, theta, 0.0, json ? "through JSON" : "as a record");
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void stateIsASnapshotAndRestoreCopies(Supplier<Optimizer> make) {
    Optimizer optimizer = make.get();
    double[] theta = START.clone();
    steps(optimizer, theta, 1, 3);
    OptimizerState snapshot = optimizer.state();
    OptimizerState copy = viaJson(snapshot);
    steps(optimizer, theta.clone(), 4, 5);
    assertStatesEqual(copy, snapshot);

    Optimizer restored = make.get();
    restored.restore(snapshot);
    assertStatesEqual(copy, restored.state());
    // restore copies: changing the arrays it was given afterwards changes nothing
    OptimizerState mutable = viaJson(copy);
    Optimizer other = make.get();
    other.restore(mutable);
    fillArrays(mutable, 123.0);
    assertStatesEqual(copy, other.state());
    // and state() copies: changing the arrays it gave changes nothing
    fillArrays(other.state(), 456.0);
    assertStatesEqual(copy, other.state());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void freshStateIsStepZeroAndRestores(Supplier<Optimizer> make) {
    Optimizer fresh = make.get();
    OptimizerState state = viaJson(fresh.state());
    assertEquals(List.of("step"), presentFields(state));
    assertEquals(0, tree(state).get("step").asLong());
    Optimizer other = make.get();
    other.restore(state);
    double[] a = START.clone();
    double[] b = START.clone();
    steps(other, a, 1, 3);
    steps(make.get(), b, 1, 3);
    assertArrayEquals(b, a, 0.0);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesMissingKeys(Supplier<Optimizer> make) {
    OptimizerState saved = threeSteps(make.get(), START.clone());
    for (String key : presentFields(saved)) {
      // a field left out of the JSON
      ObjectNode removed = tree(saved);
      removed.remove(key);
      assertRefused(key, () -> restoreTree(make, removed), "without " + key);
      // a field set to null: a missing array, or a step that is no number
      ObjectNode nulled = tree(saved);
      nulled.putNull(key);
      assertRefused(key, () -> restoreTree(make, nulled), key + " null");
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesABadStepCount(Supplier<Optimizer> make) {
    OptimizerState saved = threeSteps(make.get(), START.clone());
    ObjectMapper json = StateJson.mapper();
    for (JsonNode step : new JsonNode[] {json.createArrayNode(),
        json.createArrayNode().add(3).add(3), new LongNode(-1), new DoubleNode(2.5),
        new DoubleNode(Double.NaN), new TextNode("three")}) {
      ObjectNode damaged = tree(saved);
      damaged.set("step", step);
      assertRefused("step", () -> restoreTree(make, damaged), "step " + step);
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesUnknownKeysAndArraysAtStepZero(Supplier<Optimizer> make) {
    OptimizerState saved = threeSteps(make.get(), START.clone());
    ObjectNode extra = tree(saved);
    extra.putArray("velocity").add(0).add(0).add(0);
    assertRefused("velocity", () -> restoreTree(make, extra), "with velocity");

    if (!arrayFields(saved).isEmpty()) {
      ObjectNode early = tree(saved);
      early.put("step", 0);
      assertRefused("step 0", () -> restoreTree(make, early), "arrays at step 0");
    }
    ObjectNode withNull = tree(saved);
    withNull.putNull("step");
    assertThrows(IllegalArgumentException.class, () -> restoreTree(make, withNull));
    assertThrows(IllegalArgumentException.class, () -> make.get().restore(null));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesAStateOfAnotherOptimizerOrConfiguration(Supplier<Optimizer> make) {
    Optimizer optimizer = make.get();
    for (OptimizerState foreign : new OptimizerState[] {new Newton.State(),
        new Lbfgs.State(3, new double[0][], new double[0][]),
        optimizer instanceof Adam ? new AdamW(2).state() : new Adam().state()}) {
      IllegalArgumentException e = assertRefused(optimizer.name(),
          () -> make.get().restore(foreign), "from " + StateJson.typeName(foreign));
      assertTrue(e.getMessage().contains(StateJson.typeName(foreign)), e.getMessage());
    }
    // a type the JSON does not know
    ObjectNode unknown = tree(optimizer.state());
    unknown.put("type", "adadelta");
    assertRefused("adadelta", () -> restoreTree(make, unknown), "type adadelta");
    // an array this configuration does not keep (amsgrad's maximum, a momentum buffer)
    OptimizerState saved = threeSteps(make.get(), START.clone());
    ObjectNode more = tree(saved);
    for (String field : List.of("maxExpAvgSq", "gradAvg", "momentumBuffer")) {
      if (more.has(field) && more.get(field).isNull()) {
        ObjectNode damaged = tree(saved);
        damaged.putArray(field).add(0).add(0).add(0);
        assertRefused(field, () -> restoreTree(make, damaged), "with " + field);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesWrongLengths(Supplier<Optimizer> make) {
    OptimizerState saved = threeSteps(make.get(), START.clone());
    List<String> arrays = arrayFields(saved);
    // one array shorter than the others
    if (arrays.size() > 1) {
      ObjectNode damaged = tree(saved);
      damaged.putArray(arrays.get(1)).add(0).add(0);
      assertRefused("length", () -> restoreTree(make, damaged), arrays.get(1) + " of length 2");
    }
    // all arrays of one length that is not the model's: refused at restore or at the next step,
    // before any parameter changes
    if (!arrays.isEmpty()) {
      for (int length : new int[] {1, 4}) {
        ObjectNode resized = tree(saved);
        for (String field : arrays) {
          ArrayNode a = resized.putArray(field);
          for (int j = 0; j < length; j++) {
            a.add(0.5);
          }
        }
        double[] theta = START.clone();
        assertThrows(IllegalArgumentException.class, () -> {
          Optimizer optimizer = make.get();
          optimizer.restore(StateJson.optimizerState(resized));
          optimizer.step(theta, new double[3], 0.1);
        }, "length " + length);
        assertArrayEquals(START, theta, 0.0);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesAGradientOfAnotherLength(Supplier<Optimizer> make) {
    double[] theta = START.clone();
    assertThrows(IllegalArgumentException.class,
        () -> make.get().step(theta, new double[2], 0.1));
    assertArrayEquals(START, theta, 0.0);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void stepsAllocateNothingAfterTheFirst(Supplier<Optimizer> make) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Optimizer optimizer = make.get();
    double[] theta = new double[1000];
    double[] g = new double[1000];
    for (int j = 0; j < g.length; j++) {
      g[j] = Math.sin(j);
    }
    optimizer.step(theta, g, 1e-3);
    optimizer.step(theta, g, 1e-3);
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100; i++) {
      optimizer.step(theta, g, 1e-3);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    // 100 steps over 1000 parameters: any per-step array would be 800 KB
    assertTrue(allocated < 8_000, optimizer + " allocated " + allocated + " bytes in 100 steps");
  }

  /** Equal field by field, doubles bit for bit (their JSON trees compare with Double.compare). */
  static void assertStatesEqual(OptimizerState expected, OptimizerState actual) {
    assertEquals(expected.getClass(), actual.getClass());
    assertEquals(tree(expected), tree(actual));
  }

  /** Fills every array of a state record with {@code value}. */
  static void fillArrays(OptimizerState state, double value) {
    try {
      for (RecordComponent c : state.getClass().getRecordComponents()) {
        Object v = c.getAccessor().invoke(state);
        if (v instanceof double[] a) {
          Arrays.fill(a, value);
        } else if (v instanceof double[][] rows) {
          for (double[] row : rows) {
            Arrays.fill(row, value);
          }
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
