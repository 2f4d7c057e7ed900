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
