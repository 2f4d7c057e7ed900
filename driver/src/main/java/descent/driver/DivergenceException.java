package descent.driver;

import java.util.function.Function;

/**
 * Thrown when a run diverges: the loss became NaN or infinite, or grew above a million times the
 * first step's loss, or the parameters stopped being finite. It names the step and the loss and
 * says what to try; no model is written. Its hint names the learning rate by the command line's
 * flag; a front end with other names takes {@link #named}.
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final double loss;
  private final String template;

  /**
   * @param template the message, naming parameters as {@code {driverName}} (see {@link Param#ref})
   */
  public DivergenceException(long step, double loss, String template) {
    this(step, loss, template, Param::flag);
  }

  private DivergenceException(long step, double loss, String template,
      Function<Param, String> naming) {
    super(Param.render(template, naming));
    this.step = step;
    this.loss = loss;
    this.template = template;
  }

  /** The same divergence with the parameters named by {@code naming}. */
  public DivergenceException named(Function<Param, String> naming) {
    return new DivergenceException(step, loss, template, naming);
  }

  /** The 1-based step at which the loss diverged. */
  public long step() {
    return step;
  }

  public double loss() {
    return loss;
  }
}
