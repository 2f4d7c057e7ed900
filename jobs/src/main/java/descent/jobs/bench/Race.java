package descent.jobs.bench;

import descent.driver.Trainer;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The race to Spark ML's objective: each {@code --race} optimizer trains from zero at full batch
 * until its objective is within 1e-6 relative of what Spark ML's {@code LogisticRegression}
 * reached, and the wall time until then is compared with the fit's. It answers how long descent
 * takes to the same model, where the step tables answer how long a step takes.
 */
final class Race {
  private Race() {}

  /**
   * Trains {@code entry} from zero at full batch until the step's objective (the full objective
   * at the parameters the step starts from) is within 1e-6 relative of {@code target}, or for
   * {@code maxSteps}; the time is the wall time until that evaluation returned.
   *
   * @return the race's JSON object: optimizer, learningRate, stepsToTarget, secondsToTarget
   *     (both null where the target was not reached) and finalGapToMl
   */
  static Map<String, Object> run(RaceEntry entry, TrainingData td, double target,
      long maxSteps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", entry.optimizer());
    m.put("learningRate", entry.lr());
    double bound = target + 1e-6 * Math.abs(target);
    long[] reached = {-1};
    double[] at = {Double.NaN, Double.NaN};
    long start = System.nanoTime();
    TrainingListener listener = r -> {
      at[1] = r.loss();
      if (r.loss() <= bound) {
        reached[0] = r.step();
        at[0] = (System.nanoTime() - start) / 1e9 - r.stepSeconds();
        throw new StopRun();
      }
    };
    TrainingResult result = null;
    try {
      result = new Trainer(entry.config(1e-4, maxSteps), listener).train(td);
    } catch (StopRun e) {
      // The objective met the target.
    }
    if (reached[0] > 0) {
      // The step that evaluated the target objective started from parameters of step k−1.
      m.put("stepsToTarget", reached[0] - 1);
      m.put("secondsToTarget", at[0]);
      m.put("finalGapToMl", (at[1] - target) / Math.abs(target));
    } else {
      m.put("stepsToTarget", null);
      m.put("secondsToTarget", null);
      m.put("finalGapToMl", (result.objective() - target) / Math.abs(target));
    }
    return m;
  }
}
