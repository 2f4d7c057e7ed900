package descent.driver;

/**
 * What one step did, for progress lines and metrics: the 1-based step and the total planned,
 * epochs done, the mini-batch objective before the update, the learning rate, the gradient norm,
 * the step norm {@code ||θ_t − θ_{t−1}||}, the rows read, the seconds this step and the run took,
 * the validation loss ({@code NaN} when none was computed at this step), and whether the gradient
 * was clipped.
 */
public record StepReport(long step, long maxSteps, double epoch, double loss, double learningRate,
    double gradientNorm, double stepNorm, long rows, double stepSeconds, double elapsedSeconds,
    double validationLoss, boolean clipped) {}
