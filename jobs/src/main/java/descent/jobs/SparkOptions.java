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
  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
  String master;

  /** The session for a command, with descent's Kryo settings. */
  SparkSession session(String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    DescentSpark.configure(conf);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    return spark;
  }
}
