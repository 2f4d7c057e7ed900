package descent.driver;

import descent.core.Loss;
import descent.core.MiniBatchPlan;
import descent.driver.optim.Newton;
import descent.driver.schedule.LearningRateSchedule;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;

/**
 * One run's parts, set up from the configuration and the data before the first step: the loss,
 * the parameters, the mini-batch plan, the objective, the optimizer with its decorators, the
 * schedule, the clipper, the stop criteria, the divergence guard and the validation monitor. It
 * also turns their states into a {@link Checkpoint} and back, and assembles the result. The
 * {@link Trainer} only sequences them.
 */
final class TrainingRun {
  final TrainingConfig config;
  final SparkContext sc;
  final int numParams;
  final int numCoefficients;
  final long rows;
  final long batch;
  final MiniBatchPlan plan;
  final long maxSteps;
  final BatchObjective objective;
  /** The round of local steps that replaces a step's evaluation, or null for synchronous steps. */
  final RoundObjective rounds;
  final LearningRateSchedule schedule;
  final GradientClipper clipper;
  final DivergenceGuard divergence = new DivergenceGuard();
  final ValidationMonitor validation;
  final StopCriteria stop;
  final double[] params;
  /** The optimizer as configured, whose state a checkpoint holds. */
  private final Optimizer base;
  private final ParameterAverage average;
  private final Regularizer regularizer;
  private final boolean secondOrder;
  /** The optimizer with its decorators, built by {@link #start}. */
  private Optimizer optimizer;
  private long clippedSteps;

  TrainingRun(TrainingConfig config, TrainingData data, TrainingData validationData) {
    this.config = config;
    int d = data.numFeatures();
    boolean fitIntercept = config.fitIntercept();
    // A softmax model without --num-classes learns K from the labels (one small job).
    Loss loss = config.loss(config.modelType().isMulticlass() && config.numClasses() == null
        ? data.labelClasses() : 0);
    numParams = loss.numParams(d, fitIntercept);
    numCoefficients = loss.numCoefficients(d);
    if (validationData != null && validationData.numFeatures() != d) {
      throw new IllegalArgumentException("the validation data has "
          + validationData.numFeatures() + " features; the training data has " + d);
    }
    if (config.patience() != null && validationData == null) {
      throw Param.PATIENCE.invalid("needs validation data (" + Param.VALIDATION_FRACTION.ref()
          + " or " + Param.VALIDATION_DATA.ref() + ")");
    }
    params = new double[numParams];
    if (config.initialParams() != null) {
      if (config.initialParams().length != numParams) {
        throw new InvalidConfigException(ConfigProblem.of(Param.INITIAL_PARAMS,
            "initial parameters have " + config.initialParams().length + " values; the model has "
            + numParams + " (" + d + " features" + (loss.numOutputs() > 1 ? " for each of "
                + loss.numOutputs() + " classes" : "") + (fitIntercept ? " and an intercept)"
                : ")")));
      }
      System.arraycopy(config.initialParams(), 0, params, 0, numParams);
    }
    rows = data.totalRows();
    batch = config.resolveBatchSize(rows);
    plan = new MiniBatchPlan(data.partitionRows(), batch);
    maxSteps = config.resolveMaxSteps(rows, batch);
    base = config.optimizer().create(numCoefficients);
    secondOrder = base.isSecondOrder();
    if (base.usesHessian() && numParams > Newton.MAX_PARAMETERS) {
      throw Param.OPTIMIZER.invalid(base.name() + " keeps a " + numParams + "x" + numParams
          + " Hessian; it takes at most " + Newton.MAX_PARAMETERS + " parameters. Use "
          + Param.OPTIMIZER.ref() + " lbfgs for this model.");
    }
    sc = data.blocks().context();
    int depth = config.aggregationDepth(data.partitionRows().length,
        base.usesHessian() ? (long) numParams * numParams + numParams : numParams);
    regularizer = config.regularizer();
    clipper = config.clipper();
    average = config.averaging(maxSteps);
    // A fresh schedule from the configured rate, with data-dependent defaults filled in.
    schedule = config.newSchedule((rows + batch - 1) / batch);
    double[] scale = config.standardize() ? standardScale(data, d, depth) : null;
    objective = new BatchObjective(data.blocks(), plan, loss, fitIntercept, regularizer, scale,
        depth, numParams);
    rounds = config.localSteps().enabled() ? new RoundObjective(data.blocks(),
        new descent.core.LocalRound(plan, loss, fitIntercept, numParams, numCoefficients,
            config.localSteps().inner(), config.localSteps().momentum(), config.regL2(),
            config.regL1(), scale), config.localSteps(),
        config.localSteps().newInnerSchedule((rows + batch - 1) / batch), regularizer, numParams,
        numCoefficients, depth) : null;
    validation = new ValidationMonitor(validationData, loss, fitIntercept, depth,
        config.evalEvery(), objective);
    boolean epochBound = config.epochs() != null
        && (config.maxSteps() == null || config.epochSteps(rows, batch) <= config.maxSteps());
    stop = StopCriteria.of(config, maxSteps, epochBound ? StopReason.EPOCHS
        : StopReason.MAX_STEPS, secondOrder, validation, this::objectiveForTolerance);
  }

