package descent.driver;

/** Why a run stopped; reported in the training summary and on the console. */
public enum StopReason {
  /** The step budget ({@code --max-steps}) was used up. */
  MAX_STEPS("max_steps"),
  /** The requested number of passes over the data ({@code --epochs}) was completed. */
  EPOCHS("epochs"),
  /** A step moved the parameters less than {@code --min-step-size} (the norm of lr·g). */
  MIN_STEP_SIZE("min_step_size"),
  /** The full objective changed by less than {@code --tol} (relative) between evaluations. */
  TOLERANCE("tolerance"),
  /**
   * A second-order method's line search found no lower objective along its direction: the
   * objective is at its minimum to machine precision.
   */
  NO_PROGRESS("no_progress"),
  /** The gradient's norm fell to {@code --grad-tol} or below. */
  GRADIENT_NORM("gradient_norm"),
  /** The validation loss did not improve in {@code --patience} evaluations; the best is kept. */
  EARLY_STOPPING("early_stopping");

  private final String id;

  StopReason(String id) {
    this.id = id;
  }

  /** The name written to model.json. */
  public String id() {
    return id;
  }
}
