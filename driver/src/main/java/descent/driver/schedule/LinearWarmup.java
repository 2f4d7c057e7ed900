package descent.driver.schedule;

import descent.driver.StateJson;

/**
 * Ramps the learning rate up linearly over the first {@code warmupSteps} steps towards the inner
 * schedule's first rate, then hands over to the inner schedule, which starts after the warmup
 * (its step 0 is step warmupSteps):
 * <pre>
 *   lr(t) = inner(0) · (t + 1) / warmupSteps      for t &lt; warmupSteps
 *   lr(t) = inner(t − warmupSteps)                for t ≥ warmupSteps
 * </pre>
 * The inner schedule sees shifted steps throughout: observations of steps t &lt; warmupSteps are
 * not passed on (a {@link ReduceLrOnPlateau} inside starts counting when the warmup ends, and the
 * ramp ends at its initial rate), and the observation of step t ≥ warmupSteps reaches it as step
 * t − warmupSteps. {@link #state()} holds the inner schedule's ({@link State}); the warmup itself
 * is a pure function of the step.
 *
 * <p>Large initial steps can blow up adaptive optimizers and large-batch SGD; warmup avoids that
 * (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017). A
 * decorator, so it wraps any schedule rather than being a flag on each.
 */
public final class LinearWarmup implements LearningRateSchedule {

  private final LearningRateSchedule inner;
  private final long warmupSteps;

  /**
   * @param inner the schedule after warmup, not null
   * @param warmupSteps the length of the ramp, >= 0 (0: the inner schedule unchanged)
   */
  public LinearWarmup(LearningRateSchedule inner, long warmupSteps) {
    if (inner == null) {
      throw new IllegalArgumentException("inner must not be null; wrap a ConstantSchedule "
          + "for a constant rate after warmup");
    }
    this.inner = inner;
    this.warmupSteps = Checks.atLeast("warmupSteps", warmupSteps, 0);
  }

  @Override
  public double rate(long step) {
    if (Checks.step(step) < warmupSteps) {
      return inner.rate(0) * (step + 1) / warmupSteps;
    }
    return inner.rate(step - warmupSteps);
  }

  @Override
  public void observe(long step, double metric) {
    if (Checks.step(step) >= warmupSteps) {
      inner.observe(step - warmupSteps, metric);
    }
  }

  @Override
  public LearningRateSchedule resolve(long stepsPerEpoch) {
    LearningRateSchedule resolved = inner.resolve(stepsPerEpoch);
    return resolved == inner ? this : new LinearWarmup(resolved, warmupSteps);
  }

  /**
   * The state of a {@link LinearWarmup}, written as {@code "warmup"}: the ramp is a function of
   * the step alone, so only the inner schedule's state.
   *
   * @param inner the state of the schedule after warmup ({@link ScheduleState#NONE} when pure)
   */
  public record State(ScheduleState inner) implements ScheduleState {}

  /** The inner schedule's state, wrapped. */
  @Override
  public State state() {
    return new State(inner.state());
  }

  @Override
  public void restore(ScheduleState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException(this + ": expected a warmup state, got "
          + (state == null ? "null" : "a state of " + StateJson.typeName(state)));
    }
    if (s.inner() == null) {
      throw new IllegalArgumentException(this + ": the warmup state lacks \"inner\"");
    }
    inner.restore(s.inner());
  }

  @Override
  public String toString() {
    return "LinearWarmup(" + inner + ", warmupSteps=" + warmupSteps + ")";
  }
}
