package descent.jobs;

import descent.driver.DescentSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options that choose where Spark runs. Under {@code spark-submit} the master and the application
 * name come from spark-submit ({@code --master}, {@code --name}, {@code --conf}, the properties
 * file), which hands them to the driver as {@code spark.*} system properties; run directly, the
 * master defaults to {@code local[*]}. descent's own {@code --master}, when given, wins over both.
 */
public final class SparkOptions {
  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]; bench: local[2])")
  String master;

  @Option(names = "--start-timeout", paramLabel = "SECONDS", description = "on a cluster, stop"
      + " with exit 1 when no executor has registered (or no task started) within this many"
      + " seconds; 0 waits forever (default: spark.descent.startTimeout, else "
      + StartWatchdog.DEFAULT_TIMEOUT_SECONDS + ")")
  Long startTimeout;

  /**
   * The session for a command, with descent's Kryo settings. When a session is already active in
   * this JVM (a test suite, a notebook) the command uses it and leaves it running.
   */
  Session session(String appName) {
    return session(appName, "local[*]");
  }

  /** As {@link #session(String)}, with another default master when none is given. */
  public Session session(String appName, String defaultMaster) {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isDefined()) {
      StartWatchdog.forget(); // whoever made the session watches its start
      return new Session(active.get(), false);
    }
    SparkConf conf = conf(appName, defaultMaster);
    StartWatchdog watchdog = StartWatchdog.start(conf, startTimeout);
    SparkSession spark;
    try {
      spark = SparkSession.builder().config(conf).getOrCreate();
    } catch (Throwable e) { // InterruptedException too, thrown through Scala undeclared
      throw startFailure(watchdog, e);
    }
    if (watchdog != null) {
      watchdog.attach(spark.sparkContext());
    }
    return new Session(spark, true, watchdog);
  }

  /** The failure of a session's creation; the watchdog's verdict when it has one. */
  private static RuntimeException startFailure(StartWatchdog watchdog, Throwable e) {
    if (watchdog != null) {
      watchdog.close();
      java.util.Optional<String> verdict = StartWatchdog.explain(e);
      if (verdict.isPresent()) {
        Thread.interrupted(); // the watchdog's interrupt has done its work
        return new ClusterStartException(verdict.get(), e);
      }
    }
    if (e instanceof RuntimeException r) {
      return r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(e.getMessage(), e);
  }

  /**
   * The configuration of a new session: the {@code spark.*} system properties (what spark-submit
   * set), then descent's {@code --master}, then the defaults for what is still missing, then
   * descent's Kryo settings.
   */
  SparkConf conf(String appName, String defaultMaster) {
    SparkConf conf = new SparkConf();
    if (master != null) {
      conf.setMaster(master);
    }
    conf.setIfMissing("spark.master", defaultMaster);
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return DescentSpark.configure(conf);
  }

  /**
   * A session, whether the command owns it (and so stops it when done), and the watchdog of its
   * start on a cluster ({@code null} in local mode or for a session the command did not create).
   */
  public record Session(SparkSession spark, boolean owned, StartWatchdog watchdog)
      implements AutoCloseable {
    /** A session without a watchdog. */
    public Session(SparkSession spark, boolean owned) {
      this(spark, owned, null);
    }

    @Override
    public void close() {
      if (watchdog != null) {
        watchdog.close();
      }
      if (owned) {
        spark.stop();
      }
    }
  }
}
