package descent.jobs;

import descent.driver.OutputDir;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code descent yarn-preflight}: what {@code deploy/submit-yarn.sh} checks before it submits, so
 * that a submission YARN cannot run ends with one line instead of spark-submit's stack trace.
 * It runs through spark-submit in client mode with the submission's own options, so it sees the
 * Spark configuration the application will get, and checks that the application jar and
 * {@code spark.yarn.archive} exist and can be read, and that the executor's container, and in
 * cluster mode the driver's, fit the largest container the ResourceManager grants (which it
 * reports for a new application, as Spark's YARN client asks for it). Starts no SparkContext.
 */
@Command(name = "yarn-preflight", hidden = true, mixinStandardHelpOptions = true,
    description = "Check a YARN submission before submit-yarn.sh submits it (run through"
        + " spark-submit with the submission's options).")
final class YarnPreflightCommand implements Callable<Integer> {
  /** How long the check waits for the ResourceManager before it says none answers. */
  static final long CONNECT_WAIT_MS = 30_000;

  @Option(names = "--jar", required = true, description = "the application jar as submitted")
  String jar;

  @Option(names = "--deploy-mode", required = true, description = "client or cluster")
  String deployMode;

  @Override
  public Integer call() throws Exception {
    if (!deployMode.equals("client") && !deployMode.equals("cluster")) {
      throw new IllegalArgumentException("--deploy-mode must be client or cluster, got "
          + deployMode);
    }
    SparkConf conf = new SparkConf();
    Configuration hadoop = hadoopConfiguration(conf);
    List<String> problems = new ArrayList<>();
    String jarProblem = unreadable(jar, hadoop);
    if (jarProblem != null) {
      problems.add(jar + ": " + jarProblem + "; upload the jar (jobs/target/descent-jobs.jar)"
          + " there, or set DESCENT_JAR to a jar that exists");
    }
    String archive = conf.get("spark.yarn.archive", "");
    if (!archive.isEmpty()) {
      String archiveProblem = unreadable(archive, hadoop);
      if (archiveProblem != null) {
        problems.add(archive + " (spark.yarn.archive, Spark's jars for the containers): "
            + archiveProblem + "; upload the zip as deploy/README.md shows, or correct"
            + " spark.yarn.archive");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(Errors.redact(String.join("; ", problems)));
    }
    Resource max = maximumContainer(hadoop);
    problems.addAll(tooLarge(conf, deployMode.equals("cluster"), max.getMemorySize(),
        max.getVirtualCores()));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return 0;
  }

  /** Hadoop's configuration with the submission's {@code spark.hadoop.*} properties. */
  static Configuration hadoopConfiguration(SparkConf conf) {
    Configuration hadoop = new Configuration();
    for (scala.Tuple2<String, String> e : conf.getAll()) {
      if (e._1().startsWith("spark.hadoop.")) {
        hadoop.set(e._1().substring("spark.hadoop.".length()), e._2());
      }
    }
    return hadoop;
  }

  /**
   * Why YARN could not read {@code location}, without the location itself (a local path, which spark-submit uploads, or a
   * Hadoop URI, which YARN reads in place), or null when it can; {@code local:} paths are on the
   * nodes and not checked.
   */
  static String unreadable(String location, Configuration hadoop) {
    if (location.startsWith("local:")) {
      return null;
    }
    if (OutputDir.isLocal(location)) {
      Path p = OutputDir.localPath(location);
      if (!Files.exists(p)) {
        return "no such file";
      }
      if (!Files.isRegularFile(p)) {
        return "not a file";
      }
      return Files.isReadable(p) ? null : "not readable by " + System.getProperty("user.name");
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus status = fs.getFileStatus(p);
      if (!status.isFile()) {
        return "not a file (" + fs.makeQualified(p) + " is a directory)";
      }
      try (InputStream in = fs.open(p)) {
        in.read();
      }
      return null;
    } catch (FileNotFoundException e) {
      return "no such file" + qualified(p, hadoop);
    } catch (AccessControlException e) {
      return "not readable by " + System.getProperty("user.name") + " ("
          + firstLine(e.getMessage()) + ")";
    } catch (IOException | RuntimeException e) {
      return "cannot be read (" + e.getClass().getSimpleName() + ": "
          + firstLine(e.getMessage()) + ")";
    }
  }

  private static String qualified(org.apache.hadoop.fs.Path p, Configuration hadoop) {
    try {
      String q = p.getFileSystem(hadoop).makeQualified(p).toString();
      return q.equals(p.toString()) ? "" : " (" + q + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * The largest container the ResourceManager grants, from a new application's response (the
   * application id is never submitted); ends with one line when no ResourceManager answers.
   */
  static Resource maximumContainer(Configuration hadoop) throws Exception {
    YarnConfiguration yarn = new YarnConfiguration(hadoop);
    yarn.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, CONNECT_WAIT_MS);
    yarn.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_RETRY_INTERVAL_MS, 1000);
    YarnClient client = YarnClient.createYarnClient();
    client.init(yarn);
    client.start();
    try {
      return client.createApplication().getNewApplicationResponse()
          .getMaximumResourceCapability();
    } catch (IOException e) {
      Throwable t = e;
      while (t != null && !(t instanceof java.net.ConnectException
          || t instanceof java.net.UnknownHostException)) {
        t = t.getCause();
      }
      if (t == null) {
        throw e;
      }
      throw new IllegalArgumentException("no ResourceManager answers at "
          + yarn.get(YarnConfiguration.RM_ADDRESS) + " (yarn.resourcemanager.address of the"
          + " yarn-site.xml in HADOOP_CONF_DIR) within " + CONNECT_WAIT_MS / 1000 + " s: "
          + firstLine(e.getMessage()));
    } finally {
      client.stop();
    }
  }

