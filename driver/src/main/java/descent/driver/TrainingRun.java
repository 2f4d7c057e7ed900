package descent.driver;

import descent.core.Loss;
import descent.core.MiniBatchPlan;
import descent.driver.optim.Box;
import descent.driver.optim.Newton;
import descent.driver.optim.SparseOptimizer;
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
 *
 * <p><b>Dense or sparse steps.</b> The data chooses: on data whose blocks are all CSR, a step
 * sums, updates and ships only the coordinates its mini-batch touched ({@link SparseSteps}),
 * unless something in the configuration reads or moves every coordinate each step (full batch,
 * second-order methods, clipping, iterate averaging, rounds of local steps, a listener that
 * wants the parameters, box constraints, an update with no sparse form in the chosen
 * {@link Param#SPARSE_UPDATE} mode, equality constraints).
 * {@link #driverStep} says which path the run took and why.
 *
 * <p><b>Equality constraints.</b> With {@link TrainingConfig#equality()}, every evaluation of
 * the objective gets the augmented Lagrangian's term ({@link AugmentedLagrangian}), on the
 * driver, and {@link #check} turns the run's convergence criteria into the end of an inner
 * problem: the multipliers are updated, and the run either ends (the constraints are met) or
 * goes on with a fresh optimizer state on the next inner problem. The step budget is the whole
 * run's, shared by all inner problems in order.
 */
final class TrainingRun implements AutoCloseable {
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
  private final Loss loss;
  /** The optimizer as configured, whose state a checkpoint holds. */
  private final Optimizer base;
  private final ParameterAverage average;
  private final Regularizer regularizer;
  private final boolean secondOrder;
  /** The optimizer with its decorators, built by {@link #start}. */
  private Optimizer optimizer;
  private long clippedSteps;
  /** The sparse update when the run takes sparse steps, else null. */
  private final SparseOptimizer sparseOptimizer;
  /** The sparse steps, built by {@link #start}; null for a dense run. */
  private SparseSteps sparse;
  /** Which step the run takes: "sparse (exact)", "sparse (lazy)", "dense" or "dense: why". */
  final String driverStep;
  private final double[] before;
  /** Null, or {@code 1/σ_j} per coefficient when standardizing. */
  private final double[] inverseStd;
  /** The outer loop of equality constraints, or null without them. */
  private final AugmentedLagrangian equality;
  /** The objective the optimizer probes: {@link #objective}, augmented under constraints. */
  private final ObjectiveFunction stepObjective;
  /** The box of the trained parameters (standardized when standardizing), or null. */
  private final Box box;
  /** The {@code treeAggregate} depth of every pass. */
  private final int depth;
  /** What pre-training did before the steps, or null: set by the trainer, kept by checkpoints. */
  Pretraining.Report pretrain;

  /** What one step did, for the report, the listener and the stop criteria. */
  record Stepped(double value, double gradientNorm, double stepNorm, long rows, boolean clipped,
      double[] gradient, double[] before) {}

  TrainingRun(TrainingConfig config, TrainingData data, TrainingData validationData,
      boolean listenerWantsParameters, boolean denseSteps) {
    this.config = config;
    int d = data.numFeatures();
    boolean fitIntercept = config.fitIntercept();
    // A softmax model without --num-classes learns K from the labels (one small job).
    Loss loss = config.loss(config.learnsClasses() ? data.labelClasses() : 0);
    this.loss = loss;
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
            + numParams + (!loss.isLinear() ? " (" + loss + " of " + d + " features)"
                : " (" + d + " features" + (loss.numOutputs() > 1 ? " for each of "
                + loss.numOutputs() + " classes" : "") + (fitIntercept ? " and an intercept)"
                : ")"))));
      }
      System.arraycopy(config.initialParams(), 0, params, 0, numParams);
    } else {
      // A network starts from weights drawn with the seed; a convex model from zero.
      double[] start = loss.initialParams(d, fitIntercept, config.seed());
      if (start != null) {
        System.arraycopy(start, 0, params, 0, numParams);
      }
    }
    if (config.equality() != null) {
      config.equality().checkFits(numCoefficients, d, loss.numOutputs());
    }
    // The bounds' counts are checked against the model before any training job.
    Box givenBox = config.bounds() == null ? null
        : config.bounds().resolve(d, loss.numOutputs(), fitIntercept);
    rows = data.totalRows();
    batch = config.resolveBatchSize(rows);
    plan = new MiniBatchPlan(data.partitionRows(), batch);
    maxSteps = config.resolveMaxSteps(rows, batch);
    Optimizer configured = config.optimizer().create(numCoefficients);
    secondOrder = configured.isSecondOrder();
    if (configured.usesHessian() && numParams > Newton.MAX_PARAMETERS) {
      throw Param.OPTIMIZER.invalid(configured.name() + " keeps a " + numParams + "x" + numParams
          + " Hessian; it takes at most " + Newton.MAX_PARAMETERS + " parameters. Use "
          + Param.OPTIMIZER.ref() + " lbfgs for this model.");
    }
    sc = data.blocks().context();
    depth = config.aggregationDepth(data.partitionRows().length,
        configured.usesHessian() ? (long) numParams * numParams + numParams
            : partialSumValues(data, loss.numOutputs()));
    regularizer = config.regularizer();
    clipper = config.clipper();
    average = config.averaging(maxSteps);
    // A fresh schedule from the configured rate, with data-dependent defaults filled in.
    schedule = config.newSchedule((rows + batch - 1) / batch);
    double[] scale = config.standardize() ? standardScale(data, d, depth) : null;
    inverseStd = scale;
    box = givenBox == null || scale == null ? givenBox : givenBox.scaled(scale);
    base = box == null ? configured : configured.bounded(box);
    objective = new BatchObjective(data.blocks(), plan, loss, fitIntercept, regularizer, scale,
        depth, numParams);
    equality = config.equality() == null ? null
        : new AugmentedLagrangian(config.equality(), numParams, scale);
    stepObjective = equality == null ? objective : equality.objective(objective);
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
    String dense = !data.isSparse() ? "" : denseSteps ? "the dense step was asked for"
        : denseReason(listenerWantsParameters);
    SparseOptimizer.Choice choice = dense == null ? SparseOptimizer.of(config.optimizer(),
        regularizer, numParams, numCoefficients, config.sparseUpdate()) : null;
    if (choice != null && !choice.isSparse()) {
      dense = choice.reason();
    }
    sparseOptimizer = choice != null && choice.isSparse() ? choice.optimizer() : null;
    driverStep = sparseOptimizer != null ? "sparse (" + sparseOptimizer.mode().flag() + ")"
        : dense.isEmpty() ? "dense" : "dense: " + dense;
    before = sparseOptimizer == null ? new double[numParams] : null;
  }

  /**
   * The greedy layer-wise pre-training of this run's network on {@code data}, sharing the run's
   * plan, feature scale and aggregation depth; it reports to {@code listener}.
   */
  Pretraining pretraining(TrainingData data, TrainingListener listener) {
    if (!(loss instanceof descent.core.MlpLoss network)) {
      throw new IllegalStateException("pre-training needs a network, not " + loss);
    }
    return new Pretraining(config, network, data, plan, inverseStd, depth, listener);
  }

  /**
   * Why a run on sparse data keeps the dense step, or null when nothing in the configuration
   * stops a sparse one.
   */
  private String denseReason(boolean listenerWantsParameters) {
    if (!loss.isLinear()) {
      return "a network's step moves every weight of its layers";
    }
    if (config.equality() != null) {
      return "equality constraints add their gradient on their coefficients every step";
    }
    if (rounds != null) {
      return "rounds of local steps average the workers' dense parameter changes";
    }
    if (box != null) {
      return "bounds: the projection onto the box reads every coordinate each step";
    }
    if (secondOrder) {
      return base.name() + " is a second-order method, which steps over every coordinate";
    }
    if (batch == rows) {
      return "a full batch touches every feature the data has";
    }
    if (clipper.active()) {
      return "gradient clipping reads the penalty's gradient on every coordinate";
    }
    if (average != null) {
      return "iterate averaging adds every coordinate each step";
    }
    if (listenerWantsParameters) {
      return "the parameter trace records every coordinate each step";
    }
    return null;
  }

  /**
   * The values a task's partial gradient sum holds about: every parameter on dense data; on
   * sparse data the coordinates a partition's window of a step touches at most (its rows times
   * the values a row stores, for each output, plus the intercepts), at 12 bytes a sparse entry
   * against 8 a dense value, and never more than the parameters. So a mini-batch of sparse
   * rows merges its small partial sums on the driver, in partition order, whatever the width
   * of the model.
   */
  private long partialSumValues(TrainingData data, int outputs) {
    if (!data.isSparse()) {
      return numParams;
    }
    int partitions = Math.max(1, data.partitionRows().length);
    double windowRows = Math.ceil((double) batch / partitions);
    double perRow = (double) data.storedValues() / Math.max(1, rows);
    double touched = windowRows * perRow * outputs + outputs;
    return (long) Math.min(numParams, Math.ceil(1.5 * touched));
  }

  /**
   * {@code 1/σ_j} per coefficient (one distributed pass), and the initial parameters, given in
   * the original scale, moved to the standardized one: {@code w' = w·σ}.
   */
  private double[] standardScale(TrainingData data, int d, int depth) {
    sc.setJobDescription("descent feature standard deviations");
    double[] perFeature = FeatureScaling.inverseStd(data.blocks(), d, depth);
    double[] scale = new double[numCoefficients];
    // The coefficients of the features themselves (a network's first layer); the others keep 1.
    int inputs = loss.numInputCoefficients(d);
    for (int k = 0; k < inputs; k += Math.max(1, d)) {
      System.arraycopy(perFeature, 0, scale, k, d);
    }
    java.util.Arrays.fill(scale, inputs, numCoefficients, 1.0);
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
    double f = secondOrder && batch == rows ? objective.value(at) : objective.fullObjective(at);
    return equality == null ? f : f + equality.term(at);
  }

  /**
   * The reason to stop after the step {@code p} describes, or null to go on. Under equality
   * constraints a criterion that says the inner problem converged (gradient norm, tolerance,
   * step size, no progress) takes the outer step instead: the run ends with that reason when
   * the constraints are met, else the next inner problem starts, with the optimizer's state
   * and the tolerance's memory cleared, unless the step budget is used up.
   */
  StopReason check(StopCriterion.Progress p) {
    StopReason reason = stop.check(p);
    if (equality == null || reason == null || !endsInnerProblem(reason)) {
      return reason;
    }
    if (equality.update(params)) {
      return reason;
    }
    base.restore(config.optimizer().create(numCoefficients).state());
    stop.restorePreviousObjective(Double.NaN);
    return stop.exhausted(p.step());
  }

  private static boolean endsInnerProblem(StopReason reason) {
    return switch (reason) {
      case GRADIENT_NORM, TOLERANCE, MIN_STEP_SIZE, NO_PROGRESS -> true;
      default -> false;
    };
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
      if (sparseOptimizer != null) {
        sparseOptimizer.restore(c.optimizerState(), params);
      } else {
        base.restore(c.optimizerState());
      }
      schedule.restore(c.scheduleState());
      if (average != null && c.average() != null) {
        average.restore(c.average());
      }
      TrainerState t = c.trainer();
      divergence.restore(t.firstLoss());
      stop.restorePreviousObjective(t.previousObjective());
      clippedSteps = t.clippedSteps();
      validation.restore(t.validation());
      if (equality != null) {
        equality.restore(c.equality());
      }
    } else if (box != null) {
      // A start outside the box (zeros, --initial-params) begins at its projection.
      box.project(params);
    }
    optimizer = base;
    // Rounds apply the L1 threshold in every inner step, on the workers.
    if (regularizer.hasProx() && rounds == null) {
      optimizer = new ProximalOptimizer(optimizer, regularizer, numCoefficients);
    }
    if (box != null) {
      optimizer = new ProjectedOptimizer(optimizer, box);
    }
    if (average != null) {
      optimizer = new AveragedOptimizer(optimizer, average, step);
    }
    if (sparseOptimizer != null) {
      sparse = new SparseSteps(objective, sparseOptimizer,
          SparseSteps.shippingFor(sc, sparseOptimizer, numParams), divergence, params,
          numCoefficients, inverseStd);
    }
    return step;
  }

  /**
   * Step {@code step} (1-based) with learning rate {@code lr}: evaluates the window of
   * {@code step − 1}, stops a diverging loss, clips, and moves {@link #params} (which hold
   * {@code v} rather than {@code w} during a sparse run: see {@link #parameters()}).
   */
  Stepped step(long step, double lr) {
    if (sparse != null) {
      SparseSteps.Outcome o = sparse.step(step, lr);
      return new Stepped(o.value(), o.gradientNorm(), o.stepNorm(), o.rows(), false, null,
          null);
    }
    Evaluation raw = evaluate(step - 1);
    divergence.checkLoss(step, raw.value(), lr);
    // Under bounds the gradient need not vanish at the solution; its projected step does.
    double gradNorm = box == null ? Trainer.norm(raw.gradient())
        : box.projectedGradientNorm(params, raw.gradient());
    Evaluation at = clip(raw);
    System.arraycopy(params, 0, before, 0, params.length);
    optimizer.step(params, at, stepObjective, lr);
    double stepNorm = divergence.checkStep(step, raw.value(), before, params, lr);
    return new Stepped(raw.value(), gradNorm, stepNorm, at.rows(), at != raw, at.gradient(),
        before);
  }

  /**
   * The parameters {@code w} now: {@link #params} itself in a dense run, put together from the
   * scale and {@code v} (O(d)) in a sparse one.
   */
  double[] parameters() {
    return sparse == null ? params : sparse.parameters();
  }

  /** The objective of the mini-batch of 0-based {@code step} at {@link #params}. */
  Evaluation evaluate(long step) {
    if (rounds != null) {
      return rounds.evaluate(step, params);
    }
    objective.window(secondOrder ? 0 : step);
    return base.usesHessian() ? stepObjective.evaluateWithHessian(params)
        : stepObjective.evaluate(params);
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
    if (sparse != null) {
      sparse.catchUp();
    }
    return new Checkpoint(step, params.clone(), base.name(),
        sparseOptimizer != null ? sparseOptimizer.state() : base.state(), schedule.state(),
        average == null ? null : average.state(), new TrainerState(divergence.firstLoss(),
            stop.previousObjective(), clippedSteps, validation.state()), fingerprint,
        equality == null ? null : equality.state(), pretrain);
  }

  /**
   * The result after {@code steps} steps: the best parameters on validation data after early
   * stopping, else what the optimizer finalises (the average, or the last iterate), with the
   * full objective there.
   */
  TrainingResult finish(StopReason reason, long steps, double seconds) {
    if (sparse != null) {
      sparse.catchUp();
      close();
    }
    String holds = reason == StopReason.EARLY_STOPPING ? validation.restoreBest(params) : null;
    if (holds == null) {
      holds = optimizer.finalise(params);
    }
    sc.setJobDescription("descent final objective");
    descent.core.BatchNormStatistics norm = loss instanceof descent.core.MlpLoss network
        && network.batchNorm() ? objective.inferenceStatistics(params) : null;
    double value = objective.fullObjective(params, norm);
    sc.setJobDescription(null);
    AugmentedLagrangian.Report constraints = equality == null ? null : equality.report(params);
    double[] finalParams = objective.toOriginal(params);
    if (finalParams == params) {
      finalParams = params.clone();
    }
    return new TrainingResult(finalParams, steps, epoch(steps), reason, value, batch,
        seconds, objective.passes() + validation.passes()
            + (rounds == null ? 0 : rounds.passes()), clippedSteps, holds,
        validation.best(), driverStep, constraints, pretrain, norm);
  }

  /** Destroys the broadcasts of a sparse run's parameters; nothing for a dense run. */
  @Override
  public void close() {
    if (sparse != null) {
      sparse.close();
    }
  }
}
