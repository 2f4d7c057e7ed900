package descent.deploy;

import static descent.deploy.StandaloneClusterIT.DATA;
import static descent.deploy.StandaloneClusterIT.ROOT;
import static descent.deploy.StandaloneClusterIT.STEP;
import static descent.deploy.StandaloneClusterIT.deleteRecursively;
import static descent.deploy.StandaloneClusterIT.relativeGap;
import static descent.deploy.StandaloneClusterIT.seconds;
import static descent.deploy.StandaloneClusterIT.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import descent.driver.LinearModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The application jar on YARN and HDFS: a {@code MiniDFSCluster} (one DataNode) and a
 * {@code MiniYARNCluster} (a ResourceManager and two NodeManagers of 2.5 GB each) run in this JVM
 * on loopback, their configuration is written to a {@code HADOOP_CONF_DIR}, and
 * {@code deploy/submit-yarn.sh} runs {@code descent train} through them in client and in cluster
 * mode, as a user would: no Spark distribution, Spark's jars in {@code spark.yarn.archive} on HDFS,
 * the data and the checkpoints on HDFS. The containers (the application master, the executors, in
 * cluster mode the driver) are JVMs the NodeManagers start.
 *
 * <p>Each model must equal the {@code local[2]} model of the same options within 1e-12 relative:
 * the mini-batch plan is a pure function of (seed, step, partition), so only the order in which
 * partial sums meet may differ. The same holds for a run whose executor container is killed in the
 * middle, and for a run whose application is killed and then resubmitted with {@code --resume}.
 * Settings that cannot work end with a clear line instead of a hang.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterIT {
  static final double TOLERANCE = 1e-12;
  static final int STEPS = 40;
  static final int KILL_AFTER_STEP = 10;
  static final long RUN_TIMEOUT_SECONDS = 300;
  /** The largest container YARN grants, and each NodeManager's memory. */
  static final int MAX_ALLOCATION_MB = 2048;
  static final int NODE_MEMORY_MB = 2560;

  static final Path WORK = Path.of(System.getProperty("descent.it.dir", ROOT + "/deploy/target/yarn-it"))
      .toAbsolutePath().normalize();
  static final Path CONF = WORK.resolve("hadoop-conf");
  static final Path RUNS = WORK.resolve("runs");
  static final String ARCHIVE = "hdfs:///apps/spark/spark-jars.zip";
  static final String DATA_ON_HDFS = "hdfs:///data/heart_scale";

  static MiniDFSCluster dfs;
  static MiniYARNCluster yarn;
  static YarnClient client;
  static FileSystem hdfs;
  static LinearModel local;
  static LinearModel clusterMode;
  static Run clusterRun;

  @BeforeAll
  static void startClusters() throws Exception {
    Path jar = ROOT.resolve("jobs/target/descent-jobs.jar");
    Path classpath = ROOT.resolve("deploy/target/yarn-classpath.txt");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run mvn verify from the root");
    assertTrue(Files.isRegularFile(classpath), classpath + " is missing: run mvn verify from the root");
    assertTrue(Files.isRegularFile(DATA.resolve("heart_scale")), DATA + "/heart_scale is missing");
    deleteRecursively(WORK);
    Files.createDirectories(CONF);
    long t0 = System.nanoTime();

    Configuration conf = new Configuration();
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    dfs = new MiniDFSCluster.Builder(conf, WORK.resolve("dfs").toFile()).numDataNodes(1).build();
    dfs.waitActive();
    hdfs = dfs.getFileSystem();

    YarnConfiguration yc = new YarnConfiguration(conf);
    yc.set("fs.defaultFS", hdfs.getUri().toString());
    yc.set("yarn.resourcemanager.hostname", "127.0.0.1");
    yc.set("yarn.nodemanager.hostname", "127.0.0.1");
    yc.setInt("yarn.nodemanager.resource.memory-mb", NODE_MEMORY_MB);
    yc.setInt("yarn.nodemanager.resource.cpu-vcores", 2);
    yc.setInt("yarn.scheduler.minimum-allocation-mb", 128);
    yc.setInt("yarn.scheduler.maximum-allocation-mb", MAX_ALLOCATION_MB);
    yc.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    yc.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
    yc.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    // Two queues, so that a queue named in spark-defaults.conf can be told from the default one.
    yc.set("yarn.scheduler.capacity.root.queues", "default,descent");
    for (String queue : List.of("default", "descent")) {
      String q = "yarn.scheduler.capacity.root." + queue;
      yc.setInt(q + ".capacity", 50);
      yc.setInt(q + ".maximum-capacity", 100);
      yc.setFloat(q + ".user-limit-factor", 2);
      yc.set(q + ".state", "RUNNING");
      yc.set(q + ".acl_submit_applications", "*");
      yc.set(q + ".acl_administer_queue", "*");
    }
    yc.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 1.0f);
    yc.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    yarn = new MiniYARNCluster("YarnClusterIT", 2, 1, 1);
    yarn.init(yc);
    yarn.start();
    Configuration clusterConf = yarn.getConfig();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // start() may return before the ResourceManager has put its port into the configuration.
    while (clusterConf.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
      assertTrue(System.nanoTime() < deadline, "the ResourceManager never published its address");
      Thread.sleep(100);
    }
    client = YarnClient.createYarnClient();
    client.init(clusterConf);
    client.start();
    while (client.getNodeReports(NodeState.RUNNING).size() < 2) {
      assertTrue(System.nanoTime() < deadline, "the NodeManagers never registered");
      Thread.sleep(200);
    }
    // HADOOP_CONF_DIR as an operator would hand it out: the cluster's addresses and limits. Not
    // the whole test configuration, which names classes of the mini clusters' own (a static
    // topology mapping) that a client's classpath does not have.
    Configuration site = new Configuration(false);
    for (Map.Entry<String, String> e : clusterConf) {
      String key = e.getKey();
      if ((key.startsWith("yarn.resourcemanager.") && (key.endsWith("address") || key.endsWith("hostname")))
          || key.startsWith("yarn.scheduler.m")) {
        site.set(key, clusterConf.get(key));
      }
    }
    try (OutputStream out = Files.newOutputStream(CONF.resolve("yarn-site.xml"))) {
      site.writeXml(out);
    }
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", hdfs.getUri().toString());
    try (OutputStream out = Files.newOutputStream(CONF.resolve("core-site.xml"))) {
      core.writeXml(out);
    }

    hdfs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(DATA.resolve("heart_scale").toString()),
        new org.apache.hadoop.fs.Path(DATA_ON_HDFS));
    long bytes = uploadSparkArchive(classpath, new org.apache.hadoop.fs.Path(ARCHIVE));
    System.out.printf(Locale.ROOT, "HDFS %s and YARN %s up, Spark archive %d MB, in %.1f s%n",
        hdfs.getUri(), clusterConf.get(YarnConfiguration.RM_ADDRESS), bytes >> 20, seconds(t0));
  }

  @AfterAll
  static void stopClusters() throws Exception {
    if (client != null) {
      client.stop();
    }
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  /**
   * The jars of the Maven classpath, stored (not compressed: jars are compressed already) at the
   * root of one zip on HDFS, as deploy/README.md tells for {@code spark.yarn.archive}.
   */
  static long uploadSparkArchive(Path classpathFile, org.apache.hadoop.fs.Path target) throws IOException {
    String[] jars = Files.readString(classpathFile).trim().split(":");
    try (ZipOutputStream zip = new ZipOutputStream(hdfs.create(target))) {
      zip.setMethod(ZipOutputStream.STORED);
      java.util.Set<String> names = new java.util.HashSet<>();
      for (String jar : jars) {
        Path p = Path.of(jar);
        if (!jar.endsWith(".jar") || !names.add(p.getFileName().toString())) {
          continue;
        }
        byte[] content = Files.readAllBytes(p);
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipEntry e = new ZipEntry(p.getFileName().toString());
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
      }
    }
    return hdfs.getFileStatus(target).getLen();
  }

  /**
   * Client mode writes the model, the metrics, the report and the checkpoints to HDFS
   * ({@code --output hdfs:///runs/client}); the model read back from HDFS equals the local one.
   */
  @Test
  @Order(1)
  void clientModeWritesToHdfsTheModelOfLocalMode() throws Exception {
    Run run = trainOnHdfs("client", "client", List.of("--checkpoint-dir",
        "hdfs:///runs/client-checkpoints", "--checkpoint-every", "10", "--report"));
    assertTrue(run.output().contains("Submitted application application_"), "not a YARN run; see " + run.log());
    assertTrue(run.output().contains("wrote hdfs:///runs/client/model.json,"
        + " hdfs:///runs/client/metrics.csv and hdfs:///runs/client/metrics.jsonl"),
        "no line naming the files on HDFS; see " + run.log());
    LinearModel model = LinearModel.load(hdfs.getUri() + "/runs/client");
    double gap = relativeGap(localModel(), model);
    System.out.printf(Locale.ROOT, "client mode, output on HDFS: %.1f s, max relative gap to local[2] %.3e%n",
        run.seconds(), gap);
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "client-mode model differs from the local[2] model by " + gap);
    // The files on HDFS, and none of their temporary names left behind.
    List<String> files = new ArrayList<>();
    for (var status : hdfs.listStatus(new org.apache.hadoop.fs.Path("/runs/client"))) {
      files.add(status.getPath().getName());
    }
    files.sort(null);
    assertEquals(List.of("metrics.csv", "metrics.jsonl", "model.json", "report-clipping.png",
        "report-gradient-norm.png", "report-learning-rate.png", "report-loss-step.png",
        "report-loss-time.png", "report.html"), files);
    assertEquals(STEPS + 1, hdfsText("/runs/client/metrics.csv").lines().count(),
        "metrics.csv: a header and one line a step");
    assertTrue(hdfsText("/runs/client/report.html").contains("descent training report"));
    // Every 10 steps while training goes on: the last one before the stop at step 40 is step 30's.
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/client-checkpoints/checkpoint-30.json")),
        "no checkpoint of step 30 on HDFS");
  }

  /**
   * {@code evaluate --model hdfs:///runs/client} reads the model from HDFS: its objective on the
   * training data is the one the run recorded.
   */
  @Test
  @Order(2)
  void evaluateReadsTheModelFromHdfs() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/submit-local.sh").toString(),
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--", "evaluate",
        "--model", "hdfs:///runs/client", "--data", DATA_ON_HDFS, "--num-features", "13"));
    Run run = exec("evaluate", cmd, Map.of(), null);
    assertEquals(0, run.exitCode(), "see " + run.log() + "\n" + tail(run.output()));
    Matcher objective = java.util.regex.Pattern.compile("(?m)^objective\\s+(\\S+)$").matcher(run.output());
    assertTrue(objective.find(), "no objective line; see " + run.log());
    double recorded = ((Number) LinearModel.load(hdfs.getUri() + "/runs/client/model.json")
        .training().get("objective")).doubleValue();
    double evaluated = Double.parseDouble(objective.group(1));
    System.out.printf(Locale.ROOT, "evaluate --model hdfs:///runs/client: objective %.15g, recorded"
        + " %.15g, %.1f s%n", evaluated, recorded, run.seconds());
    assertEquals(recorded, evaluated, 1e-9 * Math.abs(recorded));
  }

  /** Cluster mode: the driver in the application master's container writes to HDFS. */
  @Test
  @Order(2)
  void clusterModeWritesToHdfsTheModelOfLocalMode() throws Exception {
    LinearModel model = clusterModel();
    double gap = relativeGap(localModel(), model);
    System.out.printf(Locale.ROOT, "cluster mode, output on HDFS: max relative gap to local[2] %.3e%n", gap);
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/cluster/metrics.jsonl")), "no metrics.jsonl");
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "cluster-mode model differs from the local[2] model by " + gap);
  }

  /**
   * A finished cluster-mode run ends its application as SUCCEEDED and spark-submit with 0: inside
   * YARN's application master descent's main method returns on success, since the master reports
   * an application whose main method exits the JVM as FAILED ("Shutdown hook called before final
   * status was reported").
   */
  @Test
  @Order(2)
  void clusterModeRunSucceeds() throws Exception {
    clusterModel();
    assertEquals(0, clusterRun.exitCode(), "see " + clusterRun.log());
    assertTrue(clusterRun.output().contains("final status: SUCCEEDED"), "see " + clusterRun.log());
  }

  @Test
  @Order(3)
  void killedExecutorContainerGivesTheSameModel() throws Exception {
    long[] killed = {0};
    Run run = train("killed-executor", "client", List.of(), Map.of(), step -> {
      if (step == KILL_AFTER_STEP && killed[0] == 0) {
        ProcessHandle executor = ProcessHandle.current().descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("YarnCoarseGrainedExecutorBackend"))
            .findFirst().orElseThrow(() -> new AssertionError("no executor container is running"));
        killed[0] = executor.pid();
        executor.destroyForcibly(); // SIGKILL: the container's JVM dies without a goodbye.
      }
    });
    assertNotEquals(0, killed[0], "the run never reached step " + KILL_AFTER_STEP);
    Matcher lost = java.util.regex.Pattern.compile("Lost executor (\\d+) on [^:]+: (.*)").matcher(run.output());
    assertTrue(lost.find(), "the driver never named a lost executor; see " + run.log());
    LinearModel model = LinearModel.load(RUNS.resolve("killed-executor"));
    double gap = relativeGap(localModel(), model);
    System.out.printf(Locale.ROOT, "killed executor container (pid %d) after step %d: %s; %.1f s,"
        + " max relative gap to local[2] %.3e%n", killed[0], KILL_AFTER_STEP, lost.group(0),
        run.seconds(), gap);
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "model after losing an executor differs by " + gap);
  }

  @Test
  @Order(4)
  void killedApplicationResumesToTheSameModel() throws Exception {
    String checkpoints = "hdfs:///runs/resumed-checkpoints";
    List<String> options = List.of("--checkpoint-dir", checkpoints, "--checkpoint-every", "5");
    org.apache.hadoop.fs.Path tenth = new org.apache.hadoop.fs.Path("/runs/resumed-checkpoints/checkpoint-10.json");
    String[] killed = {null};
    Thread killer = new Thread(() -> {
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline && !hdfs.exists(tenth)) {
          Thread.sleep(200);
        }
        for (ApplicationReport app : client.getApplications(EnumSet.of(YarnApplicationState.RUNNING))) {
          client.killApplication(app.getApplicationId());
          killed[0] = app.getApplicationId().toString();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "application killer");
    killer.start();
    Run first = exec("resumed-killed", command("cluster", "resumed", options), Map.of(), null);
    killer.join(TimeUnit.SECONDS.toMillis(30));
    assertTrue(killed[0] != null, "no application was killed; see " + first.log());
    assertNotEquals(0, first.exitCode(), "the killed run exited 0; see " + first.log());
    assertEquals(YarnApplicationState.KILLED, client.getApplicationReport(
        org.apache.hadoop.yarn.api.records.ApplicationId.fromString(killed[0])).getYarnApplicationState());
    List<String> resume = new ArrayList<>(options);
    resume.add("--resume");
    Run second = exec("resumed", command("cluster", "resumed", resume), Map.of(), null);
    assertTrue(Files.isRegularFile(RUNS.resolve("resumed/model.json")),
        "the resumed run wrote no model; see " + second.log() + "\n" + tail(second.output()));
    LinearModel model = LinearModel.load(RUNS.resolve("resumed"));
    double gap = relativeGap(localModel(), model);
    System.out.printf(Locale.ROOT, "killed %s after checkpoint 10 (%.1f s), resumed (%.1f s):"
        + " max relative gap to local[2] %.3e%n", killed[0], first.seconds(), second.seconds(), gap);
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "resumed model differs by " + gap);
  }

  @Test
  @Order(5)
  void queueAndMemoryOfSparkDefaultsAreHonoured() throws Exception {
    Path defaults = WORK.resolve("spark-defaults.conf");
    Files.writeString(defaults, Files.readString(ROOT.resolve("deploy/spark-defaults.conf"))
        + "\nspark.yarn.queue                         descent\n"
        + "spark.executor.memory                    640m\n"
        + "spark.executor.memoryOverhead            384m\n");
    Map<String, String> env = new HashMap<>(Map.of("DESCENT_SPARK_DEFAULTS", defaults.toString()));
    List<Long> containerMb = new ArrayList<>();
    Run run = train("defaults", "client", List.of(), env, step -> {
      if (step == KILL_AFTER_STEP && containerMb.isEmpty()) {
        try {
          for (ApplicationReport app : client.getApplications(EnumSet.of(YarnApplicationState.RUNNING))) {
            for (var attempt : client.getApplicationAttempts(app.getApplicationId())) {
              for (var c : client.getContainers(attempt.getApplicationAttemptId())) {
                containerMb.add(c.getAllocatedResource().getMemorySize());
              }
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    String appId = appId(run);
    ApplicationReport report = client.getApplicationReport(
        org.apache.hadoop.yarn.api.records.ApplicationId.fromString(appId));
    System.out.printf(Locale.ROOT, "spark-defaults.conf: %s in queue %s, containers of %s MB, %.1f s%n",
        appId, report.getQueue(), containerMb, run.seconds());
    assertTrue(report.getQueue().equals("descent") || report.getQueue().equals("root.descent"),
        "queue " + report.getQueue());
    // The application master of client mode (512 MB and 384 MB overhead) and two executors of
    // 640 MB heap and 384 MB overhead.
    assertEquals(List.of(896L, 1024L, 1024L), containerMb.stream().sorted().toList());
  }

  @Test
  @Order(6)
  void missingHadoopConfDirIsNamed() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HADOOP_CONF_DIR", "");
    Run run = exec("no-conf", command("client", "no-conf", List.of()), env, null);
    assertEquals(1, run.exitCode(), tail(run.output()));
    assertEquals("submit-yarn.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the directory of the"
        + " cluster's yarn-site.xml and core-site.xml", run.output().strip());
    env.put("HADOOP_CONF_DIR", WORK.resolve("runs").toString());
    run = exec("empty-conf", command("client", "empty-conf", List.of()), env, null);
    assertEquals(1, run.exitCode(), tail(run.output()));
    assertTrue(run.output().strip().startsWith("submit-yarn.sh: no yarn-site.xml in HADOOP_CONF_DIR ("),
        run.output());
  }

  /**
   * Executors of 4g against containers of at most 2 GB, in client and in cluster mode: the
   * submission ends before anything starts, with one line that gives the ask and the maximum.
   */
  @Test
  @Order(7)
  void executorLargerThanTheLargestContainerEndsWithOneLine() throws Exception {
    for (String mode : List.of("client", "cluster")) {
      int submitted = client.getApplications().size();
      Run run = exec("too-large-" + mode, command(mode, "too-large-" + mode, List.of()),
          Map.of("EXECUTOR_MEMORY", "4g"), null);
      System.out.printf(Locale.ROOT, "too-large, %s mode: exit %d in %.1f s: %s%n", mode,
          run.exitCode(), run.seconds(), run.output().strip());
      assertEquals(1, run.exitCode(), tail(run.output()));
      String line = oneLine(run);
      assertTrue(line.startsWith("descent: error: each executor asks YARN for a container of 4505 MB"
          + " (4096 MB heap + 409 MB overhead), above the largest this cluster grants, "
          + MAX_ALLOCATION_MB + " MB"), "the line does not give the ask and the maximum: " + line);
      assertEquals(submitted, client.getApplications().size(), "an application was submitted");
    }
  }

  /**
   * An application jar on HDFS that does not exist, and a spark.yarn.archive that does not:
   * one line naming the file and what to do, before anything is submitted.
   */
  @Test
  @Order(8)
  void jarOrArchiveYarnCannotReadEndsWithOneLine() throws Exception {
    Run run = exec("unreadable-jar", command("cluster", "unreadable-jar", List.of()),
        Map.of("DESCENT_JAR", "hdfs:///apps/descent/missing.jar"), null);
    System.out.printf(Locale.ROOT, "unreadable jar: exit %d in %.1f s: %s%n", run.exitCode(),
        run.seconds(), run.output().strip());
    assertEquals(1, run.exitCode(), tail(run.output()));
    assertEquals("descent: error: hdfs:///apps/descent/missing.jar: no such file ("
        + hdfs.getUri() + "/apps/descent/missing.jar); upload the jar (jobs/target/descent-jobs.jar)"
        + " there, or set DESCENT_JAR to a jar that exists", oneLine(run));

    List<String> cmd = command("client", "unreadable-archive", List.of());
    cmd.addAll(cmd.indexOf("--"), List.of("--conf", "spark.yarn.archive=hdfs:///apps/spark/missing.zip"));
    run = exec("unreadable-archive", cmd, Map.of(), null);
    System.out.printf(Locale.ROOT, "unreadable archive: exit %d in %.1f s: %s%n", run.exitCode(),
        run.seconds(), run.output().strip());
    assertEquals(1, run.exitCode(), tail(run.output()));
    assertTrue(oneLine(run).startsWith("descent: error: hdfs:///apps/spark/missing.zip (spark.yarn.archive,"
        + " Spark's jars for the containers): no such file ("), run.output());
  }

  /** The whole output of {@code run}, which must be one line. */
  static String oneLine(Run run) {
    List<String> lines = run.output().strip().lines().toList();
    assertEquals(1, lines.size(), "not exactly one line; see " + run.log() + "\n" + tail(run.output()));
    return lines.get(0);
  }

  static String hdfsText(String path) throws IOException {
    try (var in = hdfs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static String appId(Run run) {
    Matcher m = java.util.regex.Pattern.compile("application_\\d+_\\d+").matcher(run.output());
    assertTrue(m.find(), "no application id in " + run.log());
    return m.group();
  }

  static synchronized LinearModel localModel() throws Exception {
    if (local == null) {
      Path out = RUNS.resolve("local");
      deleteRecursively(out);
      List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/submit-local.sh").toString(),
          "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--"));
      cmd.addAll(descentArguments(DATA.resolve("heart_scale").toString(), out.toString(), List.of()));
      // Without HADOOP_CONF_DIR: with it, a path without a scheme would name a file on HDFS.
      Run run = exec("local", cmd, Map.of("HADOOP_CONF_DIR", ""), null);
      assertEquals(0, run.exitCode(), "local run failed; see " + run.log() + "\n" + tail(run.output()));
      local = LinearModel.load(out);
    }
    return local;
  }

  static synchronized LinearModel clusterModel() throws Exception {
    if (clusterMode == null) {
      hdfs.delete(new org.apache.hadoop.fs.Path("/runs/cluster"), true);
      clusterRun = exec("cluster", commandTo("cluster", "hdfs:///runs/cluster", List.of()), Map.of(), null);
      System.out.printf(Locale.ROOT, "cluster mode: exit %d, %.1f s%n", clusterRun.exitCode(),
          clusterRun.seconds());
      assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/cluster/model.json")),
          "the cluster-mode driver wrote no model to HDFS; see " + clusterRun.log() + "\n"
              + tail(clusterRun.output()));
      clusterMode = LinearModel.load(hdfs.getUri() + "/runs/cluster");
    }
    return clusterMode;
  }

  /** The options of every run, as in StandaloneClusterIT, with the data from {@code data}. */
  static List<String> descentArguments(String data, String out, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data, "--num-features", "13",
        "--model", "logistic", "--intercept", "--reg-l2", "1e-3", "--lr", "0.5",
        "--batch-size", "64", "--max-steps", String.valueOf(STEPS), "--seed", "7",
        "--partitions", "4", "--progress-seconds", "0", "--output", out));
    args.addAll(extra);
    return args;
  }

  /**
   * submit-yarn.sh in {@code mode}, training from HDFS into {@code RUNS/name} (a local directory:
   * in cluster mode the driver's container is on this machine, which stands for a mount every
   * node shares).
   */
  static List<String> command(String mode, String name, List<String> extra) {
    return commandTo(mode, RUNS.resolve(name).toString(), extra);
  }

  /** submit-yarn.sh in {@code mode}, training from HDFS into {@code output}. */
  static List<String> commandTo(String mode, String output, List<String> extra) {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/submit-yarn.sh").toString(),
        mode, "--conf", "spark.yarn.archive=" + ARCHIVE, "--conf", "spark.ui.enabled=false",
        // Short-lived JVMs in the containers as in the test's own: C1 and the serial collector.
        "--conf", "spark.executorEnv.JAVA_TOOL_OPTIONS=" + JVM_OPTIONS,
        "--conf", "spark.yarn.appMasterEnv.JAVA_TOOL_OPTIONS=" + JVM_OPTIONS, "--"));
    cmd.addAll(descentArguments(DATA_ON_HDFS, output, extra));
    return cmd;
  }

  static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  /** A client- or cluster-mode run into {@code hdfs:///runs/NAME}, which must succeed. */
  static Run trainOnHdfs(String name, String mode, List<String> extra) throws Exception {
    hdfs.delete(new org.apache.hadoop.fs.Path("/runs/" + name), true);
    Run run = exec(name, commandTo(mode, "hdfs:///runs/" + name, extra), Map.of(), null);
    assertEquals(0, run.exitCode(), name + " run failed; see " + run.log() + "\n" + tail(run.output()));
    return run;
  }

  static Run train(String name, String mode, List<String> extra, Map<String, String> env,
      IntConsumer onStep) throws Exception {
    deleteRecursively(RUNS.resolve(name));
    Run run = exec(name, command(mode, name, extra), env, onStep);
    assertEquals(0, run.exitCode(), name + " run failed; see " + run.log() + "\n" + tail(run.output()));
    return run;
  }


  /**
   * Runs {@code command} from the root with HADOOP_CONF_DIR, the sizes that fit the NodeManagers
   * (two executors of one core and 512m, a driver of 512m) and {@code extraEnv}.
   */
  static Run exec(String name, List<String> command, Map<String, String> extraEnv, IntConsumer onStep)
      throws Exception {
    Files.createDirectories(RUNS);
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("SPARK_HOME");
    env.remove("SPARK_SUBMIT");
    env.remove("SPARK_CONF_DIR");
    env.remove("YARN_CONF_DIR");
    env.put("HADOOP_CONF_DIR", CONF.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("NUM_EXECUTORS", "2");
    env.put("EXECUTOR_CORES", "1");
    env.put("EXECUTOR_MEMORY", "512m");
    env.put("DRIVER_MEMORY", "512m");
    env.put("DESCENT_DRIVER_MEMORY", "1g");
    env.put("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
    if (extraEnv.containsKey("DESCENT_SPARK_DEFAULTS")) {
      env.remove("EXECUTOR_MEMORY"); // from the properties file instead
    }
    env.putAll(extraEnv);
    return Run.of(name, pb, WORK.resolve(name + ".log"), onStep, RUN_TIMEOUT_SECONDS);
  }
}
