package descent.driver.optim;

import static descent.driver.optim.OptimizerTesting.step;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Optimizer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer's state: saved after 3 steps and restored into a fresh one, 2 more steps equal
 * 5 uninterrupted ones bit for bit; damaged states are refused with a clear error.
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

  static Map<String, double[]> deepCopy(Map<String, double[]> state) {
    Map<String, double[]> copy = new LinkedHashMap<>();
    state.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** A state of 3 steps and the parameters it goes with. */
  static Map<String, double[]> threeSteps(Optimizer optimizer, double[] theta) {
    steps(optimizer, theta, 1, 3);
    return deepCopy(optimizer.state());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void saveAndRestoreContinuesBitForBit(Supplier<Optimizer> make) {
    double[] uninterrupted = START.clone();
    steps(make.get(), uninterrupted, 1, 5);

    Optimizer first = make.get();
    double[] theta = START.clone();
    Map<String, double[]> saved = threeSteps(first, theta);
    assertArrayEquals(new double[] {3}, saved.get("step"), 0.0);
    // the first optimizer goes on; the saved state must not move with it
    steps(first, theta.clone(), 4, 5);
    Optimizer second = make.get();
    second.restore(saved);
    steps(second, theta, 4, 5);
    assertArrayEquals(uninterrupted, theta, 0.0);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void stateIsASnapshotAndRestoreCopies(Supplier<Optimizer> make) {
    Optimizer optimizer = make.get();
    double[] theta = START.clone();
    steps(optimizer, theta, 1, 3);
    Map<String, double[]> snapshot = optimizer.state();
    Map<String, double[]> copy = deepCopy(snapshot);
    steps(optimizer, theta.clone(), 4, 5);
    assertStatesEqual(copy, snapshot);

    Optimizer restored = make.get();
    restored.restore(snapshot);
    assertStatesEqual(copy, restored.state());
    // restore copies: changing the arrays it was given afterwards changes nothing
    Map<String, double[]> mutable = deepCopy(copy);
    Optimizer other = make.get();
    other.restore(mutable);
    mutable.values().forEach(v -> Arrays.fill(v, 123.0));
    assertStatesEqual(copy, other.state());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void freshStateIsStepZeroAndRestores(Supplier<Optimizer> make) {
    Optimizer fresh = make.get();
    Map<String, double[]> state = fresh.state();
    assertEquals(1, state.size());
    assertArrayEquals(new double[] {0}, state.get("step"), 0.0);
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
    Map<String, double[]> saved = threeSteps(make.get(), START.clone());
    for (String key : saved.keySet()) {
      Map<String, double[]> damaged = deepCopy(saved);
      damaged.remove(key);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> make.get().restore(damaged), "without " + key);
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesABadStepCount(Supplier<Optimizer> make) {
    Map<String, double[]> saved = threeSteps(make.get(), START.clone());
    for (double[] step : new double[][] {{}, {3, 3}, {-1}, {2.5}, {Double.NaN}}) {
      Map<String, double[]> damaged = deepCopy(saved);
      damaged.put("step", step);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> make.get().restore(damaged), "step " + Arrays.toString(step));
      assertTrue(e.getMessage().contains("step"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesUnknownKeysAndArraysAtStepZero(Supplier<Optimizer> make) {
    Map<String, double[]> saved = threeSteps(make.get(), START.clone());
    Map<String, double[]> extra = deepCopy(saved);
    extra.put("velocity", new double[3]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> make.get().restore(extra));
    assertTrue(e.getMessage().contains("velocity"), e.getMessage());

    if (saved.size() > 1) {
      Map<String, double[]> early = deepCopy(saved);
      early.put("step", new double[] {0});
      assertThrows(IllegalArgumentException.class, () -> make.get().restore(early));
    }
    Map<String, double[]> withNull = new HashMap<>(saved);
    withNull.put("step", null);
    assertThrows(IllegalArgumentException.class, () -> make.get().restore(withNull));
    assertThrows(IllegalArgumentException.class, () -> make.get().restore(null));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void refusesWrongLengths(Supplier<Optimizer> make) {
    Map<String, double[]> saved = threeSteps(make.get(), START.clone());
    // one array shorter than the others
    if (saved.size() > 2) {
      String key = saved.keySet().stream().filter(k -> !k.equals("step")).findFirst().get();
      Map<String, double[]> damaged = deepCopy(saved);
      damaged.put(key, new double[2]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> make.get().restore(damaged));
      assertTrue(e.getMessage().contains("length"), e.getMessage());
    }
    // all arrays of one length that is not the model's: refused at restore or at the next step,
    // before any parameter changes
    if (saved.size() > 1) {
      for (int length : new int[] {1, 4}) {
        Map<String, double[]> resized = new LinkedHashMap<>();
        saved.forEach((k, v) -> resized.put(k, k.equals("step") ? v.clone()
            : Arrays.copyOf(v, length)));
        double[] theta = START.clone();
        assertThrows(IllegalArgumentException.class, () -> {
          Optimizer optimizer = make.get();
          optimizer.restore(resized);
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

  static void assertStatesEqual(Map<String, double[]> expected, Map<String, double[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), 0.0, k));
  }
}
