package descent.driver.schedule;

import descent.driver.StateJson;

/**
 * The learning rate as a function of the optimizer step: {@code lr = rate(t)}, where t is
 * 0-based (the first optimizer step is step 0). The trainer asks for the rate before each step
 * and passes it to {@code Optimizer.step}; decaying it lets SGD settle instead of bouncing
 * around the minimum.
 *
 * <p>Life cycle, as the trainer calls it: {@link #resolve} once before the first step (fills in
 * what depends on the data, such as a length given in epochs, and starts a stateful schedule
 * afresh); then for each step t: {@link #rate}{@code (t)}, the optimizer step, and
 * {@link #observe}{@code (t, metric)} with the loss the run monitors. {@link #state()} and
 * {@link #restore} carry a schedule's state ({@link ScheduleState}) through a checkpoint, as
 * {@code Optimizer} does.
 *
 * <p>Every schedule but {@link ReduceLrOnPlateau} (and a composite that holds one) is a pure
 * function of the step: it ignores {@code observe}, keeps no state ({@link ScheduleState#NONE}),
 * and a checkpoint needs only
 * the step count to resume it bit for bit. Warmup wraps any schedule ({@link LinearWarmup}) and
 * {@link SequentialSchedule} chains schedules, instead of each being a flag on every schedule.
 * Names and formulas follow PyTorch's {@code torch.optim.lr_scheduler}.
 */
public interface LearningRateSchedule {

  /**
   * The learning rate for step {@code step} (0-based).
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  double rate(long step);

  /**
   * Shows the schedule the metric it monitors after step {@code step} (0-based, the step whose
   * rate was just used), for example that step's mini-batch loss. Pure schedules ignore it.
   */
  default void observe(long step, double metric) {}

  /**
   * The schedule to use for one run with {@code stepsPerEpoch} = ⌈N/B⌉ steps per epoch: a
   * parameter given in epochs becomes steps, and a stateful schedule comes back as a fresh copy
   * so that one configuration can be trained more than once. Composites resolve their parts. A
   * pure schedule with nothing to fill in returns itself.
   *
   * @param stepsPerEpoch steps per pass over the data, >= 1
   */
  default LearningRateSchedule resolve(long stepsPerEpoch) {
    Checks.atLeast("stepsPerEpoch", stepsPerEpoch, 1);
    return this;
  }

  /**
   * The state needed to continue bit for bit, a snapshot that later steps leave unchanged;
   * {@link ScheduleState#NONE} for a pure schedule.
   */
  default ScheduleState state() {
    return ScheduleState.NONE;
  }

  /**
   * Takes back a state given by {@link #state()} of a schedule with the same configuration.
   *
   * @throws IllegalArgumentException if the state does not fit this schedule (a pure schedule
   *     takes only {@link ScheduleState#NONE}); the schedule is then unchanged
   */
  default void restore(ScheduleState state) {
    if (!(state instanceof ScheduleState.Stateless)) {
      throw new IllegalArgumentException(this + " keeps no state, got "
          + (state == null ? "null" : "a state of " + StateJson.typeName(state)));
    }
  }
}
