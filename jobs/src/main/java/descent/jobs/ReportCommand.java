package descent.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent report RUN_DIR...}: the training report of one or more finished runs as one
 * self-contained HTML file, with a PNG of each chart beside it. Needs no Spark.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write an HTML report (and PNG charts) of the metrics of one or more train runs;"
        + " several runs overlay in each chart.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
      description = "output directories of train runs (metrics.jsonl or metrics.csv)")
  List<Path> runs;

  @Option(names = "--output", paramLabel = "FILE.html",
      description = "the HTML file (default: RUN_DIR/report.html for one run, report.html for several)")
  Path output;

  /** The report file when {@code --output} is not given. */
  static Path defaultOutput(List<Path> runs) {
    return runs.size() == 1 ? runs.get(0).resolve("report.html") : Path.of("report.html");
  }

  @Override
  public Integer call() throws Exception {
    Path html = output != null ? output : defaultOutput(runs);
    List<Path> written = Report.write(runs, html);
    System.out.println("wrote " + written.get(0) + " and " + (written.size() - 1)
        + " PNG charts (" + written.get(1).getFileName() + ", ...)");
    return 0;
  }
}
