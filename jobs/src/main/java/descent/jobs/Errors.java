package descent.jobs;

import descent.driver.DivergenceException;

/**
 * Finds the user-facing cause inside a Spark failure: a bad row fails a task, and Spark wraps
 * the task's exception in a {@code SparkException} whose message is a stack of task details.
 */
final class Errors {
  private Errors() {}

  /**
   * The innermost descent or argument error in {@code e}'s cause chain, or {@code e} itself
   * (wrapped when it is checked, as Spark's {@code SparkException} is).
   */
  static RuntimeException unwrap(Throwable e) {
    Throwable t = e;
    RuntimeException found = null;
    while (t != null) {
      if (t instanceof DataFormatException || t instanceof DivergenceException
          || t instanceof IllegalArgumentException) {
        found = (RuntimeException) t;
      }
      if (t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    if (found != null) {
      return found;
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }

  /** One line for the user: the message of the error that explains the failure. */
  static String message(Throwable e) {
    Throwable t = unwrap(e);
    if (t.getCause() == e && !(e instanceof RuntimeException)) {
      t = e;
    }
    String msg = t.getMessage();
    if (t instanceof DataFormatException || t instanceof DivergenceException
        || t instanceof IllegalArgumentException) {
      return msg;
    }
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
