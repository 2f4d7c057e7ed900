package descent.driver.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a stage's uid to its constructor before Spark's base classes run. Spark ML's Scala
 * classes take the uid as a constructor field that exists before the superclass constructor;
 * Java cannot assign a field that early, yet the base classes' parameters ({@code featuresCol},
 * ...) call {@code uid()} while they are built. A constructor therefore stages the uid here
 * ({@code this(Uids.stage(uid), ...)}) and {@code uid()} takes it on its first call.
 */
final class Uids {
  private static final ThreadLocal<String> STAGED = new ThreadLocal<>();

  private Uids() {}

  /** The marker passed to the private constructor; the uid waits in a thread-local. */
  static final class Staged {
    private Staged() {}
  }

  static Staged stage(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a stage's uid must not be empty");
    }
    STAGED.set(uid);
    return new Staged();
  }

  /** The staged uid, removed from the thread. */
  static String take() {
    String uid = STAGED.get();
    if (uid == null) {
      throw new IllegalStateException("no uid staged; construct descent stages through their"
          + " public constructors");
    }
    STAGED.remove();
    return uid;
  }

  static String random(String prefix) {
    return Identifiable$.MODULE$.randomUID(prefix);
  }
}
