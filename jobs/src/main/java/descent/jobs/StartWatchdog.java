package descent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Ends a run that a cluster never serves: when no executor has registered within
 * {@code spark.descent.startTimeout} seconds of the session's start, or a stage has waited that
 * long with executors but no task started, it stops the SparkContext (or interrupts its creation,
 * which on a standalone master blocks until the master answers) and keeps one line that says what
 * the run asked for and what the cluster offers. {@link Main} prints that line instead of Spark's
 * failure, so the command exits 1 before anything is written.
 *
 * <p>Without it a run that asks for more than any worker has waits forever while Spark logs
 * "Initial job has not accepted any resources". Local masters are never watched: their executor
 * is the driver itself. Once a task has started the watchdog is done: losing executors later is
 * Spark's fault tolerance to handle, not a start-up failure.
 */
public final class StartWatchdog implements AutoCloseable {
  /** The Spark property of the timeout, in seconds (a time string such as {@code 2m} also works). */
  public static final String TIMEOUT_PROPERTY = "spark.descent.startTimeout";
  /** The default timeout: long enough for a busy YARN queue to grant containers. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 120;
  /** The Spark property naming the standalone master's web UI (its {@code /json/} is read). */
  public static final String MASTER_UI_PROPERTY = "spark.descent.masterUi";

  private static final long POLL_MILLIS = 500;
  private static final int HTTP_TIMEOUT_MILLIS = 3000;

  /** The verdict of the newest watchdog that fired in this JVM; cleared when a new one starts. */
  private static final AtomicReference<String> VERDICT = new AtomicReference<>();
  /** The newest watchdog started in this JVM, for {@link #explain}. */
  private static final AtomicReference<StartWatchdog> CURRENT = new AtomicReference<>();

  private final SparkConf conf;
  private final long timeoutSeconds;
  private final long startNanos = System.nanoTime();
  private final Thread creator = Thread.currentThread();
  private final ScheduledExecutorService timer;
  private volatile SparkContext sc;
  private volatile boolean executorAdded;
  private volatile boolean taskStarted;
  private volatile long waitingStageSince = -1;
  private volatile boolean done;
  private volatile boolean stoppedBeforeClose;
  private SparkListener listener;