  /**
   * The containers of the submission that are larger than {@code maxMb} and {@code maxVcores},
   * one sentence each: every executor's, and in cluster mode the driver's (the application
   * master's). Sizes as Spark's YARN client computes them: memory plus overhead (the overhead
   * property, else the factor times the memory but at least the minimum), off-heap memory when
   * enabled, and PySpark memory.
   */
  static List<String> tooLarge(SparkConf conf, boolean cluster, long maxMb, int maxVcores) {
    List<String> problems = new ArrayList<>();
    long heap = conf.getSizeAsMb("spark.executor.memory", "1g");
    long overhead = overhead(conf, "spark.executor", heap);
    long offHeap = conf.getBoolean("spark.memory.offHeap.enabled", false)
        ? conf.getSizeAsMb("spark.memory.offHeap.size", "0") : 0;
    long pyspark = conf.contains("spark.executor.pyspark.memory")
        ? conf.getSizeAsMb("spark.executor.pyspark.memory", "0") : 0;
    long executor = heap + overhead + offHeap + pyspark;
    if (executor > maxMb) {
      problems.add(String.format(Locale.ROOT, "each executor asks YARN for a container of %d MB"
          + " (%d MB heap + %d MB overhead%s%s), above the largest this cluster grants, %d MB"
          + " (yarn.scheduler.maximum-allocation-mb); lower EXECUTOR_MEMORY"
          + " (spark.executor.memory) or EXECUTOR_MEMORY_OVERHEAD"
          + " (spark.executor.memoryOverhead)", executor, heap, overhead,
          offHeap > 0 ? " + " + offHeap + " MB off-heap" : "",
          pyspark > 0 ? " + " + pyspark + " MB PySpark" : "", maxMb));
    }
    int cores = conf.getInt("spark.executor.cores", 1);
    if (cores > maxVcores) {
      problems.add(String.format(Locale.ROOT, "each executor asks YARN for %d vcores, above the"
          + " largest container this cluster grants, %d vcores"
          + " (yarn.scheduler.maximum-allocation-vcores); lower EXECUTOR_CORES"
          + " (spark.executor.cores)", cores, maxVcores));
    }
    if (cluster) {
      long driverHeap = conf.getSizeAsMb("spark.driver.memory", "1g");
      long driverOverhead = overhead(conf, "spark.driver", driverHeap);
      if (driverHeap + driverOverhead > maxMb) {
        problems.add(String.format(Locale.ROOT, "the driver (the application master in cluster"
            + " mode) asks YARN for a container of %d MB (%d MB heap + %d MB overhead), above"
            + " the largest this cluster grants, %d MB (yarn.scheduler.maximum-allocation-mb);"
            + " lower DRIVER_MEMORY (spark.driver.memory)", driverHeap + driverOverhead,
            driverHeap, driverOverhead, maxMb));
      }
      int driverCores = conf.getInt("spark.driver.cores", 1);
      if (driverCores > maxVcores) {
        problems.add(String.format(Locale.ROOT, "the driver asks YARN for %d vcores, above the"
            + " largest container this cluster grants, %d vcores; lower spark.driver.cores",
            driverCores, maxVcores));
      }
    }
    return problems;
  }

  /** {@code prefix.memoryOverhead}, else the factor times {@code heapMb}, at least the minimum. */
  static long overhead(SparkConf conf, String prefix, long heapMb) {
    if (conf.contains(prefix + ".memoryOverhead")) {
      return conf.getSizeAsMb(prefix + ".memoryOverhead", "384m");
    }
    double factor = conf.getDouble(prefix + ".memoryOverheadFactor", 0.1);
    return Math.max((long) (factor * heapMb), conf.getSizeAsMb(prefix + ".minMemoryOverhead",
        "384m"));
  }
}
