package descent.jobs;

import descent.jobs.bench.BenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code descent} command line: {@code train}, {@code predict}, {@code evaluate},
 * {@code bench}, {@code gradcheck} and {@code report}. Errors in the input or the options end the run with one line naming the problem and a non-zero exit
 * (1 for a bad input or a diverged run, 2 for a bad command line).
 */
@Command(name = "descent", mixinStandardHelpOptions = true, version = "descent 0.1.0",
    description = "Data-parallel mini-batch gradient descent on Apache Spark.",
    subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
        BenchCommand.class, GradcheckCommand.class, ReportCommand.class,
        YarnPreflightCommand.class})
public final class Main implements Callable<Integer> {

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 2;
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
        args);
  }

  /** Runs the command line with picocli's output and error streams set; returns the exit code. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // A cluster that never ran a task is the cause, whatever Spark failed with afterwards.
      String line = StartWatchdog.explain(e).map(Errors::redact).orElseGet(() -> Errors.message(e));
      cmd.getErr().println("descent: error: " + line);
      if (System.getenv("DESCENT_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }

  /**
   * Runs the command line and exits with its code. As the driver of a YARN application in
   * cluster mode, a run that succeeded returns instead: YARN's ApplicationMaster reports success
   * only when the main method returns, and counts an exit, even with 0, as a failure.
   */
  public static void main(String[] args) {
    int code = run(args);
    if (code == 0 && isYarnClusterDriver()) {
      return;
    }
    System.exit(code);
  }

  /**
   * Whether this JVM is a driver that YARN's ApplicationMaster runs: it sets the application's
   * Spark configuration as system properties before calling the main method.
   */
  static boolean isYarnClusterDriver() {
    return "cluster".equals(System.getProperty("spark.submit.deployMode"))
        && String.valueOf(System.getProperty("spark.master")).startsWith("yarn");
  }
}
