package descent.driver;

/**
 * The outcome of a run: the parameters ({@code [w, b]}), the steps taken, the epochs done, why it
 * stopped, the full objective at the final parameters, and the wall time.
 */
public record TrainingResult(double[] params, long steps, double epochs, StopReason stopReason,
    double objective, long batchSize, double seconds) {}
