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
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      reader.join(10_000);
      fail(name + " did not finish in " + timeoutSeconds + " s; see " + log + "\n"
          + StandaloneClusterIT.tail(output.toString()));
    }
    reader.join(10_000);
    synchronized (output) {
      return new Run(p.exitValue(), output.toString(), log,
          StandaloneClusterIT.seconds(t0));
    }
  }
}
