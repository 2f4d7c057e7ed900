package descent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import descent.driver.LinearModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
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
 * Only the order of the partial sums may differ, hence a tolerance of 1e-9 relative and not zero.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  static final double TOLERANCE = 1e-9;
  static final int STEPS = 40;
  static final int KILL_AFTER_STEP = 10;
  static final long RUN_TIMEOUT_SECONDS = 300;

  static final Path ROOT = Path.of(System.getProperty("descent.root", "..")).toAbsolutePath().normalize();
  static final Path DATA = Path.of(System.getProperty("descent.shared.data", ROOT + "/../shared/data"))
      .toAbsolutePath().normalize();
  static final Path WORK = Path.of(System.getProperty("descent.it.dir", ROOT + "/deploy/target/it"))
      .toAbsolutePath().normalize();
  static final Path CLUSTER = WORK.resolve("cluster");
  static final Path RUNS = WORK.resolve("runs");
  static final Pattern STEP = Pattern.compile("^step (\\d+)/(\\d+)\\b");

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
    long t0 = System.nanoTime();
    Run start = cluster("start");
    assertEquals(0, start.exitCode, "local-cluster.sh start failed:\n" + start.output);
    masterUrl = Files.readString(CLUSTER.resolve("master-url")).trim();
    System.out.printf(Locale.ROOT, "cluster %s up in %.1f s%n", masterUrl, seconds(t0));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    List<Long> pids = new ArrayList<>();
    for (String name : List.of("master", "worker-1", "worker-2")) {
      pid(name).ifPresent(pids::add);
    }
    Run stop = cluster("stop");
    assertEquals(0, stop.exitCode, "local-cluster.sh stop failed:\n" + stop.output);
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " still alive after local-cluster.sh stop");
    }
  }

  @Test
  @Order(1)
  void clusterModelEqualsLocalModel() throws Exception {
    Run local = train("local", "deploy/submit-local.sh", List.of("--master", "local[2]"), null);
    LinearModel localModel = LinearModel.load(RUNS.resolve("local"));
    LinearModel clusterModel = undisturbed();
    double gap = relativeGap(localModel, clusterModel);
    System.out.printf(Locale.ROOT, "local[2] vs cluster: max relative gap %.3e (local run %.1f s)%n",
        gap, local.seconds);
    assertEquals(STEPS, ((Number) clusterModel.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "cluster model differs from the local[2] model by " + gap);
  }

  @Test
  @Order(2)
  void runThatLosesAWorkerReachesTheSameModel() throws Exception {
    LinearModel reference = undisturbed();
    long worker = pid("worker-1").orElseThrow(() -> new AssertionError("no worker-1.pid"));
    ProcessHandle victim = ProcessHandle.of(worker)
        .orElseThrow(() -> new AssertionError("worker-1 (pid " + worker + ") is not running"));
    int[] killedAt = {0};
    Run killed = train("killed", "deploy/submit-standalone.sh", clusterOptions(), step -> {
      if (step == KILL_AFTER_STEP && killedAt[0] == 0) {
        killedAt[0] = step;
        victim.destroyForcibly(); // SIGKILL: the worker JVM dies without a goodbye.
      }
    });
    assertEquals(KILL_AFTER_STEP, killedAt[0], "the run never reached step " + KILL_AFTER_STEP);
    victim.onExit().get(30, TimeUnit.SECONDS);
    assertTrue(killed.output.contains("Lost executor"),
        "the driver never lost an executor; see " + killed.log);
    LinearModel model = LinearModel.load(RUNS.resolve("killed"));
    double gap = relativeGap(reference, model);
    System.out.printf(Locale.ROOT,
        "killed worker-1 after step %d: max relative gap to the undisturbed run %.3e (%.1f s)%n",
        KILL_AFTER_STEP, gap, killed.seconds);
    assertEquals(STEPS, ((Number) model.training().get("steps")).intValue());
    assertTrue(gap <= TOLERANCE, "model after losing a worker differs by " + gap);
  }

  /** The cluster run nothing disturbs, trained once for both tests. */
  static synchronized LinearModel undisturbed() throws Exception {
    if (undisturbed == null) {
      Run run = train("cluster", "deploy/submit-standalone.sh", clusterOptions(), null);
      undisturbed = LinearModel.load(RUNS.resolve("cluster"));
      System.out.printf(Locale.ROOT, "cluster run %.1f s%n", run.seconds);
    }
    return undisturbed;
  }

  static List<String> clusterOptions() {
    // One-core workers with 1g each: executors of 512m fit, one per worker.
    return List.of(masterUrl, "--conf", "spark.driver.host=127.0.0.1", "--executor-memory", "512m");
  }

  /**
   * Trains logistic regression on heart_scale (270 rows, 13 features) with 40 mini-batch steps
   * of 64 rows over 4 partitions, through {@code script}, into {@code RUNS/name}.
   */
  static Run train(String name, String script, List<String> sparkOptions, IntConsumer onStep)
      throws Exception {
    Path out = RUNS.resolve(name);
    deleteRecursively(out);
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(sparkOptions);
    command.addAll(List.of("--conf", "spark.ui.enabled=false", "--",
        "train", "--data", DATA.resolve("heart_scale").toString(), "--num-features", "13",
        "--model", "logistic", "--intercept", "--reg-l2", "1e-3", "--lr", "0.5",
        "--batch-size", "64", "--max-steps", String.valueOf(STEPS), "--seed", "7",
        "--partitions", "4", "--progress-seconds", "0", "--output", out.toString()));
    Run run = exec(name, command, onStep);
    assertEquals(0, run.exitCode, name + " run failed; see " + run.log + "\n" + tail(run.output));
    return run;
  }

  static Run cluster(String action) throws Exception {
    return exec("local-cluster-" + action,
        List.of("bash", ROOT.resolve("deploy/local-cluster.sh").toString(), action), null);
  }

  /** The output of one process (stdout and stderr together), also kept in WORK/NAME.log. */
  record Run(int exitCode, String output, Path log, double seconds) {}

  static Run exec(String name, List<String> command, IntConsumer onStep) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // The Spark from this checkout's Maven classpath, not one the machine may have installed.
    env.remove("SPARK_HOME");
    env.remove("SPARK_SUBMIT");
    env.remove("SPARK_CONF_DIR");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("DESCENT_CLUSTER_DIR", CLUSTER.toString());
    env.put("DESCENT_DRIVER_MEMORY", "1g");
    // Every JVM of the test (daemons, drivers, executors) is short-lived and does little work:
    // the C1 compiler alone and the serial collector halve their CPU time on a two-core machine.
    // Java's double arithmetic is the same under either compiler.
    env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    Path log = WORK.resolve(name + ".log");
    long t0 = System.nanoTime();
    Process p = pb.start();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
              new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
        String line;
        while ((line = in.readLine()) != null) {
          file.println(line);
          synchronized (output) {
            output.append(line).append('\n');
          }
          Matcher m = STEP.matcher(line);
          if (m.find() && onStep != null) {
            onStep.accept(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // The process ended; what was read is kept.
      }
    }, "output of " + name);
    reader.start();
    if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(10_000);
      fail(name + " did not finish in " + RUN_TIMEOUT_SECONDS + " s; see " + log + "\n"
          + tail(output.toString()));
    }
    reader.join(10_000);
    synchronized (output) {
      return new Run(p.exitValue(), output.toString(), log, seconds(t0));
    }
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
