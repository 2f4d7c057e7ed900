package descent.driver;

/**
 * The driver loop. Each step evaluates the step's mini-batch (the executors' partial sums meet in
 * {@code treeAggregate}), clips the gradient, lets the optimizer with its decorators (the L1
 * prox, iterate averaging) take the step with the schedule's learning rate, evaluates the
 * validation loss when due, reports to the listener, and asks the stop criteria whether to end;
 * a checkpoint follows every {@code checkpoints.every()} steps. The parts are built from the
 * configuration by {@link TrainingRun}; this class only sequences them. On sparse data the step
 * sums, updates and ships only the coordinates its mini-batch touched (see {@link TrainingRun}).
 *
 * <p>With {@link TrainingConfig#pretrainEpochs()}, the stages of greedy layer-wise
 * pre-training ({@link Pretraining}) run first and the steps start from their network; a run
 * resumed from a checkpoint does not pre-train again (checkpoints are taken after it).
 *
 * <p>It stops on the first of the criteria of {@link StopCriteria}; the best parameters on
 * validation data are returned after early stopping. A NaN, infinite or exploding loss stops it
 * at once with a {@link DivergenceException}.
 */
public final class Trainer {
  private final TrainingConfig config;
  private final TrainingListener listener;
  private Checkpoints checkpoints;
  private boolean denseSteps;

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

  /**
   * Takes the dense step on sparse data too: for benchmarks and tests that compare the two
   * paths. A run chooses the sparse step from its data otherwise.
   */
  public Trainer withDenseSteps() {
    this.denseSteps = true;
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
    try (TrainingRun run = new TrainingRun(config, data, validation,
        listener.wantsParameters(), denseSteps)) {
      var fingerprint = checkpoints == null ? null : run.fingerprint(checkpoints, data);
      Checkpoint resumed = checkpoints != null && checkpoints.resume()
          ? checkpoints.latest(fingerprint) : null;
      if (config.pretrainEpochs() > 0) {
        // A checkpoint is taken after pre-training, so a resumed run has done it.
        run.pretrain = resumed != null ? resumed.pretrain()
            : run.pretraining(data, listener).run(run.params);
      }
      long step = run.start(resumed);
      if (step > 0) {
        listener.onResume(step);
      }
      long loopStart = config.pretrainEpochs() > 0 ? System.nanoTime() : start;
      StopReason reason = run.stop.exhausted(step);
      while (reason == null) {
        long stepStart = System.nanoTime();
        run.sc.setJobDescription((run.rounds == null ? "descent step " : "descent round ")
            + (step + 1) + "/" + run.maxSteps);
        double lr = run.rate(step);
        step++;
        TrainingRun.Stepped s = run.step(step, lr);
        double validationLoss = run.validation.due(step)
            ? run.validation.evaluate(step, run.parameters()) : Double.NaN;
        long now = System.nanoTime();
        StepReport report = new StepReport(step, run.maxSteps, run.epoch(step), s.value(),
            lr, s.gradientNorm(), s.stepNorm(), s.rows(), (now - stepStart) / 1e9,
            (now - loopStart) / 1e9, validationLoss, s.clipped());
        if (listener.wantsParameters()) {
          listener.onParameters(report, s.gradient(), s.before(), run.params);
        }
        listener.onStep(report);
        run.observe(step, s.value(), validationLoss);
        reason = run.check(new StopCriterion.Progress(step, run::parameters,
            s.gradientNorm(), s.stepNorm()));
        if (reason == null && checkpoints != null && step % checkpoints.every() == 0) {
          checkpoints.write(run.checkpoint(step, fingerprint));
        }
      }
      return run.finish(reason, step, (System.nanoTime() - start) / 1e9);
    }
  }

  static double norm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
