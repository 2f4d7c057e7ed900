package descent.driver.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks shared by the optimizers of this package: hyperparameter ranges, the shapes a step is
 * given, and the state a checkpoint gives back. Each error names the optimizer, the parameter
 * and the value, so a wrong flag or a damaged checkpoint is found without a debugger.
 */
final class Checks {

  /** The key under which every optimizer here keeps its step count t as a 1-element array. */
  static final String STEP = "step";

  /** Step counts are stored as doubles; beyond 2^53 they would no longer be exact. */
  private static final double MAX_STEP = 0x1p53;

  private Checks() {}

  /** {@code value} finite and {@code >= 0}. */
  static double nonNegative(String name, double value) {
    if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /** {@code value} finite and {@code > 0}. */
  static double positive(String name, double value) {
    if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
    return value;
  }

  /** {@code value} in [0, 1): a decay rate of an exponential average. */
  static double decayRate(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
    }
    return value;
  }

  /** {@code value} in [0, 1]. */
  static double unitInterval(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
    return value;
  }

  /** {@code value >= 0}. */
  static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /**
   * The arguments of one step: as many gradient entries as parameters, and, once the optimizer
   * holds per-parameter state of length {@code stateLength} (-1 before the first step), as many
   * parameters as that state.
   */
  static void stepShapes(String owner, double[] params, double[] gradient, int stateLength) {
    if (params.length != gradient.length) {
      throw new IllegalArgumentException(owner + ": " + params.length
          + " parameters but a gradient of length " + gradient.length);
    }
    if (stateLength >= 0 && stateLength != params.length) {
      throw new IllegalArgumentException(owner + ": its state holds " + stateLength
          + " parameters but the step got " + params.length
          + "; a restored state must come from a model of the same size");
    }
  }

  /**
   * A snapshot of an optimizer's state: the step count under {@link #STEP} and, after the first
   * step, a copy of each array under its key. The map and the arrays are the caller's.
   */
  static Map<String, double[]> snapshot(long step, List<String> keys, double[]... arrays) {
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put(STEP, new double[] {step});
    if (step > 0) {
      for (int i = 0; i < keys.size(); i++) {
        state.put(keys.get(i), arrays[i].clone());
      }
    }
    return Collections.unmodifiableMap(state);
  }

  /** A state taken back: the step count and copies of the arrays (all null at step 0). */
  record Restored(long step, double[][] arrays) {}

  /**
   * Validates a state given by {@link #snapshot}: {@link #STEP} holds one whole number t >= 0;
   * at t = 0 there is nothing else; at t > 0 each of {@code keys} is present and all have one
   * length. Keys this optimizer does not know are refused, so a checkpoint of another optimizer
   * (or of one configured otherwise, say without momentum) is not silently half used.
   */
  static Restored restore(String owner, Map<String, double[]> state, List<String> keys) {
    if (state == null) {
      throw new IllegalArgumentException(owner + ": the state to restore is null");
    }
    List<String> expected = new ArrayList<>();
    expected.add(STEP);
    expected.addAll(keys);
    for (String key : state.keySet()) {
      if (!expected.contains(key)) {
        throw new IllegalArgumentException(owner + " state has an unknown key \"" + key
            + "\"; expected the keys " + expected + " (was it saved by another optimizer or"
            + " another configuration?)");
      }
    }
    double[] stepArray = state.get(STEP);
    if (stepArray == null) {
      throw new IllegalArgumentException(owner + " state lacks \"" + STEP + "\"; expected the keys "
          + expected);
    }
    if (stepArray.length != 1) {
      throw new IllegalArgumentException(owner + " state \"" + STEP
          + "\" must hold 1 value, got " + stepArray.length + ": " + Arrays.toString(stepArray));
    }
    double t = stepArray[0];
    if (!(t >= 0 && t <= MAX_STEP && t == Math.rint(t))) {
      throw new IllegalArgumentException(owner + " state \"" + STEP
          + "\" must be a whole number >= 0, got " + t);
    }
    long step = (long) t;
    double[][] arrays = new double[keys.size()][];
    if (step == 0) {
      if (state.size() != 1) {
        throw new IllegalArgumentException(owner + " state at step 0 holds no arrays, got the keys "
            + state.keySet());
      }
      return new Restored(0, arrays);
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      double[] a = state.get(key);
      if (a == null) {
        throw new IllegalArgumentException(owner + " state at step " + step + " lacks \"" + key
            + "\"; expected the keys " + expected);
      }
      if (i > 0 && a.length != arrays[0].length) {
        throw new IllegalArgumentException(owner + " state \"" + key + "\" has length " + a.length
            + " but \"" + keys.get(0) + "\" has length " + arrays[0].length);
      }
      arrays[i] = a.clone();
    }
    return new Restored(step, arrays);
  }

  /** Refuses restored arrays shorter than the coefficients an optimizer was built for. */
  static void coversCoefficients(String owner, Restored restored, int numCoefficients) {
    double[][] arrays = restored.arrays();
    if (restored.step() > 0 && arrays.length > 0 && arrays[0].length < numCoefficients) {
      throw new IllegalArgumentException(owner + " state has length " + arrays[0].length
          + " but the optimizer was built for numCoefficients=" + numCoefficients);
    }
  }

  /** Refuses parameters fewer than the coefficients an optimizer was built for. */
  static void coversCoefficients(String owner, double[] params, int numCoefficients) {
    if (params.length < numCoefficients) {
      throw new IllegalArgumentException(owner + ": numCoefficients=" + numCoefficients
          + " but the step got only " + params.length + " parameters");
    }
  }
}
