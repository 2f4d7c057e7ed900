package descent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.driver.OutputDir;
import java.io.ByteArrayOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training report: one self-contained HTML file (the data as inline JSON, drawn into SVG by
 * an inline script, so it opens with no network) with the loss and validation loss against the
 * step and against time, the learning rate, the gradient norm and the clipped steps, every run
 * directory one series of each chart so that runs (optimizers, learning rates) overlay; and a PNG
 * copy of each chart, drawn with XChart, beside the HTML file. When a run took rounds of local
 * steps (its metrics have {@code inner_steps}), a step of it is a round, the step axes say so,
 * and one more chart draws the loss against the rows seen, where a synchronous run and a run of
 * rounds compare by the data they read. Runs trained under equality constraints add a table of
 * each constraint's multiplier and residual.
 */
final class Report {
  /**
   * One chart: its id (the PNG's suffix), title, the x column and the y columns (the first is
   * drawn solid, the others dashed), axis labels, and whether the y axis is logarithmic.
   */
  record Chart(String id, String title, String x, String xLabel, List<String> ys, String yLabel,
      boolean logY) {}

  /** The cumulative count of clipped steps, derived from {@code clipped}. */
  static final String CLIPPED_STEPS = "clipped_steps";

  static final List<Chart> CHARTS = List.of(
      new Chart("loss-step", "Loss against step", "step", "step",
          List.of("loss", "validation_loss"), "loss", false),
      new Chart("loss-time", "Loss against time", "elapsed_seconds", "seconds",
          List.of("loss", "validation_loss"), "loss", false),
      new Chart("learning-rate", "Learning rate", "step", "step", List.of("learning_rate"),
          "learning rate", true),
      new Chart("gradient-norm", "Gradient norm", "step", "step", List.of("gradient_norm"),
          "‖g‖", true),
      new Chart("clipping", "Clipped steps (cumulative)", "step", "step",
          List.of(CLIPPED_STEPS), "steps clipped", false));

  /** The cumulative rows read, derived from {@code rows}. */
  static final String ROWS_SEEN = "rows_seen";

  /** The chart a report of runs with rounds of local steps adds. */
  static final Chart LOSS_ROWS = new Chart("loss-rows", "Loss against rows seen", ROWS_SEEN,
      "rows seen", List.of("loss", "validation_loss"), "loss", false);

  /** Whether {@code m} is a run of rounds of local steps. */
  static boolean hasRounds(RunMetrics m) {
    return m.columns().containsKey(MetricsWriter.ROUND_COLUMNS.get(0));
  }

  /**
   * The charts of a report on {@code runs}: {@link #CHARTS}, and where any run took rounds of
   * local steps, the step axes named for rounds and {@link #LOSS_ROWS}.
   */
  static List<Chart> charts(List<Run> runs) {
    long withRounds = runs.stream().filter(r -> hasRounds(r.metrics())).count();
    if (withRounds == 0) {
      return CHARTS;
    }
    boolean all = withRounds == runs.size();
    String label = all ? "round" : "step (round with local steps)";
    List<Chart> charts = new ArrayList<>();
    for (Chart c : CHARTS) {
      charts.add(c.x().equals("step") ? new Chart(c.id(), all ? c.title().replace("step",
          "round") : c.title(), c.x(), label, c.ys(), c.yLabel(), c.logY()) : c);
    }
    charts.add(LOSS_ROWS);
    return List.copyOf(charts);
  }

  /** The name of each y column in legends. */
  static String seriesLabel(String column) {
    return switch (column) {
      case "validation_loss" -> "validation";
      default -> column.replace('_', ' ');
    };
  }

  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
      "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** A run with the name it has in legends. */
  record Run(String name, RunMetrics metrics) {}

