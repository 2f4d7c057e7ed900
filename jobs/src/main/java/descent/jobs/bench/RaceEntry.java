package descent.jobs.bench;

import descent.driver.ModelType;
import descent.driver.OptimizerConfig;
import descent.driver.TrainingConfig;
import descent.driver.schedule.ScheduleSpec;

/**
 * One raced optimizer of {@code --race}, {@code name[:lr[:T]]}: its name ({@code nesterov} for
 * SGD with Nesterov momentum 0.9), learning rate (the optimizer's default when absent) and the
 * steps of a cosine schedule (constant rate when absent). The race times each from zero to Spark
 * ML's objective.
 */
record RaceEntry(String optimizer, Double lr, Long cosineSteps) {
  static RaceEntry parse(String spec) {
    String[] parts = spec.split(":");
    if (parts.length > 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException("expected name[:lr[:T]], got '" + spec + "'");
    }
    try {
      return new RaceEntry(parts[0], parts.length >= 2 ? Double.valueOf(parts[1]) : null,
          parts.length == 3 ? Long.valueOf(parts[2]) : null);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the learning rate or steps of '" + spec
          + "' is not a number");
    }
  }

  /** The racer's name in the table and the targets: optimizer, rate and schedule. */
  String label() {
    return optimizer + (lr == null ? "" : "_lr" + lr) + (cosineSteps == null ? ""
        : "_cosine" + cosineSteps);
  }

  /** The full-batch logistic training configuration of this racer. */
  TrainingConfig config(double regL2, long maxSteps) {
    OptimizerConfig o = optimizer.equals("nesterov")
        ? new OptimizerConfig("sgd", 0.9, null, true, null, null, null, null, null, null, null,
            null, null, null, null, null, null)
        : OptimizerConfig.named(optimizer);
    TrainingConfig.Builder b = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .regL2(regL2).optimizer(o).maxSteps(maxSteps);
    if (lr != null) {
      b.learningRate(lr);
    }
    if (cosineSteps != null) {
      if (cosineSteps < 1) {
        throw new IllegalArgumentException("the cosine steps must be positive, got "
            + cosineSteps);
      }
      b.schedule(ScheduleSpec.parse("cosine(t-max=" + cosineSteps + ")"));
    }
    return b.build();
  }
}
