package descent.driver;

import descent.core.GradientAccumulator;
import descent.core.Loss;
import descent.core.MiniBatchPlan;
import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.LearningRateSchedule;
import org.apache.spark.SparkContext;

/**
 * The driver loop. Each step broadcasts the parameters, aggregates the loss and gradient of the
 * step's mini-batch window with {@code treeAggregate}, adds the L2 penalty's gradient
 * {@code regL2·w}, and lets the {@link Optimizer} take the step with the schedule's learning rate. It stops on the first of: the
 * step budget, the epoch budget, a step smaller than {@code minStepSize}, or a relative change of
 * the full objective below {@code tol}; a NaN, infinite or exploding loss stops it at once with
 * a {@link DivergenceException}.
 */
public final class Trainer {
  /** A loss above this many times the first step's loss counts as divergence. */
  public static final double DIVERGENCE_FACTOR = 1e6;

  private final TrainingConfig config;
  private final TrainingListener listener;

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config.validate();
    this.listener = listener;
  }

  /** Trains on {@code data} and returns the final parameters and summary. */
  public TrainingResult train(TrainingData data) {
    long start = System.nanoTime();
    int d = data.numFeatures();
    boolean fitIntercept = config.fitIntercept();
    int numParams = d + (fitIntercept ? 1 : 0);
    double[] params = new double[numParams];
    if (config.initialParams() != null) {
      if (config.initialParams().length != numParams) {
        throw new IllegalArgumentException("initial parameters have " + config.initialParams().length
            + " values; the model has " + numParams + " (" + d + " features"
            + (fitIntercept ? " and an intercept)" : ")"));
      }
      System.arraycopy(config.initialParams(), 0, params, 0, numParams);
    }
    long n = data.totalRows();
    long batch = config.resolveBatchSize(n);
    MiniBatchPlan plan = new MiniBatchPlan(data.partitionRows(), batch);
    long maxSteps = config.resolveMaxSteps(n, batch);
    Loss loss = config.modelType().loss();
    Optimizer optimizer = config.optimizer().create(d);
    double[] before = new double[numParams];
    SparkContext sc = data.blocks().context();
    int depth = config.aggregationDepth();
    double regL2 = config.regL2();
    LearningRateSchedule schedule = config.schedule() != null ? config.schedule()
        : new ConstantSchedule(config.learningRate());

    boolean traceParameters = listener.wantsParameters();
    StopReason reason = null;
    double firstLoss = Double.NaN;
    double previousObjective = Double.NaN;
    long step = 0;
    while (step < maxSteps) {
      long stepStart = System.nanoTime();
      sc.setJobDescription("descent step " + (step + 1) + "/" + maxSteps);
      GradientAccumulator acc = Objective.gradient(data.blocks(), plan, step, loss, params,
          fitIntercept, depth);
      double lr = schedule.rate(step);
      step++;
      if (!(lr >= 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("the schedule " + schedule + " gave learning rate "
            + lr + " at step " + step);
      }
      double weight = acc.weightSum();
      double[] g = acc.gradientSum();
      for (int j = 0; j < numParams; j++) {
        g[j] /= weight;
      }
      for (int j = 0; j < d; j++) {
        g[j] += regL2 * params[j];
      }
      double batchLoss = acc.lossSum() / weight + Objective.penalty(params, fitIntercept, regL2);
      if (step == 1) {
        firstLoss = batchLoss;
      }
      checkDivergence(step, batchLoss, firstLoss, lr);
      double gradNorm = norm(g);
      System.arraycopy(params, 0, before, 0, numParams);
      optimizer.step(params, g, lr);
      double moved = 0.0;
      for (int j = 0; j < numParams; j++) {
        if (!Double.isFinite(params[j])) {
          throw diverged(step, batchLoss, "the parameters became " + params[j], lr);
        }
        double delta = params[j] - before[j];
        moved += delta * delta;
      }
      // The step actually taken, ||θ_t − θ_{t−1}|| (lr·||g|| for plain SGD).
      double stepNorm = Math.sqrt(moved);
      long now = System.nanoTime();
      StepReport report = new StepReport(step, maxSteps, plan.epoch(step), batchLoss, lr,
          gradNorm, stepNorm, acc.rows(), (now - stepStart) / 1e9, (now - start) / 1e9,
          Double.NaN, false);
      if (traceParameters) {
        listener.onParameters(report, g, before, params);
      }
      listener.onStep(report);
      if (stepNorm < config.minStepSize()) {
        reason = StopReason.MIN_STEP_SIZE;
        break;
      }
      if (config.tol() > 0 && step % config.evalEvery() == 0) {
        sc.setJobDescription("descent objective at step " + step);
        double objective = Objective.full(data.blocks(), loss, params, fitIntercept, regL2, depth);
        if (Math.abs(previousObjective - objective) <= config.tol() * Math.abs(objective)) {
          reason = StopReason.TOLERANCE;
          break;
        }
        previousObjective = objective;
      }
    }
    if (reason == null) {
      boolean epochBound = config.epochs() != null
          && (config.maxSteps() == null || config.epochSteps(n, batch) <= config.maxSteps());
      reason = epochBound ? StopReason.EPOCHS : StopReason.MAX_STEPS;
    }
    sc.setJobDescription("descent final objective");
    double objective = Objective.full(data.blocks(), loss, params, fitIntercept, regL2, depth);
    sc.setJobDescription(null);
    return new TrainingResult(params, step, plan.epoch(step), reason, objective, batch,
        (System.nanoTime() - start) / 1e9);
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
