package descent.driver;

/**
 * Updates the parameters from one step's gradient. {@link #step} descends in place: callers
 * pass the gradient of the objective and never negate anything. An optimizer that keeps state
 * (moments, history, a step count) gives it as its own {@link OptimizerState} record in
 * {@link #state()} and takes it back in {@link #restore}, so a checkpoint can hold it.
 *
 * <p>Life cycle, as the trainer calls it: a fresh optimizer (or one restored from a checkpoint),
 * then {@link #step(double[], Evaluation, ObjectiveFunction, double)} once a step, then
 * {@link #finalise} once after the last step. Behaviour around the step (the L1 prox, iterate
 * averaging) wraps an optimizer as a decorator instead of being a flag inside each one.
 */
public interface Optimizer {

  /** Moves {@code params} against {@code gradient} with learning rate {@code lr}. */
  void step(double[] params, double[] gradient, double lr);

  /**
   * One step with the objective at hand. The trainer has evaluated {@code f} at {@code params}
   * ({@code at}: value, gradient, and the Hessian when {@link #usesHessian()}). First-order
   * optimizers take {@link #step(double[], double[], double)} with the gradient; second-order
   * ones search along their direction with further evaluations of {@code f}, each a distributed
   * pass, and may leave {@code params} unchanged when no point along it lowers the objective.
   */
  default void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    step(params, at.gradient(), lr);
  }

  /**
   * Whether this optimizer probes the objective itself ({@link #step(double[], Evaluation,
   * ObjectiveFunction, double)}); the trainer then evaluates it on one fixed batch (the whole
   * data at full batch), since curvature pairs and line searches need one function.
   */
  default boolean isSecondOrder() {
    return false;
  }

  /** Whether the trainer must sum the Hessian with the gradient (Newton's method). */
  default boolean usesHessian() {
    return false;
  }

  /**
   * Called once after the last step: sets {@code params} to what the run returns (an averaging
   * decorator puts the average there) and says what they hold.
   */
  default String finalise(double[] params) {
    return "last iterate";
  }

  /**
   * This optimizer kept to {@code box}: a second-order method that searches along its own
   * direction returns its projected form (L-BFGS-B, Newton's method on the free variables),
   * sharing this optimizer's state; a first-order one returns itself, and the trainer projects
   * after each of its steps ({@link ProjectedOptimizer}).
   */
  default Optimizer bounded(descent.driver.optim.Box box) {
    return this;
  }

  /** The optimizer's name as on the command line. */
  String name();

  /**
   * The state needed to continue bit for bit: a deep copy, which later steps leave unchanged.
   * A stateless optimizer gives its empty record.
   */
  OptimizerState state();

  /**
   * Takes back a state given by {@link #state()} of an optimizer with the same configuration,
   * copying its arrays.
   *
   * @throws IllegalArgumentException if the state is another optimizer's, or its parts do not
   *     fit this optimizer (missing or unexpected arrays, arrays of different lengths, a
   *     negative step); the optimizer is then unchanged
   */
  void restore(OptimizerState state);
}
