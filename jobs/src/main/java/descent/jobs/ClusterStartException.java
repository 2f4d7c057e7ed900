package descent.jobs;

/**
 * The cluster gave the run no executor (or ran none of its tasks) within the start timeout; the
 * message says what the run asked for and what the cluster offers. See {@link StartWatchdog}.
 */
public final class ClusterStartException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The one-line verdict and the failure Spark reported when its start was cut short. */
  public ClusterStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
