package descent.driver;

/**
 * Receives each step's {@link StepReport}; the CLI prints progress and writes the metrics files
 * from it. A listener that also needs the parameters themselves (the CLI's {@code --trace}) says
 * so with {@link #wantsParameters()}; only then does the trainer call {@link #onParameters}, so
 * the step of an ordinary run copies nothing for its listeners.
 */
@FunctionalInterface
public interface TrainingListener {
  void onStep(StepReport report);

  /** Called once when a run continues from the checkpoint of {@code step}. */
  default void onResume(long step) {}

  /** Whether {@link #onParameters} should be called each step; false by default. */
  default boolean wantsParameters() {
    return false;
  }

  /**
   * Called before {@link #onStep} with the step's gradient (of the objective, penalty included,
   * as the optimizer received it), the parameters before the step and after it. The arrays are
   * the trainer's own: read them during the call, never keep or change them.
   */
  default void onParameters(StepReport report, double[] gradient, double[] previous,
      double[] params) {}

  /**
   * Called before stage {@code stage} of {@code stages} of pre-training ({@link Pretraining})
   * runs: the widths of its network {@code [d, n_1 .. n_s, K]}, its steps, and its starting
   * parameters (in the layout of its network, standardized when standardizing; the trainer's
   * own array: read it during the call, never keep or change it).
   */
  default void onStageStart(int stage, int stages, int[] widths, long steps, double[] params) {}

  /**
   * Called after each step of pre-training stage {@code stage}; the report counts the stage's
   * own steps from 1. The run's own steps go to {@link #onStep}.
   */
  default void onStageStep(int stage, StepReport report) {}

  /**
   * Called when a pre-training stage has run, with its outcome and its parameters at the end
   * (the trainer's own array, as in {@link #onStageStart}).
   */
  default void onStageEnd(Pretraining.Stage stage, double[] params) {}

  /** A listener that ignores every step. */
  TrainingListener NONE = r -> {};

  /** A listener that passes every call to each of {@code listeners} in order. */
  static TrainingListener all(TrainingListener... listeners) {
    TrainingListener[] copy = listeners.clone();
    boolean wants = false;
    for (TrainingListener l : copy) {
      wants |= l.wantsParameters();
    }
    boolean anyWants = wants;
    return new TrainingListener() {
      @Override
      public void onStep(StepReport report) {
        for (TrainingListener l : copy) {
          l.onStep(report);
        }
      }

      @Override
      public boolean wantsParameters() {
        return anyWants;
      }

      @Override
      public void onResume(long step) {
        for (TrainingListener l : copy) {
          l.onResume(step);
        }
      }

      @Override
      public void onStageStart(int stage, int stages, int[] widths, long steps,
          double[] params) {
        for (TrainingListener l : copy) {
          l.onStageStart(stage, stages, widths, steps, params);
        }
      }

      @Override
      public void onStageStep(int stage, StepReport report) {
        for (TrainingListener l : copy) {
          l.onStageStep(stage, report);
        }
      }

      @Override
      public void onStageEnd(Pretraining.Stage stage, double[] params) {
        for (TrainingListener l : copy) {
          l.onStageEnd(stage, params);
        }
      }

      @Override
      public void onParameters(StepReport report, double[] gradient, double[] previous,
          double[] params) {
        for (TrainingListener l : copy) {
          if (l.wantsParameters()) {
            l.onParameters(report, gradient, previous, params);
          }
        }
      }
    };
  }
}
