package descent.driver.optim;

import descent.driver.OptimizerState;
import descent.driver.StateJson;

/**
 * Checks shared by the optimizers of this package: hyperparameter ranges, the shapes a step is
 * given, and the state a checkpoint gives back. Each error names the optimizer, the parameter
 * and the value, so a wrong flag or a damaged checkpoint is found without a debugger.
 */
final class Checks {

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

  /** A copy of {@code values}, or null for null: states never share arrays with an optimizer. */
  static double[] copy(double[] values) {
    return values == null ? null : values.clone();
  }

  /**
   * {@code state} as the record type of the optimizer {@code owner}. A state of another
   * optimizer is refused with both names, so a checkpoint of another run is not half used.
   */
  static <S extends OptimizerState> S stateOf(String owner, OptimizerState state, Class<S> type) {
    if (state == null) {
      throw new IllegalArgumentException(owner + ": the state to restore is null");
    }
    if (!type.isInstance(state)) {
      throw new IllegalArgumentException(owner + " cannot restore a state of "
          + StateJson.typeName(state) + "; was it saved by another optimizer?");
    }
    return type.cast(state);
  }

  /** A step count taken back: whole (a long) and {@code >= 0}. */
  static long step(String owner, long step) {
    if (step < 0) {
      throw new IllegalArgumentException(owner + " state step must be >= 0, got " + step);
    }
    return step;
  }

  /**
   * One array of a state: its field name, its value, and whether this optimizer's configuration
   * keeps it (Adam's maxExpAvgSq only with amsgrad, say).
   */
  record Part(String name, double[] values, boolean kept) {}

  /**
   * Validates the arrays of a state at step {@code step} and copies them: at step 0 (nothing
   * done yet) there are none; after it, each kept part is present, each other one absent, and
   * all have one length. Returns the copies in the order of {@code parts}, null where absent.
   */
  static double[][] restore(String owner, long step, Part... parts) {
    step(owner, step);
    double[][] arrays = new double[parts.length][];
    Part first = null;
    for (int i = 0; i < parts.length; i++) {
      Part p = parts[i];
      double[] a = p.values();
      if (step == 0) {
        if (a != null) {
          throw new IllegalArgumentException(owner + " state at step 0 holds no arrays, got \""
              + p.name() + "\" of length " + a.length);
        }
        continue;
      }
      if (!p.kept()) {
        if (a != null) {
          throw new IllegalArgumentException(owner + " state has \"" + p.name() + "\", which"
              + " this configuration does not keep (was it saved by another configuration?)");
        }
        continue;
      }
      if (a == null) {
        throw new IllegalArgumentException(owner + " state at step " + step + " lacks \""
            + p.name() + "\"");
      }
      if (first == null) {
        first = p;
      } else if (a.length != first.values().length) {
        throw new IllegalArgumentException(owner + " state \"" + p.name() + "\" has length "
            + a.length + " but \"" + first.name() + "\" has length " + first.values().length);
      }
      arrays[i] = a.clone();
    }
    return arrays;
  }

  /** Refuses restored arrays shorter than the coefficients an optimizer was built for. */
  static void stateCoversCoefficients(String owner, double[] restored, int numCoefficients) {
    if (restored != null && restored.length < numCoefficients) {
      throw new IllegalArgumentException(owner + " state has length " + restored.length
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
