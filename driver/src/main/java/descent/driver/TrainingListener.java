package descent.driver;

/** Receives each step's {@link StepReport}; the CLI prints progress and writes metrics.csv from it. */
@FunctionalInterface
public interface TrainingListener {
  void onStep(StepReport report);

  /** Called once when a run continues from the checkpoint of {@code step}. */
  default void onResume(long step) {}

  /** A listener that ignores every step. */
  TrainingListener NONE = r -> {};
}
