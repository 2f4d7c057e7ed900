package descent.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import descent.driver.LinearModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The application jar on a real standalone cluster: {@code deploy/local-cluster.sh} starts a
 * Master and two one-core Workers on 127.0.0.1, and {@code deploy/submit-standalone.sh} runs
 * {@code descent train} on it through SparkSubmit. The model must equal the one
 * {@code deploy/submit-local.sh} trains in {@code local[2]}, and a run that loses a worker in the
 * middle must still reach the same model: the mini-batch plan is a pure function of
 * (seed, step, partition), so the tasks Spark re-runs on the surviving executor read the same rows.
 * The heart_scale runs of the dense step are compared within 1e-9 relative, which leaves room for
 * the partial sums to meet in another order (as at aggregation depth 2). The same must hold for the
 * other ways a step runs: the sparse step (a9a, whose cached blocks are all CSR; Nesterov
 * momentum, whose model is two vectors), where each executor keeps one copy of the parameters
 * that moves by versioned deltas and a relocated task must compute with its own step's version;
 * rounds of local steps, where a task's inner steps depend on the round's parameters alone; and a
 * network ({@code --model mlp}), whose tasks run
 * the forward and backward pass of every layer over their rows. Those runs ask for aggregation
 * depth 1, where the driver merges the partial sums in partition order whichever executor
 * computed them, so a run that loses a worker must equal the {@code local[2]} run bit for bit.
 *
 * <p>The first test runs the two commands of deploy/README.md as they stand, with the scripts'
 * default sizes; the last two ask for what no worker has and for a master that is not there, and
 * must end within their start timeout with one line, leaving a previous model untouched. No run
 * gets {@code SPARK_LOCAL_IP} from the test: the scripts bind the driver to loopback themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  static final double TOLERANCE = 1e-9;
  static final int STEPS = 40;
  static final int KILL_AFTER_STEP = 10;
  static final int SPARSE_STEPS = 40;
  static final int ROUNDS = 12;
  static final int LOCAL_STEPS = 5;
  static final int KILL_AFTER_ROUND = 4;
  static final int NETWORK_STEPS = 40;
  static final long RUN_TIMEOUT_SECONDS = 300;

  static final Path ROOT = Path.of(System.getProperty("descent.root", "..")).toAbsolutePath().normalize();
  static final Path DATA = Path.of(System.getProperty("descent.shared.data", ROOT + "/../shared/data"))
      .toAbsolutePath().normalize();
  static final Path WORK = Path.of(System.getProperty("descent.it.dir", ROOT + "/deploy/target/it"))
      .toAbsolutePath().normalize();
  static final Path CLUSTER = WORK.resolve("cluster");
  static final Path RUNS = WORK.resolve("runs");
  static final Pattern STEP = Pattern.compile("^(?:step|round) (\\d+)/(\\d+)\\b");

  static String masterUrl;
  static LinearModel undisturbed;

  @BeforeAll
  static void startCluster() throws Exception {
    Path jar = ROOT.resolve("jobs/target/descent-jobs.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: run mvn verify from the root");
    assertTrue(Files.isRegularFile(DATA.resolve("heart_scale")), DATA + "/heart_scale is missing");
    Files.createDirectories(WORK);
    // A cluster left over from an interrupted run of these tests goes first.
    cluster("stop");
    // If the test JVM is ended (a surefire timeout, Ctrl-C) before @AfterAll, stop the JVMs anyway.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster("stop");
      } catch (Exception e) {
        // Nothing more can be done while the JVM exits.
      }
    }));
    start();
  }

  static void start() throws Exception {
    long t0 = System.nanoTime();
    Run start = cluster("start");
    assertEquals(0, start.exitCode(), "local-cluster.sh start failed:\n" + start.output());
    masterUrl = Files.readString(CLUSTER.resolve("master-url")).trim();
    System.out.printf(Locale.ROOT, "cluster %s up in %.1f s%n", masterUrl, seconds(t0));
  }

  /**
   * Starts the cluster afresh when a daemon is down (a run before killed worker-1), so that the
   * next run has both executors again. The master's URL changes with it.
   */
  static void bothWorkersAlive() throws Exception {
    if (cluster("status").exitCode() == 0) {
      return;
    }
    Run stop = cluster("stop");
    assertEquals(0, stop.exitCode(), "local-cluster.sh stop failed:\n" + stop.output());
    start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    List<Long> pids = new ArrayList<>();
    for (String name : List.of("master", "worker-1", "worker-2")) {
      pid(name).ifPresent(pids::add);
    }
    Run stop = cluster("stop");
    assertEquals(0, stop.exitCode(), "local-cluster.sh stop failed:\n" + stop.output());
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " still alive after local-cluster.sh stop");
    }
  }

  @Test
  @Order(0)
  void readmeCommandsTrainWithTheirDefaults() throws Exception {
    // deploy/README.md: local-cluster.sh start (in @BeforeAll), then this, nothing added.
    Path out = RUNS.resolve("readme");
    deleteRecursively(out);
    Run run = exec("readme", List.of("bash", ROOT.resolve("deploy/submit-standalone.sh").toString(),
        masterUrl, "--", "train", "--data", DATA.resolve("heart_scale").toString(),
        "--model", "logistic", "--max-steps", "20", "--output", out.toString()), null, Map.of());
    System.out.printf(Locale.ROOT, "README commands: %.1f s%n", run.seconds());
    assertEquals(0, run.exitCode(), "the README's run failed; see " + run.log() + "\n" + tail(run.output()));
    assertEquals(20, ((Number) LinearModel.load(out).training().get("steps")).intValue());
    assertDriverOnLoopback(run);
  }

  @Test
  @Order(1)
  void clusterModelEqualsLocalModel() throws Exception {
    Run local = train("local", "deploy/submit-local.sh", List.of("--master", "local[2]"), null);
    LinearModel localModel = LinearModel.load(RUNS.resolve("local"));
    LinearModel clusterModel = undisturbed();
    double gap = relativeGap(localModel, clusterModel);
    System.out.printf(Locale.ROOT, "local[2] vs cluster: max relative gap %.3e (local run %.1f s)%n",
        gap, local.seconds());
    assertEquals(STEPS, ((Number) clusterModel.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "cluster model differs from the local[2] model by " + gap);
  }

  @Test
  @Order(2)
  void runThatLosesAWorkerReachesTheSameModel() throws Exception {
    LinearModel reference = undisturbed();
    bothWorkersAlive();
    Run killed = trainLosingWorker1("killed", heartScale(), STEPS, KILL_AFTER_STEP);
    LinearModel model = LinearModel.load(RUNS.resolve("killed"));
    double gap = relativeGap(reference, model);
    System.out.printf(Locale.ROOT,
        "killed worker-1 after step %d: max relative gap to the undisturbed run %.3e (%.1f s)%n",
        KILL_AFTER_STEP, gap, killed.seconds());
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "model after losing a worker differs by " + gap);
  }

  @Test
  @Order(3)
  void sparseRunThatLosesAWorkerEqualsTheLocalRun() throws Exception {
    List<String> options = a9aSparse();
    Run local = train("a9a-local", "deploy/submit-local.sh", List.of("--master", "local[2]"),
        options, null);
    bothWorkersAlive();
    Run killed = trainLosingWorker1("a9a-killed", options, SPARSE_STEPS, KILL_AFTER_STEP);
    LinearModel localModel = LinearModel.load(RUNS.resolve("a9a-local"));
    LinearModel model = LinearModel.load(RUNS.resolve("a9a-killed"));
    for (Run run : List.of(local, killed)) {
      assertTrue(run.output().contains("driver step: sparse (exact)\n"),
          "no sparse step; see " + run.log() + "\n" + tail(run.output()));
    }
    assertEquals("sparse (exact)", localModel.training().get("driverStep"));
    assertEquals("sparse (exact)", model.training().get("driverStep"));
    assertEquals(SPARSE_STEPS, ((Number) model.training().get("steps")).intValue());
    System.out.printf(Locale.ROOT, "a9a, sparse step: local[2] %.1f s; killed worker-1 after step %d:"
        + " max relative gap to local[2] %.3e (%.1f s)%n",
        local.seconds(), KILL_AFTER_STEP, relativeGap(localModel, model), killed.seconds());
    assertArrayEquals(localModel.params(), model.params(),
        "the sparse run that lost a worker differs from the local[2] run");
    assertEquals(localModel.training().get("objective"), model.training().get("objective"));
  }

  @Test
  @Order(4)
  void roundsOfLocalStepsThatLoseAWorkerEqualTheLocalRun() throws Exception {
    List<String> options = heartScaleRounds();
    Run local = train("rounds-local", "deploy/submit-local.sh", List.of("--master", "local[2]"),
        options, null);
    bothWorkersAlive();
    Run killed = trainLosingWorker1("rounds-killed", options, ROUNDS, KILL_AFTER_ROUND);
    LinearModel localModel = LinearModel.load(RUNS.resolve("rounds-local"));
    LinearModel model = LinearModel.load(RUNS.resolve("rounds-killed"));
    assertEquals(ROUNDS, ((Number) model.training().get("steps")).intValue());
    // A round reads H mini-batches of 27 rows: 12 rounds of 5 are 6 passes over the 270 rows.
    assertEquals(6.0, ((Number) model.training().get("epochs")).doubleValue());
    assertEquals(6.0, ((Number) localModel.training().get("epochs")).doubleValue());
    System.out.printf(Locale.ROOT, "heart_scale, rounds of %d local steps: local[2] %.1f s; killed"
        + " worker-1 after round %d: max relative gap to local[2] %.3e (%.1f s)%n",
        LOCAL_STEPS, local.seconds(), KILL_AFTER_ROUND, relativeGap(localModel, model),
        killed.seconds());
    assertArrayEquals(localModel.params(), model.params(),
        "the rounds that lost a worker differ from the local[2] run");
    assertEquals(localModel.training().get("objective"), model.training().get("objective"));
  }

  @Test
  @Order(5)
  void networkRunThatLosesAWorkerEqualsTheLocalRun() throws Exception {
    List<String> options = digitsNetwork();
    Run local = train("mlp-local", "deploy/submit-local.sh", List.of("--master", "local[2]"),
        options, null);
    bothWorkersAlive();
    Run killed = trainLosingWorker1("mlp-killed", options, NETWORK_STEPS, KILL_AFTER_STEP);
    LinearModel localModel = LinearModel.load(RUNS.resolve("mlp-local"));
    LinearModel model = LinearModel.load(RUNS.resolve("mlp-killed"));
    assertEquals("mlp", localModel.modelType().id());
    assertEquals(localModel.network(), model.network());
    // 64·16 + 16·10 weights and 16 + 10 biases.
    assertEquals(64 * 16 + 16 * 10 + 16 + 10, model.params().length);
    assertEquals(NETWORK_STEPS, ((Number) model.training().get("steps")).intValue());
    System.out.printf(Locale.ROOT, "digits, 64-16-10 network: local[2] %.1f s; killed worker-1"
        + " after step %d: max relative gap to local[2] %.3e (%.1f s)%n", local.seconds(),
        KILL_AFTER_STEP, relativeGap(localModel, model), killed.seconds());
    assertArrayEquals(localModel.params(), model.params(),
        "the network run that lost a worker differs from the local[2] run");
    assertEquals(localModel.training().get("objective"), model.training().get("objective"));
  }

  @Test
  @Order(6)
  void workersTooSmallEndWithOneLine() throws Exception {
    // Every worker offers 2g; executors of 4g fit nowhere.
    Run run = noExecutor("too-small", List.of(masterUrl, "--conf", "spark.descent.startTimeout=10s"),
        List.of(), Map.of("EXECUTOR_MEMORY", "4g"));
    assertTrue(run.output().contains("descent: error: no executor started in 10 s: each executor asks"
        + " for 4g and at least 1 core; the largest worker offers 2g and 1 core free ("),
        "no verdict naming the ask and the offer; see " + run.log() + "\n" + tail(run.output()));
  }

  @Test
  @Order(7)
  void masterWhereNothingListensEndsWithOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String nowhere = "spark://127.0.0.1:" + port;
    Run run = noExecutor("nowhere", List.of(nowhere), List.of("--start-timeout", "10"), Map.of());
    assertTrue(run.output().contains("descent: error: no executor started in 10 s: each executor asks"
        + " for 2g and at least 1 core; nothing answers at " + nowhere),
        "no verdict naming the master; see " + run.log() + "\n" + tail(run.output()));
  }

  /**
   * Runs train into a directory that holds a previous model and a checkpoint directory that holds
   * a checkpoint, on a cluster that gives it no executor: the run must fail within the 10 s start
   * timeout plus the JVMs' start, print one error line, and leave both directories as they were.
   */
  static Run noExecutor(String name, List<String> sparkOptions, List<String> descentOptions,
      Map<String, String> env) throws Exception {
    Path out = RUNS.resolve(name);
    Path checkpoints = RUNS.resolve(name + "-checkpoints");
    deleteRecursively(out);
    deleteRecursively(checkpoints);
    Files.createDirectories(out);
    Files.createDirectories(checkpoints);
    Files.writeString(out.resolve("model.json"), "{\"previous\": true}\n");
    Files.writeString(checkpoints.resolve("checkpoint-5.json"), "{\"step\": 5}\n");
    Map<Path, String> before = snapshot(out, checkpoints);
    List<String> command = new ArrayList<>(List.of("bash",
        ROOT.resolve("deploy/submit-standalone.sh").toString()));
    command.addAll(sparkOptions);
    command.addAll(List.of("--conf", "spark.ui.enabled=false", "--",
        "train", "--data", DATA.resolve("heart_scale").toString(), "--model", "logistic",
        "--max-steps", "20", "--output", out.toString(), "--checkpoint-dir",
        checkpoints.toString()));
    command.addAll(descentOptions);
    Run run = exec(name, command, null, env);
    System.out.printf(Locale.ROOT, "%s: exit %d in %.1f s%n", name, run.exitCode(), run.seconds());
    assertEquals(1, run.exitCode(), name + ": expected exit 1; see " + run.log() + "\n" + tail(run.output()));
    assertTrue(run.seconds() < 10 + 60, name + " took " + run.seconds() + " s");
    assertEquals(1, run.output().lines().filter(l -> l.startsWith("descent: error:")).count(),
        "not exactly one error line; see " + run.log());
    assertEquals(before, snapshot(out, checkpoints), name + " changed the previous model or checkpoint");
    assertDriverOnLoopback(run);
    return run;
  }

  /** Each file under the directories with its size, modification time and content. */
  static Map<Path, String> snapshot(Path... dirs) throws IOException {
    Map<Path, String> files = new java.util.TreeMap<>();
    for (Path dir : dirs) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.filter(Files::isRegularFile).toList()) {
          files.put(p, Files.size(p) + " " + Files.getLastModifiedTime(p) + " " + Files.readString(p));
        }
      }
    }
    return files;
  }

  /**
   * The driver of a run against the loopback cluster listens on 127.0.0.1: Spark did not fall back
   * to another interface, and it serves the jar from 127.0.0.1.
   */
  static void assertDriverOnLoopback(Run run) {
    assertFalse(run.output().contains("resolves to a loopback address"),
        "the driver looked for an outward interface; see " + run.log());
    assertTrue(Pattern.compile("Added JAR \\S+ at spark://127\\.0\\.0\\.1:\\d+/").matcher(run.output()).find(),
        "the driver did not serve the jar from 127.0.0.1; see " + run.log());
  }

  /** The cluster run nothing disturbs, trained once for both tests. */
  static synchronized LinearModel undisturbed() throws Exception {
    if (undisturbed == null) {
      Run run = train("cluster", "deploy/submit-standalone.sh", clusterOptions(), null);
      undisturbed = LinearModel.load(RUNS.resolve("cluster"));
      System.out.printf(Locale.ROOT, "cluster run %.1f s%n", run.seconds());
    }
    return undisturbed;
  }

  static List<String> clusterOptions() {
    // The script's defaults: one executor of 2g per one-core worker of 2g; driver on 127.0.0.1.
    return List.of(masterUrl);
  }

  /**
   * Logistic regression on heart_scale (270 rows, 13 features) with 40 mini-batch steps of 64
   * rows over 4 partitions.
   */
  static List<String> heartScale() {
    return List.of("--data", DATA.resolve("heart_scale").toString(), "--num-features", "13",
        "--model", "logistic", "--intercept", "--reg-l2", "1e-3", "--lr", "0.5",
        "--batch-size", "64", "--max-steps", String.valueOf(STEPS), "--seed", "7",
        "--partitions", "4");
  }

  /**
   * Logistic regression on a9a (32,561 rows, 123 binary features, about 14 a row): every cached
   * block is CSR and Nesterov momentum with an L2 penalty has an exact sparse update, so each of
   * the 40 steps of 2000 rows takes the sparse step and ships the changed entries of both its
   * vectors. Depth 1 (the default for 124 parameters) merges the partial sums in partition
   * order.
   */
  static List<String> a9aSparse() {
    return List.of("--data", DATA.resolve("a9a").toString(), "--num-features", "123",
        "--model", "logistic", "--optimizer", "sgd", "--momentum", "0.9", "--nesterov",
        "--intercept", "--reg-l2", "1e-3",
        "--lr", "0.1", "--batch-size", "2000", "--max-steps", String.valueOf(SPARSE_STEPS),
        "--aggregation-depth", "1", "--seed", "7", "--partitions", "4");
  }

  /**
   * heart_scale in 12 rounds of 5 local steps of 27 rows each (inner SGD at 0.5, then the
   * workers' changes averaged: outer SGD at 1) over 4 partitions, the partial sums merged in
   * partition order (depth 1, also the default for 14 parameters).
   */
  static List<String> heartScaleRounds() {
    return List.of("--data", DATA.resolve("heart_scale").toString(), "--num-features", "13",
        "--model", "logistic", "--intercept", "--reg-l2", "1e-3",
        "--local-steps", String.valueOf(LOCAL_STEPS), "--inner-lr", "0.5",
        "--batch-size", "27", "--max-steps", String.valueOf(ROUNDS), "--aggregation-depth", "1",
        "--seed", "7", "--partitions", "4");
  }

  /**
   * A 64-16-10 network (tanh hidden layer, softmax output) on digits (1797 rows, 64 features,
   * 10 classes): 40 Adam steps of 128 rows over 4 partitions, each a forward and backward pass of
   * matrix products, the partial sums merged in partition order (depth 1).
   */
  static List<String> digitsNetwork() {
    return List.of("--data", DATA.resolve("digits.libsvm").toString(), "--num-features", "64",
        "--model", "mlp", "--hidden", "16", "--activation", "tanh", "--optimizer", "adam",
        "--lr", "0.01", "--reg-l2", "1e-4", "--batch-size", "128",
        "--max-steps", String.valueOf(NETWORK_STEPS), "--aggregation-depth", "1", "--seed", "7",
        "--partitions", "4");
  }

  /** Trains on heart_scale ({@link #heartScale}) through {@code script} into {@code RUNS/name}. */
  static Run train(String name, String script, List<String> sparkOptions, IntConsumer onStep)
      throws Exception {
    return train(name, script, sparkOptions, heartScale(), onStep);
  }

  /**
   * Trains with {@code options} (data and training options of {@code descent train}) through
   * {@code script} into {@code RUNS/name}, printing a progress line at every step.
   */
  static Run train(String name, String script, List<String> sparkOptions, List<String> options,
      IntConsumer onStep) throws Exception {
    Path out = RUNS.resolve(name);
    deleteRecursively(out);
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(sparkOptions);
    command.addAll(List.of("--conf", "spark.ui.enabled=false", "--", "train"));
    command.addAll(options);
    command.addAll(List.of("--progress-seconds", "0", "--output", out.toString()));
    Run run = exec(name, command, onStep, Map.of());
    assertEquals(0, run.exitCode(), name + " run failed; see " + run.log() + "\n" + tail(run.output()));
    assertFalse(run.output().contains("resolves to a loopback address"),
        name + ": the driver looked for an outward interface; see " + run.log());
    return run;
  }

  /**
   * Trains on the cluster with {@code options} into {@code RUNS/name} and kills worker-1's JVM
   * (SIGKILL, by its pid) once the run has printed step {@code killAfter} of {@code steps}: its
   * executor exits with it, and Spark re-runs the lost tasks on worker-2's executor, which
   * rebuilds the lost cached partitions from the file. The driver must have lost the executor
   * before the last step.
   */
  static Run trainLosingWorker1(String name, List<String> options, int steps, int killAfter)
      throws Exception {
    long worker = pid("worker-1").orElseThrow(() -> new AssertionError("no worker-1.pid"));
    ProcessHandle victim = ProcessHandle.of(worker)
        .orElseThrow(() -> new AssertionError("worker-1 (pid " + worker + ") is not running"));
    int[] killedAt = {0};
    Run killed = train(name, "deploy/submit-standalone.sh", clusterOptions(), options, step -> {
      if (step == killAfter && killedAt[0] == 0) {
        killedAt[0] = step;
        victim.destroyForcibly(); // SIGKILL: the worker JVM dies without a goodbye.
      }
    });
    assertEquals(killAfter, killedAt[0], "the run never reached step " + killAfter);
    victim.onExit().get(30, TimeUnit.SECONDS);
    int lost = killed.output().indexOf("Lost executor");
    assertTrue(lost >= 0, "the driver never lost an executor; see " + killed.log());
    // The progress line says round instead of step with local steps.
    int last = Math.max(killed.output().indexOf("\nstep " + steps + "/" + steps + " "),
        killed.output().indexOf("\nround " + steps + "/" + steps + " "));
    assertTrue(last >= 0, "no progress line of step " + steps + "; see " + killed.log());
    assertTrue(lost < last, "the driver lost the executor only after the last step; see "
        + killed.log());
    return killed;
  }

  static Run cluster(String action) throws Exception {
    return exec("local-cluster-" + action,
        List.of("bash", ROOT.resolve("deploy/local-cluster.sh").toString(), action), null, Map.of());
  }


  /** Runs {@code command} from the root with the test's environment plus {@code extraEnv}. */
  static Run exec(String name, List<String> command, IntConsumer onStep,
      Map<String, String> extraEnv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // The Spark from this checkout's Maven classpath, not one the machine may have installed.
    env.remove("SPARK_HOME");
    env.remove("SPARK_SUBMIT");
    env.remove("SPARK_CONF_DIR");
    // As on a user's machine: the scripts, not the environment, keep everything on loopback.
    env.remove("SPARK_LOCAL_IP");
    env.put("DESCENT_CLUSTER_DIR", CLUSTER.toString());
    env.put("DESCENT_DRIVER_MEMORY", "1g");
    // Every JVM of the test (daemons, drivers, executors) is short-lived and does little work:
    // the C1 compiler alone and the serial collector halve their CPU time on a two-core machine.
    // Java's double arithmetic is the same under either compiler.
    env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    env.putAll(extraEnv);
    return Run.of(name, pb, WORK.resolve(name + ".log"), onStep, RUN_TIMEOUT_SECONDS);
  }

  static java.util.Optional<Long> pid(String daemon) throws IOException {
    Path file = CLUSTER.resolve(daemon + ".pid");
    if (!Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Long.parseLong(Files.readString(file).trim()));
  }

  /** max_j |a_j − b_j| / max_j |a_j| over the coefficients and the intercept. */
  static double relativeGap(LinearModel a, LinearModel b) {
    assertEquals(a.numFeatures(), b.numFeatures());
    double[] x = a.params();
    double[] y = b.params();
    assertEquals(x.length, y.length);
    double diff = 0;
    double scale = 0;
    for (int j = 0; j < x.length; j++) {
      diff = Math.max(diff, Math.abs(x[j] - y[j]));
      scale = Math.max(scale, Math.abs(x[j]));
    }
    assertTrue(scale > 0, "all-zero model");
    return diff / scale;
  }

  static String tail(String text) {
    String[] lines = text.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
      sb.append(lines[i]).append('\n');
    }
    return sb.toString();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