  /** Names the runs by their directory names, adding parent directories where two collide. */
  static List<Run> name(List<RunMetrics> runs) {
    List<String> names = new ArrayList<>();
    for (RunMetrics r : runs) {
      Path abs = absolute(r.dir());
      names.add(abs.getFileName() == null ? abs.toString() : abs.getFileName().toString());
    }
    List<String> plain = List.copyOf(names);
    for (int i = 0; i < names.size(); i++) {
      if (plain.indexOf(plain.get(i)) != plain.lastIndexOf(plain.get(i))) {
        Path abs = absolute(runs.get(i).dir());
        if (abs.getParent() != null && abs.getParent().getFileName() != null) {
          names.set(i, abs.getParent().getFileName() + "/" + plain.get(i));
        }
      }
    }
    Set<String> seen = new HashSet<>();
    List<Run> named = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      String n = names.get(i);
      for (int k = 2; !seen.add(n); k++) {
        n = names.get(i) + " #" + k;
      }
      named.add(new Run(n, runs.get(i)));
    }
    return named;
  }

  /**
   * The run directory as an absolute path, for its name in legends: the path part of the
   * qualified URI of a directory on a Hadoop file system.
   */
  static Path absolute(OutputDir dir) {
    if (dir instanceof OutputDir.Local local) {
      return local.dir().toAbsolutePath().normalize();
    }
    try {
      return Path.of(java.net.URI.create(dir.absolute()).getPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PNG file of {@code chart} for the report {@code html}: {@code report-loss-step.png}. */
  static Path pngPath(Path html, Chart chart) {
    return html.resolveSibling(pngName(html.getFileName().toString(), chart));
  }

  /** The name of the PNG file of {@code chart} beside the report {@code htmlName}. */
  static String pngName(String htmlName, Chart chart) {
    String base = htmlName;
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    return base + "-" + chart.id() + ".png";
  }

  /**
   * Reads every run directory and writes the HTML report {@code htmlName} into {@code htmlDir}
   * and one PNG per chart beside it, each to a temporary name first and then renamed. Returns
   * the files written, as {@link OutputDir#file} prints them.
   */
  static List<String> write(List<OutputDir> runDirs, OutputDir htmlDir, String htmlName)
      throws IOException {
    List<RunMetrics> metrics = new ArrayList<>();
    for (OutputDir dir : runDirs) {
      metrics.add(RunMetrics.read(dir));
    }
    List<Run> runs = name(metrics);
    htmlDir.create();
    List<String> written = new ArrayList<>();
    for (Chart chart : charts(runs)) {
      String png = pngName(htmlName, chart);
      htmlDir.writeAtomically(png, png(chart, runs));
      written.add(htmlDir.file(png));
    }
    htmlDir.writeAtomically(htmlName, html(runs, htmlName).getBytes(StandardCharsets.UTF_8));
    written.add(0, htmlDir.file(htmlName));
    return written;
  }

  /** x and y of one series, the points where both are finite (and y > 0 on a log axis). */
  record Points(double[] x, double[] y) {}

  static double[] values(RunMetrics m, String column) {
    if (column.equals(ROWS_SEEN)) {
      double[] rows = m.column("rows");
      double[] seen = new double[rows.length];
      double sum = 0;
      for (int i = 0; i < rows.length; i++) {
        sum += Double.isFinite(rows[i]) ? rows[i] : 0;
        seen[i] = sum;
      }
      return seen;
    }
    if (column.equals(CLIPPED_STEPS)) {
      double[] clipped = m.column("clipped");
      double[] count = new double[clipped.length];
      double sum = 0;
      for (int i = 0; i < clipped.length; i++) {
        sum += clipped[i] > 0 ? 1 : 0;
        count[i] = sum;
      }
      return count;
    }
    return m.column(column);
  }

  static Points points(RunMetrics m, Chart chart, String column) {
    double[] xs = values(m, chart.x());
    double[] ys = values(m, column);
    int n = 0;
    double[] x = new double[xs.length];
    double[] y = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!chart.logY() || ys[i] > 0)) {
        x[n] = xs[i];
        y[n] = ys[i];
        n++;
      }
    }
    return new Points(Arrays.copyOf(x, n), Arrays.copyOf(y, n));
  }

  // ---- PNG ----

  /** The PNG image of {@code chart}. */
  static byte[] png(Chart chart, List<Run> runs) throws IOException {
    XYChart c = new XYChartBuilder().width(900).height(480).title(chart.title())
        .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
    XYStyler s = c.getStyler();
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setYAxisLogarithmic(chart.logY());
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(0xe6e6e6));
    s.setAntiAlias(true);
    if (chart.x().equals("step") || chart.x().equals("elapsed_seconds")
        || chart.x().equals(ROWS_SEEN)) {
      s.setXAxisMin(0.0);
    }
    s.setXAxisDecimalPattern("#,##0.###");
    int drawn = 0;
    double firstX = 0;
    double firstY = 1;
    for (int r = 0; r < runs.size(); r++) {
      Color color = Color.decode(COLORS[r % COLORS.length]);
      for (int k = 0; k < chart.ys().size(); k++) {
        String column = chart.ys().get(k);
        Points p = points(runs.get(r).metrics(), chart, column);
        if (p.x().length == 0) {
          continue;
        }
        String name = k == 0 ? runs.get(r).name()
            : runs.get(r).name() + " (" + seriesLabel(column) + ")";
        if (drawn == 0) {
          firstX = p.x()[0];
          firstY = p.y()[0];
        }
        XYSeries series = c.addSeries(name, p.x(), p.y());
        series.setLineColor(color);
        series.setMarker(p.x().length == 1 || k > 0 && p.x().length < 50 ? SeriesMarkers.CIRCLE
            : SeriesMarkers.NONE);
        series.setMarkerColor(color);
        series.setLineStyle(k == 0 ? new BasicStroke(1.5f)
            : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f));
        drawn++;
      }
    }
    if (drawn > 0 && chart.x().equals("step")) {
      // XChart puts a tick at every few data points when all x values are equally spaced, as
      // steps are (knowm/XChart#731); one hidden point off the grid gives it round ticks.
      XYSeries hidden = c.addSeries(" ", new double[] {firstX - 0.5}, new double[] {firstY});
      hidden.setShowInLegend(false);
      hidden.setMarker(SeriesMarkers.NONE);
      hidden.setLineColor(new Color(0, 0, 0, 0));
    }
    if (drawn == 0) {
      // Nothing to draw (say, a log axis over a gradient norm that is 0 everywhere): an empty
      // frame rather than no file.
      c.addSeries("no data", new double[] {0}, new double[] {1}).setMarker(SeriesMarkers.NONE);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(c, png, BitmapEncoder.BitmapFormat.PNG);
    return png.toByteArray();
  }

  // ---- HTML ----

  static String html(List<Run> runs, String htmlName) throws IOException {
    ObjectNode data = JSON.createObjectNode();
    ArrayNode charts = data.putArray("charts");
    for (Chart chart : charts(runs)) {
      ObjectNode c = charts.addObject();
      c.put("id", chart.id());
      c.put("title", chart.title());
      c.put("xLabel", chart.xLabel());
      c.put("yLabel", chart.yLabel());
      c.put("logY", chart.logY());
      c.put("png", pngName(htmlName, chart));
      ArrayNode series = c.putArray("series");
      for (int r = 0; r < runs.size(); r++) {
        for (int k = 0; k < chart.ys().size(); k++) {
          String column = chart.ys().get(k);
          Points p = points(runs.get(r).metrics(), chart, column);
          if (k > 0 && p.x().length == 0) {
            continue;
          }
          ObjectNode s = series.addObject();
          s.put("run", runs.get(r).name());
          s.put("name", k == 0 ? runs.get(r).name()
              : runs.get(r).name() + " (" + seriesLabel(column) + ")");
          s.put("color", COLORS[r % COLORS.length]);
          s.put("dashed", k > 0);
          ArrayNode x = s.putArray("x");
          ArrayNode y = s.putArray("y");
          for (int i = 0; i < p.x().length; i++) {
            x.add(p.x()[i]);
            y.add(p.y()[i]);
          }
        }
      }
    }
    // "</" inside a string would end the script element; "<\/" is the same JSON string.
    String json = JSON.writeValueAsString(data).replace("</", "<\\/");

    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>descent report: ").append(escape(String.join(", ",
            runs.stream().map(Run::name).toList()))).append("</title>\n<style>\n")
        .append(resource("report.css")).append("</style>\n</head>\n<body>\n")
        .append("<h1>descent training report</h1>\n");
    h.append(runTable(runs));
    h.append(equalityTable(runs));
    h.append("<div id=\"charts\"><noscript><p>The charts are drawn by the page's script; the PNG"
        + " files beside this page hold the same charts.</p></noscript></div>\n");
    h.append("<div id=\"status\" data-errors=\"0\" data-charts=\"0\" data-series=\"0\""
        + " data-points=\"0\" hidden></div>\n");
    h.append("<script type=\"application/json\" id=\"report-data\">").append(json)
        .append("</script>\n<script>\n").append(resource("report.js"))
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static String runTable(List<Run> runs) {
    StringBuilder t = new StringBuilder("<table class=\"runs\">\n<thead><tr><th>run</th>"
        + "<th>steps</th><th>first loss</th><th>last loss</th><th>min loss</th>"
        + "<th>seconds</th><th>objective</th><th>stopped by</th><th>optimizer</th>"
        + "<th>directory</th></tr></thead>\n<tbody>\n");
    for (int r = 0; r < runs.size(); r++) {
      RunMetrics m = runs.get(r).metrics();
      double[] loss = m.column("loss");
      double min = Double.NaN;
      for (double x : loss) {
        if (Double.isFinite(x) && !(x >= min)) {
          min = x;
        }
      }
      double[] elapsed = m.column("elapsed_seconds");
      JsonNode tr = m.training();
      t.append("<tr><td><span class=\"swatch\" style=\"background:")
          .append(COLORS[r % COLORS.length]).append("\"></span>")
          .append(escape(runs.get(r).name())).append("</td><td>").append(m.steps())
          .append("</td><td>").append(number(loss[0])).append("</td><td>")
          .append(number(loss[loss.length - 1])).append("</td><td>").append(number(min))
          .append("</td><td>").append(number(elapsed[elapsed.length - 1])).append("</td><td>")
          .append(tr == null ? "" : number(tr.path("objective").asDouble(Double.NaN)))
          .append("</td><td>").append(tr == null ? "" : escape(tr.path("stopReason").asText()))
          .append("</td><td>").append(tr == null ? ""
              : escape(tr.path("optimizerSettings").asText(tr.path("optimizer").asText())))
          .append("</td><td>").append(escape(m.dir().toString())).append("</td></tr>\n");
    }
    return t.append("</tbody>\n</table>\n").toString();
  }

  /**
   * The equality constraints of the runs that had them (model.json's
   * {@code training.equality}): each constraint's line, value, multiplier and residual, and
   * whether the run met them; empty when no run had constraints.
   */
  static String equalityTable(List<Run> runs) {
    StringBuilder t = new StringBuilder();
    for (int r = 0; r < runs.size(); r++) {
      JsonNode tr = runs.get(r).metrics().training();
      JsonNode e = tr == null ? null : tr.get("equality");
      if (e == null || !e.isObject()) {
        continue;
      }
      if (t.length() == 0) {
        t.append("<h2>Equality constraints</h2>\n<p>The multiplier λ of each constraint"
            + " a·w = c satisfies ∇f + Aᵀλ = 0 at the solution: the objective falls by λ per"
            + " unit increase of c.</p>\n<table class=\"runs equality\">\n<thead><tr>"
            + "<th>run</th><th>line</th><th>c</th><th>multiplier λ</th><th>residual a·w − c</th>"
            + "</tr></thead>\n<tbody>\n");
      }
      JsonNode lines = e.path("lines");
      for (int i = 0; i < lines.size(); i++) {
        t.append("<tr><td>");
        if (i == 0) {
          t.append("<span class=\"swatch\" style=\"background:")
              .append(COLORS[r % COLORS.length]).append("\"></span>")
              .append(escape(runs.get(r).name())).append(" (")
              .append(e.path("satisfied").asBoolean() ? "met" : "not met").append(", ‖Aw − c‖ ")
              .append(number(e.path("residualNorm").asDouble(Double.NaN))).append(", ")
              .append(e.path("outerIterations").asLong()).append(" outer iterations)");
        }
        t.append("</td><td>").append(lines.get(i).asInt()).append("</td><td>")
            .append(number(e.path("values").path(i).asDouble(Double.NaN))).append("</td><td>")
            .append(number(e.path("multipliers").path(i).asDouble(Double.NaN)))
            .append("</td><td>")
            .append(number(e.path("residuals").path(i).asDouble(Double.NaN)))
            .append("</td></tr>\n");
      }
    }
    return t.length() == 0 ? "" : t.append("</tbody>\n</table>\n").toString();
  }

  private static String number(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.6g", x) : "";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String resource(String name) {
    try (InputStream in = Report.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource descent/jobs/" + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
