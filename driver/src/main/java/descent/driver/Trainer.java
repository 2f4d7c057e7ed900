package descent.driver;

import descent.core.Loss;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import descent.core.MiniBatchPlan;
import descent.driver.optim.Newton;
import descent.driver.schedule.LearningRateSchedule;
import org.apache.spark.SparkContext;

/**
 * The driver loop. Each step broadcasts the parameters, aggregates the loss and gradient of the
 * step's mini-batch window with {@code treeAggregate} (plus the L2 penalty's gradient), clips the
 * gradient, lets the {@link Optimizer} take the step with the schedule's learning rate, applies
 * the L1 soft threshold, and feeds the iterate average. Second-order optimizers evaluate one
 * fixed batch and probe it themselves.
 *
 * <p>It stops on the first of: the step budget, the epoch budget, a step smaller than
 * {@code minStepSize}, a gradient norm at most {@code gradTol}, a relative change of the full
 * objective below {@code tol}, a second-order method that finds no lower point, or
 * {@code patience} validation evaluations without a new best (the best parameters are then
 * returned). A NaN, infinite or exploding loss stops it at once with a
 * {@link DivergenceException}.
 */
public final class Trainer {
  /** A loss above this many times the first step's loss counts as divergence. */
  public static final double DIVERGENCE_FACTOR = 1e6;

