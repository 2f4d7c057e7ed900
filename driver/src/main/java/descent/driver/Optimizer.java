package descent.driver;

import java.util.Map;

/**
 * Updates the parameters from one step's gradient. {@link #step} descends in place: callers
 * pass the gradient of the objective and never negate anything. An optimizer that keeps state
 * (moments, history, a step count) gives it in {@link #state()} and takes it back in
 * {@link #restore}, so a checkpoint can hold it.
 */
public interface Optimizer {

  /** Moves {@code params} against {@code gradient} with learning rate {@code lr}. */
  void step(double[] params, double[] gradient, double lr);

  /** The optimizer's name as on the command line. */
  String name();

  /** The state needed to continue bit for bit; empty for a stateless optimizer. */
  default Map<String, double[]> state() {
    return Map.of();
  }

  /** Takes back a state given by {@link #state()}. */
  default void restore(Map<String, double[]> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException(name() + " keeps no state, got " + state.keySet());
    }
  }
}
