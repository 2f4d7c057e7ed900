package descent.driver.schedule;

/**
 * The state of a {@link LearningRateSchedule}: what it needs to continue bit for bit, as one
 * record per stateful schedule ({@link ReduceLrOnPlateau.State}) or composite
 * ({@link SequentialSchedule.State}, {@link LinearWarmup.State}), so a checkpoint holds typed
 * state rather than arrays under string keys. Pure schedules, functions of the step alone, all
 * give {@link #NONE}. {@code descent.driver.StateJson} writes and reads a state as JSON, with a
 * {@code "type"} field naming its kind.
 */
public interface ScheduleState {

  /** The state of every pure schedule. */
  ScheduleState NONE = new Stateless();

  /**
   * The state of a pure schedule: nothing, since its rate is a function of the step alone and a
   * checkpoint's step count suffices to resume it.
   */
  record Stateless() implements ScheduleState {}
}
