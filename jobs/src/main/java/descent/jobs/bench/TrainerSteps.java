package descent.jobs.bench;

import descent.driver.ModelType;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;

/**
 * 1 % steps of plain SGD through {@link Trainer}, the loop a training run takes (the step's job,
 * then the schedule, the optimizer, the divergence and stop checks and the listener), where
 * {@link DescentSteps} calls the objective and updates the parameters by hand: the difference is
 * what the loop costs a step.
 */
final class TrainerSteps {
  private TrainerSteps() {}

  /**
   * {@code steps} steps of batch {@code batch}. The listener ends the run after the last step, so
   * no final objective pass is timed with it; what a call sets up before its first step (the
   * configuration's checks, the plan, the optimizer's state) is shared by its steps, as a
   * training run shares it.
   */
  static void run(TrainingData td, long batch, int steps) {
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .fitIntercept(false).optimizer("sgd").learningRate(0.1).batchSize(batch)
        .maxSteps((long) steps + 1).minStepSize(0).gradTol(0).build();
    long last = steps;
    TrainingListener listener = r -> {
      if (r.step() == last) {
        throw new StopRun();
      }
    };
    try {
      new Trainer(config, listener).train(td);
    } catch (StopRun e) {
      return;
    }
    throw new IllegalStateException("the Trainer stopped before step " + last);
  }
}
