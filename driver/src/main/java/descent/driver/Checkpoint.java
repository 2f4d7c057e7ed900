package descent.driver;

import descent.driver.schedule.ScheduleState;
import java.util.Map;

/**
 * Everything the training loop needs to continue bit for bit: the step, the parameters (in the
 * space the optimizer works in, standardized when standardizing), the optimizer's, schedule's
 * and average's states, the loop's own state, and the fingerprint of the configuration and the
 * data it belongs to. Saved as JSON by {@link Checkpoints}, never Java-serialized.
 *
 * @param average the iterate average's state, or null when the run keeps none
 * @param equality the augmented Lagrangian's outer state (multipliers, penalty, outer
 *     iterations), or null when the run has no equality constraints
 * @param pretrain what pre-training did before the run's steps ({@link Pretraining}), or null
 *     when the run has none; a checkpoint is only taken after it, so a resumed run does not
 *     pre-train again
 */
public record Checkpoint(long step, double[] params, String optimizer,
    OptimizerState optimizerState, ScheduleState scheduleState,
    ParameterAverage.State average, TrainerState trainer, Map<String, String> fingerprint,
    AugmentedLagrangian.State equality, Pretraining.Report pretrain) {

  /** A checkpoint of a run without pre-training. */
  public Checkpoint(long step, double[] params, String optimizer, OptimizerState optimizerState,
      ScheduleState scheduleState, ParameterAverage.State average, TrainerState trainer,
      Map<String, String> fingerprint, AugmentedLagrangian.State equality) {
    this(step, params, optimizer, optimizerState, scheduleState, average, trainer, fingerprint,
        equality, null);
  }

  /** A checkpoint of a run without equality constraints. */
  public Checkpoint(long step, double[] params, String optimizer, OptimizerState optimizerState,
      ScheduleState scheduleState, ParameterAverage.State average, TrainerState trainer,
      Map<String, String> fingerprint) {
    this(step, params, optimizer, optimizerState, scheduleState, average, trainer, fingerprint,
        null, null);
  }
}
