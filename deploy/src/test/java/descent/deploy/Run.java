package descent.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;

/**
 * The output of one process the cluster tests start (stdout and stderr together, also kept in
 * {@code log}), its exit code and its wall time.
 */
record Run(int exitCode, String output, Path log, double seconds) {

  /**
   * Starts {@code pb}, copies its output to {@code log} line by line, calls {@code onStep} (when
   * not null) with N for each progress line {@code step N/M} ({@code round N/M} with local
   * steps), and waits up to {@code timeoutSeconds}; a process still running then is killed with
   * its children and the test fails with the output's tail.
   */
  static Run of(String name, ProcessBuilder pb, Path log, IntConsumer onStep,
      long timeoutSeconds) throws Exception {
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
          Matcher m = StandaloneClusterIT.STEP.matcher(line);
          if (m.find() && onStep != null) {
            onStep.accept(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // The process ended; what was read is kept.
      }
    }, "output of " + name);
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      Path stacks = log.resolveSibling(log.getFileName() + ".stacks.txt");
      dumpStacks(p, stacks);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(10_000);
      fail(name + " did not finish in " + timeoutSeconds + " s; see " + log + " and the"
          + " threads of its JVMs and of every Spark executor in " + stacks + "\n"
          + StandaloneClusterIT.tail(output.toString()));
    }
    reader.join(10_000);
    synchronized (output) {
      return new Run(p.exitValue(), output.toString(), log,
          StandaloneClusterIT.seconds(t0));
    }
  }

  /**
   * Writes the threads of every JVM that {@code p} started and of every Spark executor on this
   * machine (a standalone worker's executors are the worker's children, not the driver's) to
   * {@code file}, so that a run that hangs says where.
   */
  static void dumpStacks(Process p, Path file) {
    Path jcmd = ProcessHandle.current().info().command().map(Path::of)
        .map(java -> java.resolveSibling("jcmd")).orElse(Path.of("jcmd"));
    java.util.Set<Long> pids = new java.util.TreeSet<>();
    p.descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
        .forEach(h -> pids.add(h.pid()));
    ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .forEach(h -> pids.add(h.pid()));
    StringBuilder out = new StringBuilder();
    for (long pid : pids) {
      out.append("==== pid ").append(pid).append(": ")
          .append(ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("?"))
          .append('\n');
      try {
        Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
            .redirectErrorStream(true).start();
        out.append(new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        dump.waitFor(30, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        out.append("no thread dump: ").append(e).append('\n');
      }
    }
    try {
      Files.writeString(file, out);
    } catch (IOException e) {
      System.err.println("could not write " + file + ": " + e);
    }
  }
}
