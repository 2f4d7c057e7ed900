package descent.driver;

/**
 * Thrown when a run diverges: the loss became NaN or infinite, or grew above
 * a million times the first step's loss. It names the step and the loss
 * and says what to try; no model is written.
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final double loss;

  public DivergenceException(long step, double loss, String message) {
    super(message);
    this.step = step;
    this.loss = loss;
  }

  /** The 1-based step at which the loss diverged. */
  public long step() {
    return step;
  }

  public double loss() {
    return loss;
  }
}
