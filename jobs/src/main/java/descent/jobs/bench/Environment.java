package descent.jobs.bench;

import descent.core.MarginLoss;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Where a bench ran: Spark, master, cores, JVM, the logistic row loop's SIMD lanes and the heap's
 * pages. Ratios move with each of these, so every report carries them beside its figures.
 */
record Environment(String sparkVersion, String master, int availableProcessors,
    int defaultParallelism, String javaVersion, String javaVmName, int logisticSimdLanes,
    HugePages pages) {

  /** This driver's environment now. */
  static Environment of(SparkSession spark) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return new Environment(spark.version(), jsc.master(),
        Runtime.getRuntime().availableProcessors(), jsc.defaultParallelism(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        MarginLoss.simdLanes(), HugePages.current());
  }

  /** The comparison's first line of the table's header. */
  String describe() {
    return String.format(Locale.ROOT, "spark %s, master %s, %d cores (defaultParallelism %d),"
        + " java %s, logistic row loop %s, %s", sparkVersion, master, availableProcessors,
        defaultParallelism, javaVersion + " (" + javaVmName + ")",
        logisticSimdLanes > 1 ? "on " + logisticSimdLanes + " SIMD lanes" : "scalar",
        pages.describe());
  }

  /**
   * The comparison's {@code environment} object.
   *
   * @param steal the CPU steal share during the timed rounds, null where unknown
   */
  Map<String, Object> toJson(Double steal) {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("sparkVersion", sparkVersion);
    env.put("master", master);
    env.put("availableProcessors", availableProcessors);
    env.put("defaultParallelism", defaultParallelism);
    env.put("javaVersion", javaVersion);
    env.put("javaVmName", javaVmName);
    env.put("logisticSimdLanes", logisticSimdLanes);
    env.put("transparentHugePages", pages.toJson());
    env.put("cpuStealDuringSteps", steal);
    return env;
  }

  /** A share as a percentage with one decimal, or "unknown". */
  static String percent(Double share) {
    return share == null ? "unknown" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}