  private final TrainingConfig config;
  private final TrainingListener listener;
  private Checkpoints checkpoints;

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config.validate();
    this.listener = listener;
  }

  /**
   * Writes a checkpoint every {@code checkpoints.every()} steps and, when
   * {@code checkpoints.resume()}, starts from the newest one of this run.
   */
  public Trainer withCheckpoints(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
    return this;
  }

  /** Trains on {@code data} and returns the final parameters and summary. */
  public TrainingResult train(TrainingData data) {
    return train(data, null);
  }

  /**
   * Trains on {@code data}; when {@code validation} is given, its mean loss (no penalty) is
   * evaluated every {@code evalEvery} steps for early stopping with {@code patience}.
   */
  public TrainingResult train(TrainingData data, TrainingData validation) {
    long start = System.nanoTime();
    int d = data.numFeatures();
    boolean fitIntercept = config.fitIntercept();
    // A softmax model without --num-classes learns K from the labels (one small job).
    Loss loss = config.loss(config.modelType().isMulticlass() && config.numClasses() == null
        ? data.labelClasses() : 0);
    int numParams = loss.numParams(d, fitIntercept);
    int numCoefficients = loss.numCoefficients(d);
    if (validation != null && validation.numFeatures() != d) {
      throw new IllegalArgumentException("the validation data has " + validation.numFeatures()
          + " features; the training data has " + d);
    }
    if (config.patience() != null && validation == null) {
      throw Param.PATIENCE.invalid("needs validation data (" + Param.VALIDATION_FRACTION.ref()
          + " or " + Param.VALIDATION_DATA.ref() + ")");
    }
    double[] params = new double[numParams];
    if (config.initialParams() != null) {
      if (config.initialParams().length != numParams) {
        throw new InvalidConfigException(ConfigProblem.of(Param.INITIAL_PARAMS,
            "initial parameters have " + config.initialParams().length
            + " values; the model has " + numParams + " (" + d + " features"
            + (loss.numOutputs() > 1 ? " for each of " + loss.numOutputs() + " classes" : "")
            + (fitIntercept ? " and an intercept)" : ")")));
      }
      System.arraycopy(config.initialParams(), 0, params, 0, numParams);
    }
    long n = data.totalRows();
    long batch = config.resolveBatchSize(n);
    MiniBatchPlan plan = new MiniBatchPlan(data.partitionRows(), batch);
    long maxSteps = config.resolveMaxSteps(n, batch);
    Optimizer optimizer = config.optimizer().create(numCoefficients);
    if (optimizer.usesHessian()) {
      if (numParams > Newton.MAX_PARAMETERS) {
        throw Param.OPTIMIZER.invalid(optimizer.name() + " keeps a " + numParams + "x"
            + numParams + " Hessian; it takes at most " + Newton.MAX_PARAMETERS
            + " parameters. Use " + Param.OPTIMIZER.ref() + " lbfgs for this model.");
      }
      // A loss without a second derivative was refused by TrainingConfig.validate().
    }
    double[] before = new double[numParams];
    SparkContext sc = data.blocks().context();
    int depth = config.aggregationDepth(data.partitionRows().length,
        optimizer.usesHessian() ? (long) numParams * numParams + numParams : numParams);
    Regularizer regularizer = config.regularizer();
    GradientClipper clipper = config.clipper();
    ParameterAverage average = config.averaging(maxSteps);
    // A fresh schedule from the configured rate, with data-dependent defaults filled in.
    LearningRateSchedule schedule = config.newSchedule((n + batch - 1) / batch);
    double[] scale = null;
    if (config.standardize()) {
      sc.setJobDescription("descent feature standard deviations");
      double[] perFeature = FeatureScaling.inverseStd(data.blocks(), d, depth);
      scale = new double[numCoefficients];
      for (int k = 0; k < numCoefficients; k += Math.max(1, d)) {
        System.arraycopy(perFeature, 0, scale, k, d);
      }
      if (config.initialParams() != null) {
        // Initial parameters are in the original scale: w' = w·σ.
        for (int j = 0; j < numCoefficients; j++) {
          params[j] = scale[j] == 0 ? 0.0 : params[j] / scale[j];
        }
      }
    }
    BatchObjective batches = new BatchObjective(data.blocks(), plan, loss, fitIntercept,
        regularizer, scale, depth, numParams);
    // Second-order methods see one function: the rows of the first window (all rows at full batch).
    boolean secondOrder = optimizer.isSecondOrder();
    long objectivePasses = 0;
    long clippedSteps = 0;
    double bestValidation = Double.POSITIVE_INFINITY;
    double[] bestParams = null;
    long bestStep = 0;
    int evaluationsSinceBest = 0;

    boolean traceParameters = listener.wantsParameters();
    StopReason reason = null;
    double firstLoss = Double.NaN;
    double previousObjective = Double.NaN;
    long step = 0;
    Map<String, String> fingerprint = null;
    if (checkpoints != null) {
      Map<String, String> shape = new TreeMap<>(config.fingerprint());
      shape.put("data.rows", Long.toString(n));
      shape.put("data.partitionRows", Arrays.toString(data.partitionRows()));
      shape.put("data.features", Integer.toString(d));
      fingerprint = checkpoints.fingerprint(shape);
      Checkpoint c = checkpoints.resume() ? checkpoints.latest(fingerprint) : null;
      if (c != null) {
        if (c.params().length != numParams || !c.optimizer().equals(optimizer.name())) {
          throw new IllegalArgumentException("the checkpoint of step " + c.step() + " holds "
              + c.params().length + " parameters of " + c.optimizer() + "; this run has "
              + numParams + " of " + optimizer.name());
        }
        step = c.step();
        System.arraycopy(c.params(), 0, params, 0, numParams);
        optimizer.restore(c.optimizerState());
        schedule.restore(c.scheduleState());
        if (average != null && c.averageState() != null) {
          average.restore(c.averageState());
        }
        Map<String, double[]> t = c.trainer();
        firstLoss = t.get("firstLoss")[0];
        previousObjective = t.get("previousObjective")[0];
        double best = t.get("bestValidation")[0];
        bestValidation = Double.isNaN(best) ? Double.POSITIVE_INFINITY : best;
        bestStep = (long) t.get("bestStep")[0];
        evaluationsSinceBest = (int) t.get("evaluationsSinceBest")[0];
        clippedSteps = (long) t.get("clippedSteps")[0];
        bestParams = t.containsKey("bestParams") ? t.get("bestParams").clone() : null;
        listener.onResume(step);
      }
    }
    while (step < maxSteps) {
      long stepStart = System.nanoTime();
      sc.setJobDescription("descent step " + (step + 1) + "/" + maxSteps);
      batches.window(secondOrder ? 0 : step);
      Evaluation at = optimizer.usesHessian() ? batches.evaluateWithHessian(params)
          : batches.evaluate(params);
      double lr = schedule.rate(step);
      step++;
      if (!(lr >= 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("the schedule " + schedule + " gave learning rate "
            + lr + " at step " + step);
      }
      double batchLoss = at.value();
      if (step == 1) {
        firstLoss = batchLoss;
      }
      checkDivergence(step, batchLoss, firstLoss, lr);
      double gradNorm = norm(at.gradient());
      boolean clipped = false;
      if (clipper.active()) {
        double[] g = at.gradient().clone();
        clipped = clipper.clip(g);
        if (clipped) {
          clippedSteps++;
          at = new Evaluation(at.value(), g, at.hessian(), at.rows());
        }
      }
      System.arraycopy(params, 0, before, 0, numParams);
      optimizer.step(params, at, batches, lr);
      regularizer.prox(params, numCoefficients, lr);
      double moved = 0.0;
      for (int j = 0; j < numParams; j++) {
        if (!Double.isFinite(params[j])) {
          throw diverged(step, batchLoss, "the parameters became " + params[j], lr);
        }
        double delta = params[j] - before[j];
        moved += delta * delta;
      }
      if (average != null) {
        average.add(step, params);
      }
      double validationLoss = Double.NaN;
      if (validation != null && step % config.evalEvery() == 0) {
        sc.setJobDescription("descent validation loss at step " + step);
        validationLoss = Objective.full(validation.blocks(), loss, batches.toOriginal(params),
            fitIntercept, 0.0, depth);
        objectivePasses++;
        if (validationLoss < bestValidation) {
          bestValidation = validationLoss;
          bestParams = params.clone();
          bestStep = step;
          evaluationsSinceBest = 0;
        } else {
          evaluationsSinceBest++;
        }
      }
      // The step actually taken, ||θ_t − θ_{t−1}|| (lr·||g|| for plain SGD).
      double stepNorm = Math.sqrt(moved);
      long now = System.nanoTime();
      StepReport report = new StepReport(step, maxSteps, plan.epoch(step), batchLoss, lr,
          gradNorm, stepNorm, at.rows(), (now - stepStart) / 1e9, (now - start) / 1e9,
          validationLoss, clipped);
      if (traceParameters) {
        listener.onParameters(report, at.gradient(), before, params);
      }
      listener.onStep(report);
      // The metric ReduceLrOnPlateau monitors: the validation loss at each evaluation when there
      // is validation data, else the training mini-batch loss of every step.
      if (validation == null) {
        schedule.observe(step - 1, batchLoss);
      } else if (!Double.isNaN(validationLoss)) {
        schedule.observe(step - 1, validationLoss);
      }
      if (config.patience() != null && evaluationsSinceBest >= config.patience()) {
        reason = StopReason.EARLY_STOPPING;
        break;
      }
      if (secondOrder && moved == 0.0) {
        reason = StopReason.NO_PROGRESS;
        break;
      }
      if (gradNorm <= config.gradTol()) {
        reason = StopReason.GRADIENT_NORM;
        break;
      }
      if (stepNorm < config.minStepSize()) {
        reason = StopReason.MIN_STEP_SIZE;
        break;
      }
      if (config.tol() > 0 && step % config.evalEvery() == 0) {
        sc.setJobDescription("descent objective at step " + step);
        double objective;
        if (secondOrder && batch == n) {
          objective = batches.value(params);
        } else {
          objective = batches.fullObjective(params);
          objectivePasses++;
        }
        if (Math.abs(previousObjective - objective) <= config.tol() * Math.abs(objective)) {
          reason = StopReason.TOLERANCE;
          break;
        }
        previousObjective = objective;
      }
      if (checkpoints != null && step % checkpoints.every() == 0 && step < maxSteps) {
        Map<String, double[]> t = new LinkedHashMap<>();
        t.put("firstLoss", new double[] {firstLoss});
        t.put("previousObjective", new double[] {previousObjective});
        t.put("bestValidation", new double[] {bestValidation});
        t.put("bestStep", new double[] {bestStep});
        t.put("evaluationsSinceBest", new double[] {evaluationsSinceBest});
        t.put("clippedSteps", new double[] {clippedSteps});
        if (bestParams != null) {
          t.put("bestParams", bestParams.clone());
        }
        checkpoints.write(new Checkpoint(step, params.clone(), optimizer.name(),
            optimizer.state(), schedule.state(), average == null ? null : average.state(), t,
            fingerprint));
      }
    }
    if (reason == null) {
      boolean epochBound = config.epochs() != null
          && (config.maxSteps() == null || config.epochSteps(n, batch) <= config.maxSteps());
      reason = epochBound ? StopReason.EPOCHS : StopReason.MAX_STEPS;
    }
    String holds = "last iterate";
    if (reason == StopReason.EARLY_STOPPING && bestParams != null) {
      params = bestParams;
      holds = "best validation loss, step " + bestStep;
    } else if (average != null && average.average() != null) {
      params = average.average();
      holds = average.describe();
    }
    sc.setJobDescription("descent final objective");
    double objective = batches.fullObjective(params);
    objectivePasses++;
    sc.setJobDescription(null);
    double[] finalParams = batches.toOriginal(params);
    if (finalParams == params) {
      finalParams = params.clone();
    }
    return new TrainingResult(finalParams, step, plan.epoch(step), reason, objective, batch,
        (System.nanoTime() - start) / 1e9, batches.passes() + objectivePasses, clippedSteps,
        holds, validation == null ? Double.NaN : bestValidation);
  }

  private static void checkDivergence(long step, double loss, double firstLoss, double lr) {
    if (!Double.isFinite(loss)) {
      throw diverged(step, loss, "the loss is " + loss, lr);
    }
    if (firstLoss > 0 && loss > DIVERGENCE_FACTOR * firstLoss) {
      throw diverged(step, loss, "the loss grew above " + DIVERGENCE_FACTOR
          + " times the first step's " + firstLoss, lr);
    }
  }

  private static DivergenceException diverged(long step, double loss, String what, double lr) {
    return new DivergenceException(step, loss, "training diverged at step " + step + ": " + what
        + " (loss " + loss + "). Hint: lower the learning rate (--lr " + lr
        + ") or standardize the features; no model was written.");
  }

  static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