  private StartWatchdog(SparkConf conf, long timeoutSeconds) {
    this.conf = conf;
    this.timeoutSeconds = timeoutSeconds;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "descent start watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts watching the session about to be created with {@code conf}, from the calling thread
   * (the one that will block in its creation); {@code null} for a local master or a timeout of 0.
   *
   * @param timeoutSeconds the timeout, or {@code null} for {@value #TIMEOUT_PROPERTY} (default
   *     {@value #DEFAULT_TIMEOUT_SECONDS} s)
   */
  public static StartWatchdog start(SparkConf conf, Long timeoutSeconds) {
    forget();
    long timeout = timeoutSeconds != null ? timeoutSeconds
        : conf.getTimeAsSeconds(TIMEOUT_PROPERTY, DEFAULT_TIMEOUT_SECONDS + "s");
    if (timeout < 0) {
      throw new IllegalArgumentException("--start-timeout (" + TIMEOUT_PROPERTY
          + ") must be 0 (no limit) or positive, got " + timeout);
    }
    String master = conf.get("spark.master", "local[*]");
    if (timeout == 0 || master.startsWith("local[") || master.equals("local")) {
      return null;
    }
    StartWatchdog w = new StartWatchdog(conf, timeout);
    CURRENT.set(w);
    w.timer.scheduleWithFixedDelay(w::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return w;
  }

  /** Forgets the watchdog and verdict of an earlier command in this JVM. */
  static void forget() {
    VERDICT.set(null);
    CURRENT.set(null);
  }

  /** Watches the created context: its executors, stages and tasks. */
  public void attach(SparkContext context) {
    this.sc = context;
    listener = new SparkListener() {
      @Override
      public void onExecutorAdded(SparkListenerExecutorAdded event) {
        executorAdded = true;
      }

      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted event) {
        if (waitingStageSince < 0) {
          waitingStageSince = System.nanoTime();
        }
      }

      @Override
      public void onTaskStart(SparkListenerTaskStart event) {
        taskStarted = true;
      }
    };
    context.addSparkListener(listener);
    // Executors that registered before the listener did (the driver is in the list too).
    try {
      if (context.statusTracker().getExecutorInfos().length > 1) {
        executorAdded = true;
      }
    } catch (IllegalStateException e) {
      // Spark stopped the context already (it gave up on the master); the command's first call
      // into it fails, and explain() says why.
    }
  }

  /** Stops watching; the run has finished or failed for reasons of its own. */
  @Override
  public void close() {
    SparkContext context = sc;
    if (context != null && context.isStopped() && VERDICT.get() == null) {
      stoppedBeforeClose = true; // by Spark itself: it gave up on the cluster
    }
    done = true;
    timer.shutdownNow();
    if (context != null && listener != null) {
      context.removeSparkListener(listener);
    }
  }

  /**
   * The one line that explains a failed command, when the cluster is to blame: the verdict of a
   * watchdog that fired, or, when Spark stopped the context by itself before any executor
   * registered (it gives up on a standalone master that never answers after a minute), the same
   * kind of line written now. Empty for every other failure, descent's own errors included.
   */
  static Optional<String> explain(Throwable failure) {
    String verdict = VERDICT.get();
    if (verdict != null) {
      return Optional.of(verdict);
    }
    StartWatchdog w = CURRENT.get();
    if (w == null || !(w.stoppedBeforeClose || stoppedContext(failure)) || w.executorAdded
        || w.taskStarted || descentsOwn(failure)) {
      return Optional.empty();
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - w.startNanos);
    return Optional.of(w.verdict("no executor started in " + seconds + " s"));
  }

  private void check() {
    if (done) {
      return;
    }
    if (taskStarted) {
      close();
      return;
    }
    long now = System.nanoTime();
    if (!executorAdded && now - startNanos >= TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
      fire("no executor started in " + timeoutSeconds + " s");
    } else if (executorAdded && waitingStageSince >= 0
        && now - waitingStageSince >= TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
      fire("no task started in " + timeoutSeconds + " s");
    }
  }

  /** Whether Spark failed because its context had been stopped (as it does when it gives up). */
  private static boolean stoppedContext(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("stopped SparkContext") || m.contains("SparkContext was shut down")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the failure is one of descent's own errors (bad input, options, divergence). */
  private static boolean descentsOwn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataFormatException || t instanceof descent.driver.DivergenceException
          || t instanceof IllegalArgumentException) {
        return true;
      }
    }
    return false;
  }

  /** Writes (once) and returns the verdict: {@code what}, then what was asked and offered. */
  private synchronized String verdict(String what) {
    String line = VERDICT.get();
    if (line == null) {
      try {
        line = what + ": " + diagnose();
      } catch (RuntimeException e) {
        line = what + ": each executor asks for " + ask();
      }
      VERDICT.set(line);
    }
    return line;
  }

  private void fire(String what) {
    if (VERDICT.get() != null) {
      return;
    }
    verdict(what);
    done = true;
    timer.shutdown();
    SparkContext context = sc;
    if (context != null) {
      // Stopping fails the job the command waits on; a thread of its own, as stop joins threads.
      Thread stopper = new Thread(context::stop, "descent start watchdog: stop");
      stopper.setDaemon(true);
      stopper.start();
    } else {
      // The context is still being created: a standalone master that does not answer keeps its
      // constructor waiting; the interrupt ends that wait.
      creator.interrupt();
    }
  }

  /** What one executor asks for, e.g. {@code 2g and 1 core}. */
  String ask() {
    long mb = conf.getSizeAsMb("spark.executor.memory", "1g");
    String cores = conf.contains("spark.executor.cores")
        ? plural(conf.getInt("spark.executor.cores", 1), "core") : "at least 1 core";
    return memory(mb) + " and " + cores;
  }

  private String appId() {
    SparkContext context = sc;
    return context != null ? context.applicationId() : "APP_ID";
  }

  /** What was asked and what the cluster manager offers, as far as descent can tell. */
  String diagnose() {
    String master = conf.get("spark.master");
    if (executorAdded) {
      SparkContext context = sc;
      int executors = context == null ? 0 : context.statusTracker().getExecutorInfos().length - 1;
      return plural(executors, "executor") + " registered, but none ran a task; each task asks"
          + " for " + plural(conf.getInt("spark.task.cpus", 1), "core") + " (spark.task.cpus)"
          + " and each executor for " + ask();
    }
    String ask = "each executor asks for " + ask();
    if (master.startsWith("spark://")) {
      return ask + "; " + standaloneOffer(master);
    }
    if (master.startsWith("yarn")) {
      long mb = conf.getSizeAsMb("spark.executor.memory", "1g");
      long overhead = YarnPreflightCommand.overhead(conf, "spark.executor", mb);
      return "each executor asks YARN for a container of " + memory(mb + overhead) + " ("
          + memory(mb) + " heap + " + memory(overhead) + " overhead) and "
          + plural(conf.getInt("spark.executor.cores", 1), "core") + " in queue "
          + conf.get("spark.yarn.queue", "default") + "; YARN granted none (the queue or the"
          + " nodes have no room for it: yarn application -status " + appId() + ")";
    }
    if (master.startsWith("k8s://")) {
      return "each executor pod asks for " + ask() + " in namespace "
          + conf.get("spark.kubernetes.namespace", "default") + "; none is running (kubectl"
          + " describe pod -l spark-app-selector=" + appId() + ",spark-role=executor says why)";
    }
    return ask + "; the cluster manager at " + master + " granted none";
  }

  /**
   * The largest offer of an alive worker, from the master's {@code /json/}; or that nothing
   * answers at the master's address.
   */
  private String standaloneOffer(String master) {
    List<InetSocketAddress> masters = new ArrayList<>();
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      URI uri = URI.create("spark://" + hostPort);
      masters.add(InetSocketAddress.createUnresolved(uri.getHost(),
          uri.getPort() < 0 ? 7077 : uri.getPort()));
    }
    if (masters.stream().noneMatch(StartWatchdog::answers)) {
      return "nothing answers at " + master + " (is the master running?)";
    }
    List<String> uis = new ArrayList<>();
    if (conf.contains(MASTER_UI_PROPERTY)) {
      uis.add(conf.get(MASTER_UI_PROPERTY));
    } else {
      for (InetSocketAddress m : masters) {
        uis.add("http://" + m.getHostString() + ":" + conf.getInt("spark.master.ui.port", 8080));
      }
    }
    for (String ui : uis) {
      JsonNode state = masterState(ui);
      if (state == null) {
        continue;
      }
      JsonNode best = null;
      int alive = 0;
      for (JsonNode w : state.path("workers")) {
        if (!"ALIVE".equals(w.path("state").asText())) {
          continue;
        }
        alive++;
        if (best == null || w.path("memoryfree").asLong() > best.path("memoryfree").asLong()) {
          best = w;
        }
      }
      if (best == null) {
        return "no worker is alive (master web UI " + ui + ")";
      }
      return "the largest worker offers " + memory(best.path("memoryfree").asLong()) + " and "
          + plural(best.path("coresfree").asInt(), "core") + " free (" + plural(alive, "worker")
          + " alive; master web UI " + ui + ")";
    }
    return "the master's web UI (" + String.join(", ", uis) + ") did not answer; it lists what"
        + " each worker offers (set " + MASTER_UI_PROPERTY + " to its URL)";
  }

  private static boolean answers(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address.getHostString(), address.getPort()),
          HTTP_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode masterState(String ui) {
    try {
      String base = ui.endsWith("/") ? ui : ui + "/";
      HttpURLConnection c = (HttpURLConnection) URI.create(base + "json/").toURL().openConnection();
      c.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
      c.setReadTimeout(HTTP_TIMEOUT_MILLIS);
      try (InputStream in = c.getInputStream()) {
        return new ObjectMapper().readTree(in);
      } finally {
        c.disconnect();
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Megabytes as Spark writes them: {@code 2g}, {@code 1536m}. */
  static String memory(long mb) {
    return mb % 1024 == 0 ? (mb / 1024) + "g" : mb + "m";
  }

  private static String plural(long n, String noun) {
    return String.format(Locale.ROOT, "%d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
