package descent.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a finished run reports about itself, the same from the command line (model.json's
 * {@code "training"}) and from the Spark ML API (the model's {@code trainingSummary()}, saved with
 * it): the outcome, the settings that shaped it, and the data's shape. {@code stopReason} is
 * written as its id ({@code max_steps}). A front end adds what only it knows through
 * {@link #withData} and {@link #withInitialModel}; {@link #toMap()} gives the fields in model.json's
 * order, leaving out those not set. With equality constraints, {@code equality} holds the
 * multipliers and residuals ({@link AugmentedLagrangian.Report}); {@code bounds} holds the
 * {@link BoxConstraints} as given, null for none; {@code pretrain} what greedy layer-wise
 * pre-training did ({@link Pretraining.Report}), null without it.
 */
public record TrainingSummary(long steps, double epochs, double objective, StopReason stopReason,
    String optimizer, String optimizerSettings, Integer numClasses, double learningRate,
    String schedule, long batchSize, double regL2, double regL1, boolean standardize,
    String clipping, long clippedSteps, String parameters, double bestValidationLoss,
    long passes, long seed, long rows, int partitions, String data, String format,
    double seconds, String initialModel, Long initialModelSteps, String driverStep,
    Map<String, Object> localSteps, AugmentedLagrangian.Report equality,
    BoxConstraints bounds, Pretraining.Report pretrain) {

  /** The summary of {@code result}, a run of {@code config} on {@code data}. */
  public static TrainingSummary of(TrainingConfig config, TrainingData data,
      TrainingResult result) {
    return new TrainingSummary(result.steps(), result.epochs(), result.objective(),
        result.stopReason(), config.optimizer().name(),
        config.optimizer().create(data.numFeatures()).toString(), config.numClasses(),
        config.learningRate(), config.scheduleDescription(), result.batchSize(), config.regL2(),
        config.regL1(), config.standardize(), config.clipper().toString(), result.clippedSteps(),
        result.parameters(), result.bestValidationLoss(), result.passes(), config.seed(),
        data.totalRows(), data.partitionRows().length, null, null, result.seconds(), null, null,
        result.driverStep(), config.localSteps().enabled() ? config.localSteps().toMap() : null,
        result.equality(), config.bounds(), result.pretrain());
  }

  /** This summary with where the data came from: its path (redacted) and format. */
  public TrainingSummary withData(String path, String format) {
    return new TrainingSummary(steps, epochs, objective, stopReason, optimizer,
        optimizerSettings, numClasses, learningRate, schedule, batchSize, regL2, regL1,
        standardize, clipping, clippedSteps, parameters, bestValidationLoss, passes, seed, rows,
        partitions, path, format, seconds, initialModel, initialModelSteps, driverStep,
        localSteps, equality, bounds, pretrain);
  }

  /** This summary with the model the run started from and the steps it had (null: unknown). */
  public TrainingSummary withInitialModel(String path, Long steps) {
    return new TrainingSummary(this.steps, epochs, objective, stopReason, optimizer,
        optimizerSettings, numClasses, learningRate, schedule, batchSize, regL2, regL1,
        standardize, clipping, clippedSteps, parameters, bestValidationLoss, passes, seed, rows,
        partitions, data, format, seconds, path, steps, driverStep, localSteps, equality, bounds,
        pretrain);
  }

  /** The fields by name, in model.json's order; unset ones (null, a NaN loss) are left out. */
  public Map<String, Object> toMap() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("steps", steps);
    s.put("epochs", epochs);
    s.put("objective", objective);
    s.put("stopReason", stopReason.id());
    s.put("optimizer", optimizer);
    s.put("optimizerSettings", optimizerSettings);
    if (numClasses != null) {
      s.put("numClasses", numClasses);
    }
    s.put("learningRate", learningRate);
    s.put("schedule", schedule);
    s.put("batchSize", batchSize);
    s.put("regL2", regL2);
    s.put("regL1", regL1);
    s.put("standardize", standardize);
    s.put("clipping", clipping);
    s.put("clippedSteps", clippedSteps);
    s.put("parameters", parameters);
    if (!Double.isNaN(bestValidationLoss)) {
      s.put("bestValidationLoss", bestValidationLoss);
    }
    if (bounds != null) {
      s.put("bounds", bounds.toMap());
    }
    if (driverStep != null) {
      s.put("driverStep", driverStep);
    }
    if (localSteps != null) {
      s.put("localSteps", localSteps);
    }
    if (pretrain != null) {
      s.put("pretrain", pretrain.toMap());
    }
    if (equality != null) {
      s.put("equality", equality.toMap());
    }
    s.put("passes", passes);
    s.put("seed", seed);
    s.put("rows", rows);
    s.put("partitions", partitions);
    if (data != null) {
      s.put("data", data);
    }
    if (format != null) {
      s.put("format", format);
    }
    s.put("seconds", seconds);
    if (initialModel != null) {
      s.put("initialModel", initialModel);
    }
    if (initialModelSteps != null) {
      s.put("initialModelSteps", initialModelSteps);
    }
    return s;
  }
}