  /**
   * {@code 1/σ_j} per coefficient (one distributed pass), and the initial parameters, given in
   * the original scale, moved to the standardized one: {@code w' = w·σ}.
   */
  private double[] standardScale(TrainingData data, int d, int depth) {
    sc.setJobDescription("descent feature standard deviations");
    double[] perFeature = FeatureScaling.inverseStd(data.blocks(), d, depth);
    double[] scale = new double[numCoefficients];
    for (int k = 0; k < numCoefficients; k += Math.max(1, d)) {
      System.arraycopy(perFeature, 0, scale, k, d);
    }
    if (config.initialParams() != null) {
      for (int j = 0; j < numCoefficients; j++) {
        params[j] = scale[j] == 0 ? 0.0 : params[j] / scale[j];
      }
    }
    return scale;
  }

  /** The full objective; at full batch a second-order method has just evaluated it. */
  private double objectiveForTolerance(long step, double[] at) {
    sc.setJobDescription("descent objective at step " + step);
    return secondOrder && batch == rows ? objective.value(at) : objective.fullObjective(at);
  }

  /** The fingerprint a checkpoint of this run carries: the configuration's and the data's shape. */
  Map<String, String> fingerprint(Checkpoints checkpoints, TrainingData data) {
    Map<String, String> shape = new TreeMap<>(config.fingerprint());
    shape.put("data.rows", Long.toString(rows));
    shape.put("data.partitionRows", Arrays.toString(data.partitionRows()));
    shape.put("data.features", Integer.toString(data.numFeatures()));
    return checkpoints.fingerprint(shape);
  }

  /**
   * Continues from {@code c} when given, then wraps the optimizer in its decorators; returns the
   * step to start after.
   */
  long start(Checkpoint c) {
    long step = 0;
    if (c != null) {
      if (c.params().length != numParams || !c.optimizer().equals(base.name())) {
        throw new IllegalArgumentException("the checkpoint of step " + c.step() + " holds "
            + c.params().length + " parameters of " + c.optimizer() + "; this run has "
            + numParams + " of " + base.name());
      }
      step = c.step();
      System.arraycopy(c.params(), 0, params, 0, numParams);
      base.restore(c.optimizerState());
      schedule.restore(c.scheduleState());
      if (average != null && c.average() != null) {
        average.restore(c.average());
      }
      TrainerState t = c.trainer();
      divergence.restore(t.firstLoss());
      stop.restorePreviousObjective(t.previousObjective());
      clippedSteps = t.clippedSteps();
      validation.restore(t.validation());
    }
    optimizer = base;
    // Rounds apply the L1 threshold in every inner step, on the workers.
    if (regularizer.hasProx() && rounds == null) {
      optimizer = new ProximalOptimizer(optimizer, regularizer, numCoefficients);
    }
    if (average != null) {
      optimizer = new AveragedOptimizer(optimizer, average, step);
    }
    return step;
  }

  /** The objective of the mini-batch of 0-based {@code step} at {@link #params}. */
  Evaluation evaluate(long step) {
    if (rounds != null) {
      return rounds.evaluate(step, params);
    }
    objective.window(secondOrder ? 0 : step);
    return base.usesHessian() ? objective.evaluateWithHessian(params)
        : objective.evaluate(params);
  }

  /** {@code at} with its gradient clipped, or {@code at} itself when the clipper did not fire. */
  Evaluation clip(Evaluation at) {
    if (!clipper.active()) {
      return at;
    }
    double[] g = at.gradient().clone();
    if (!clipper.clip(g)) {
      return at;
    }
    clippedSteps++;
    return new Evaluation(at.value(), g, at.hessian(), at.rows());
  }

  /** Epochs done after {@code steps} steps (rounds, with local steps). */
  double epoch(long steps) {
    return plan.epoch(rounds == null ? steps : config.localSteps().planSteps(steps));
  }

  /** The schedule's rate for 0-based {@code step}, refused when it is not a finite rate. */
  double rate(long step) {
    double lr = schedule.rate(step);
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("the schedule " + schedule + " gave learning rate " + lr
          + " at step " + (step + 1));
    }
    return lr;
  }

  /** The optimizer's step, in place on {@link #params}. */
  void step(Evaluation at, double lr) {
    optimizer.step(params, at, objective, lr);
  }

  /**
   * Shows the schedule the metric it monitors after 1-based {@code step}: the validation loss at
   * each evaluation when there is validation data, else the step's mini-batch loss.
   */
  void observe(long step, double batchLoss, double validationLoss) {
    if (!validation.active()) {
      schedule.observe(step - 1, batchLoss);
    } else if (!Double.isNaN(validationLoss)) {
      schedule.observe(step - 1, validationLoss);
    }
  }

  /** Every part's state after 1-based {@code step}. */
  Checkpoint checkpoint(long step, Map<String, String> fingerprint) {
    return new Checkpoint(step, params.clone(), base.name(), base.state(), schedule.state(),
        average == null ? null : average.state(), new TrainerState(divergence.firstLoss(),
            stop.previousObjective(), clippedSteps, validation.state()), fingerprint);
  }

  /**
   * The result after {@code steps} steps: the best parameters on validation data after early
   * stopping, else what the optimizer finalises (the average, or the last iterate), with the
   * full objective there.
   */
  TrainingResult finish(StopReason reason, long steps, double seconds) {
    String holds = reason == StopReason.EARLY_STOPPING ? validation.restoreBest(params) : null;
    if (holds == null) {
      holds = optimizer.finalise(params);
    }
    sc.setJobDescription("descent final objective");
    double value = objective.fullObjective(params);
    sc.setJobDescription(null);
    double[] finalParams = objective.toOriginal(params);
    if (finalParams == params) {
      finalParams = params.clone();
    }
    return new TrainingResult(finalParams, steps, epoch(steps), reason, value, batch,
        seconds, objective.passes() + validation.passes()
            + (rounds == null ? 0 : rounds.passes()), clippedSteps, holds,
        validation.best());
  }
}
