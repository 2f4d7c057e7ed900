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

  /** A password in a URI's user info ({@code s3a://key:secret@bucket/...}): group 2. */
  private static final java.util.regex.Pattern URI_PASSWORD = java.util.regex.Pattern.compile(
      "([A-Za-z][A-Za-z0-9+.-]*://[^/:@\\s]*):([^/@\\s]*)@");

  /**
   * {@code text} with the password of any URI in it replaced by {@code ***}, for everything
   * descent prints or writes (messages, model.json, checkpoint fingerprints).
   */
  static String redact(String text) {
    return text == null ? null : URI_PASSWORD.matcher(text).replaceAll("$1:***@");
  }

  /** One line for the user: the message of the error that explains the failure. */
  static String message(Throwable e) {
    return redact(unredactedMessage(e));
  }

  private static String unredactedMessage(Throwable e) {
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
