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
      return new Session(active.get(), false);
    }
    return new Session(SparkSession.builder().config(conf(appName, defaultMaster)).getOrCreate(),
        true);
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

  /** A session and whether the command owns it (and so stops it when done). */
  public record Session(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }
}
