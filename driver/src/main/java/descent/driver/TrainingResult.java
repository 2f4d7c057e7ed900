package descent.driver;

/**
 * The outcome of a run: the parameters ({@code [w, b]}), the steps taken, the epochs done, why it
 * stopped, the full objective at the final parameters, the wall time, and the distributed passes
 * over the data it ran (gradients, line-search trials and objective evaluations).
 */
public record TrainingResult(double[] params, long steps, double epochs, StopReason stopReason,
    double objective, long batchSize, double seconds, long passes) {}
