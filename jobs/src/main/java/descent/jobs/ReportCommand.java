package descent.jobs;

import descent.driver.OutputDir;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent report RUN_DIR...}: the training report of one or more finished runs as one
 * self-contained HTML file, with a PNG of each chart beside it. The run directories and the
 * report may be local paths or Hadoop URIs ({@code hdfs://...}). Needs no Spark.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write an HTML report (and PNG charts) of the metrics of one or more train runs;"
        + " several runs overlay in each chart.")
final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN_DIR",
      description = "output directories of train runs (metrics.jsonl or metrics.csv): local"
          + " paths or Hadoop URIs")
  List<String> runs;

  @Option(names = "--output", paramLabel = "FILE.html",
      description = "the HTML file, a local path or a Hadoop URI (default: RUN_DIR/report.html"
          + " for one run, report.html for several)")
  String output;

  @Override
  public Integer call() throws Exception {
    OutputDir htmlDir;
    String htmlName;
    if (output != null) {
      htmlDir = OutputDir.parentOf(output);
      htmlName = OutputDir.nameOf(output);
    } else {
      htmlDir = OutputDir.of(runs.size() == 1 ? runs.get(0) : "");
      htmlName = "report.html";
    }
    List<String> written = Report.write(runs.stream().map(OutputDir::of).toList(), htmlDir,
        htmlName);
    String png = written.get(1);
    System.out.println("wrote " + written.get(0) + " and " + (written.size() - 1)
        + " PNG charts (" + png.substring(png.lastIndexOf('/') + 1) + ", ...)");
    return 0;
  }
}
