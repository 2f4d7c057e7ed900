package descent.driver;

/**
 * The driver loop. Each step evaluates the step's mini-batch (the executors' partial sums meet in
 * {@code treeAggregate}), clips the gradient, lets the optimizer with its decorators (the L1
 * prox, iterate averaging) take the step with the schedule's learning rate, evaluates the
 * validation loss when due, reports to the listener, and asks the stop criteria whether to end;
 * a checkpoint follows every {@code checkpoints.every()} steps. The parts are built from the
 * configuration by {@link TrainingRun}; this class only sequences them.
 *
 * <p>It stops on the first of the criteria of {@link StopCriteria}; the best parameters on
 * validation data are returned after early stopping. A NaN, infinite or exploding loss stops it
 * at once with a {@link DivergenceException}.
 */
public final class Trainer {
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
    TrainingRun run = new TrainingRun(config, data, validation);
    var fingerprint = checkpoints == null ? null : run.fingerprint(checkpoints, data);
    long step = run.start(checkpoints != null && checkpoints.resume()
        ? checkpoints.latest(fingerprint) : null);
    if (step > 0) {
      listener.onResume(step);
    }
    double[] params = run.params;
    double[] before = new double[params.length];
    StopReason reason = run.stop.exhausted(step);
    while (reason == null) {
      long stepStart = System.nanoTime();
      run.sc.setJobDescription("descent step " + (step + 1) + "/" + run.maxSteps);
      Evaluation raw = run.evaluate(step);
      double lr = run.rate(step);
      step++;
      run.divergence.checkLoss(step, raw.value(), lr);
      double gradNorm = norm(raw.gradient());
      Evaluation at = run.clip(raw);
      System.arraycopy(params, 0, before, 0, params.length);
      run.step(at, lr);
      double stepNorm = run.divergence.checkStep(step, raw.value(), before, params, lr);
      double validationLoss = run.validation.evaluate(step, params);
      long now = System.nanoTime();
      StepReport report = new StepReport(step, run.maxSteps, run.epoch(step), raw.value(),
          lr, gradNorm, stepNorm, at.rows(), (now - stepStart) / 1e9, (now - start) / 1e9,
          validationLoss, at != raw);
      if (listener.wantsParameters()) {
        listener.onParameters(report, at.gradient(), before, params);
      }
      listener.onStep(report);
      run.observe(step, raw.value(), validationLoss);
      reason = run.stop.check(new StopCriterion.Progress(step, params, gradNorm, stepNorm));
      if (reason == null && checkpoints != null && step % checkpoints.every() == 0) {
        checkpoints.write(run.checkpoint(step, fingerprint));
      }
    }
    return run.finish(reason, step, (System.nanoTime() - start) / 1e9);
  }

  static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
