package descent.driver;

/**
 * The outcome of a run: the parameters ({@code [w, b]}, in the original feature scale), the steps
 * taken, the epochs done, why it stopped, the full objective at the final parameters (with the
 * penalty on the standardized coefficients when standardizing), the wall time, the distributed
 * passes over the data it ran (gradients, line-search trials and objective evaluations), the
 * steps where clipping fired, what the parameters are (the last iterate, an average, or the best
 * on validation data), the best validation loss (NaN without validation data), and which step
 * the run took on the driver ({@code sparse (exact)}, {@code sparse (lazy)}, {@code dense}, or
 * {@code dense: } and why the sparse step did not apply), and with equality constraints what
 * the augmented Lagrangian reached (multipliers, residuals; null without constraints), and what
 * pre-training did before the steps (null without it; the steps, epochs and passes count the
 * training after it, the seconds the whole run), and a batch-normalized network's statistics for
 * inference (null for any other model).
 */
public record TrainingResult(double[] params, long steps, double epochs, StopReason stopReason,
    double objective, long batchSize, double seconds, long passes, long clippedSteps,
    String parameters, double bestValidationLoss, String driverStep,
    AugmentedLagrangian.Report equality, Pretraining.Report pretrain,
    descent.core.BatchNormStatistics batchNorm) {

  /** A result without pre-training and without batch-normalization statistics. */
  public TrainingResult(double[] params, long steps, double epochs, StopReason stopReason,
      double objective, long batchSize, double seconds, long passes, long clippedSteps,
      String parameters, double bestValidationLoss, String driverStep,
      AugmentedLagrangian.Report equality) {
    this(params, steps, epochs, stopReason, objective, batchSize, seconds, passes, clippedSteps,
        parameters, bestValidationLoss, driverStep, equality, null, null);
  }
}
