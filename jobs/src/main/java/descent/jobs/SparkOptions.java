package descent.jobs;

import descent.driver.DescentSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options that choose where Spark runs. Under {@code spark-submit} the master comes from
 * spark-submit; run directly, it defaults to {@code local[*]}.
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
  Session session(String appName, String defaultMaster) {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isDefined()) {
      return new Session(active.get(), false);
    }
    SparkConf conf = new SparkConf().setAppName(appName);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(defaultMaster);
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    DescentSpark.configure(conf);
    return new Session(SparkSession.builder().config(conf).getOrCreate(), true);
  }

  /** A session and whether the command owns it (and so stops it when done). */
  record Session(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }
}
