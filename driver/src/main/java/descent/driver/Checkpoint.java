package descent.driver;

import descent.driver.schedule.ScheduleState;
import java.util.Map;

/**
 * Everything the training loop needs to continue bit for bit: the step, the parameters (in the
 * space the optimizer works in, standardized when standardizing), the optimizer's, schedule's
 * and average's states, the stop criteria's memory, and the fingerprint of the configuration and
 * the data it belongs to. Saved as JSON by {@link Checkpoints}, never Java-serialized.
 *
 * @param trainer the loop's own counters: {@code firstLoss}, {@code previousObjective},
 *     {@code bestValidation}, {@code bestStep}, {@code evaluationsSinceBest},
 *     {@code clippedSteps} (one value each) and {@code bestParams} when validation data exists
 */
public record Checkpoint(long step, double[] params, String optimizer,
    OptimizerState optimizerState, ScheduleState scheduleState,
    Map<String, double[]> averageState, Map<String, double[]> trainer,
    Map<String, String> fingerprint) {}
