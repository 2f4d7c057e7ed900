package descent.jobs;

/**
 * A row of the input that cannot be used, reported with its file and line (or row) and the
 * problem, e.g. {@code a9a line 1043: feature index 0; LIBSVM indices start at 1}.
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }
}
