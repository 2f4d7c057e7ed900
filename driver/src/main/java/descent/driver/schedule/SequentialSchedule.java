package descent.driver.schedule;

import descent.driver.StateJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Runs schedules one after another: stage i runs from milestone m_i to m_{i+1} (m_0 = 0, the
 * last stage to the end of training) and counts its steps from its own start, as PyTorch's
 * {@code SequentialLR}:
 * <pre>
 *   i = |{ j ≥ 1 : m_j ≤ t }|,   lr(t) = stage_i(t − m_i)
 * </pre>
 * Unlike {@code SequentialLR} any stage may be a {@link ReduceLrOnPlateau}: the observation of
 * step t goes to the stage active at t (as step t − m_i), so a plateau stage counts only what it
 * saw while active, and {@link #state()} holds the state of every stage ({@link State}). Each stage starts from its own initial rate; give it the rate the
 * previous stage ended at to continue smoothly.
 */
public final class SequentialSchedule implements LearningRateSchedule {

  private final LearningRateSchedule[] stages;
  private final long[] milestones;

  /**
   * @param stages the schedules in order, at least one, none null (copied)
   * @param milestones the steps at which stages 1, 2, ... start: one fewer than the stages,
   *     >= 1 and strictly increasing (copied)
   */
  public SequentialSchedule(List<? extends LearningRateSchedule> stages, long[] milestones) {
    if (stages == null || stages.isEmpty()) {
      throw new IllegalArgumentException("stages must hold at least one schedule");
    }
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i) == null) {
        throw new IllegalArgumentException("stages[" + i + "] must not be null");
      }
    }
    if (milestones == null || milestones.length != stages.size() - 1) {
      throw new IllegalArgumentException("milestones must hold one step per stage after the "
          + "first (" + (stages.size() - 1) + "), got "
          + (milestones == null ? "null" : Arrays.toString(milestones)));
    }
    this.milestones = new long[stages.size()];
    for (int i = 0; i < milestones.length; i++) {
      long previous = this.milestones[i];
      if (milestones[i] <= previous) {
        throw new IllegalArgumentException("milestones must be >= 1 and strictly increasing, "
            + "got " + Arrays.toString(milestones) + " at index " + i);
      }
      this.milestones[i + 1] = milestones[i];
    }
    this.stages = stages.toArray(new LearningRateSchedule[0]);
  }

  private int stageAt(long step) {
    int i = stages.length - 1;
    while (milestones[i] > step) {
      i--;
    }
    return i;
  }

  @Override
  public double rate(long step) {
    int i = stageAt(Checks.step(step));
    return stages[i].rate(step - milestones[i]);
  }

  @Override
  public void observe(long step, double metric) {
    int i = stageAt(Checks.step(step));
    stages[i].observe(step - milestones[i], metric);
  }

  @Override
  public LearningRateSchedule resolve(long stepsPerEpoch) {
    Checks.atLeast("stepsPerEpoch", stepsPerEpoch, 1);
    List<LearningRateSchedule> resolved = new ArrayList<>(stages.length);
    boolean changed = false;
    for (LearningRateSchedule s : stages) {
      LearningRateSchedule r = s.resolve(stepsPerEpoch);
      changed |= r != s;
      resolved.add(r);
    }
    return changed ? new SequentialSchedule(resolved, userMilestones()) : this;
  }

  private long[] userMilestones() {
    return Arrays.copyOfRange(milestones, 1, milestones.length);
  }

  /**
   * The state of a {@link SequentialSchedule}, written as {@code "chain"}: one state per stage,
   * in order, so a plateau stage keeps what it saw while active.
   *
   * @param stages the state of each stage i ({@link ScheduleState#NONE} for a pure one)
   */
  public record State(List<ScheduleState> stages) implements ScheduleState {}

  /** The state of every stage, in order. */
  @Override
  public State state() {
    List<ScheduleState> states = new ArrayList<>(stages.length);
    for (LearningRateSchedule s : stages) {
      states.add(s.state());
    }
    return new State(Collections.unmodifiableList(states));
  }

  /** Takes back each stage's state; a state that does not fit leaves every stage as it was. */
  @Override
  public void restore(ScheduleState state) {
    if (!(state instanceof State s)) {
      throw new IllegalArgumentException(this + ": expected a chain state, got "
          + (state == null ? "null" : "a state of " + StateJson.typeName(state)));
    }
    if (s.stages() == null || s.stages().size() != stages.length) {
      throw new IllegalArgumentException(this + ": the state holds "
          + (s.stages() == null ? "no" : Integer.toString(s.stages().size()))
          + " stage states; this chain has " + stages.length + " stages");
    }
    List<ScheduleState> saved = new ArrayList<>(stages.length);
    for (LearningRateSchedule stage : stages) {
      saved.add(stage.state());
    }
    for (int i = 0; i < stages.length; i++) {
      try {
        stages[i].restore(s.stages().get(i));
      } catch (IllegalArgumentException e) {
        for (int j = 0; j < i; j++) {
          stages[j].restore(saved.get(j));
        }
        throw new IllegalArgumentException("stage" + i + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SequentialSchedule(");
    for (int i = 0; i < stages.length; i++) {
      if (i > 0) {
        b.append(", from step ").append(milestones[i]).append(": ");
      }
      b.append(stages[i]);
    }
    return b.append(')').toString();
  }
}
