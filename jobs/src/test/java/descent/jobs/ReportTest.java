package descent.jobs;

import descent.driver.OutputDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics.csv and metrics.jsonl, and the report written from them: its inline data has one series
 * per run in every chart with one point per step, it needs no network, and its PNG charts decode
 * to images with the runs' lines in them.
 */
class ReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ReportRuns runs;

  @TempDir Path dir;

  @BeforeAll
  static void train() throws IOException {
    runs = ReportRuns.get();
  }

  // ---- metrics files ----

  @Test
  void jsonlRecordsEqualCsvRows() throws IOException {
    for (Path run : List.of(runs.sgd, runs.adam)) {
      List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
      List<String> jsonl = Files.readAllLines(run.resolve("metrics.jsonl"));
      int steps = run.equals(runs.sgd) ? ReportRuns.SGD_STEPS : ReportRuns.ADAM_STEPS;
      assertEquals(MetricsWriter.HEADER, csv.get(0));
      assertEquals(1 + steps, csv.size(), run + " metrics.csv rows");
      assertEquals(steps, jsonl.size(), run + " metrics.jsonl records");
      String[] header = csv.get(0).split(",");
      for (int i = 0; i < steps; i++) {
        String[] cells = csv.get(i + 1).split(",", -1);
        JsonNode record = JSON.readTree(jsonl.get(i));
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of(header), names, "JSON fields in the CSV's order, record " + (i + 1));
        for (int j = 0; j < header.length; j++) {
          JsonNode v = record.get(header[j]);
          String where = run.getFileName() + " step " + (i + 1) + " " + header[j];
          if (v.isNull()) {
            assertEquals("", cells[j], where);
          } else if (v.isBoolean()) {
            assertEquals(Boolean.toString(v.booleanValue()), cells[j], where);
          } else if (v.isIntegralNumber()) {
            assertEquals(v.longValue(), Long.parseLong(cells[j]), where);
          } else {
            assertEquals(v.doubleValue(), Double.parseDouble(cells[j]), 0.0, where);
          }
        }
        assertEquals(i + 1, record.get("step").longValue());
        assertTrue(record.get("validation_loss").isNull(), "no validation data: null");
        assertFalse(record.get("clipped").booleanValue(), "no clipping configured");
      }
    }
  }

  @Test
  void progressLinesAreNotRewrittenWhenNotOnATerminal() {
    String out = runs.sgdTrain.stdout();
    assertFalse(out.contains("\r"), "a \\r in plain progress lines");
    Matcher m = Pattern.compile("(?m)^step 1/30  epoch 0\\.33  loss \\S+  lr 2\\.000  \\|g\\| \\S+"
        + "  rows/s [\\d,]+  ETA \\d+").matcher(out);
    assertTrue(m.find(), out);
    assertTrue(out.contains("step 30/30  epoch 10.00"), "the last step is always shown: " + out);
  }

  // ---- report HTML ----

  /** The inline JSON data of a report page. */
  static JsonNode reportData(String html) throws IOException {
    Matcher m = Pattern.compile(
        "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    assertTrue(m.find(), "no report-data script in the page");
    return JSON.readTree(m.group(1));
  }

  @Test
  void comparisonHasOneSeriesPerRunWithOnePointPerStep() throws IOException {
    String html = Files.readString(runs.comparison, StandardCharsets.UTF_8);
    JsonNode data = reportData(html);
    Map<String, Integer> steps = Map.of("sgd", ReportRuns.SGD_STEPS, "adam", ReportRuns.ADAM_STEPS);
    List<String> ids = new ArrayList<>();
    for (JsonNode chart : data.get("charts")) {
      ids.add(chart.get("id").asText());
      List<String> runNames = new ArrayList<>();
      for (JsonNode s : chart.get("series")) {
        String run = s.get("run").asText();
        runNames.add(run);
        int n = steps.get(run);
        assertEquals(n, s.get("x").size(), chart.get("id") + " " + run + " x");
        assertEquals(n, s.get("y").size(), chart.get("id") + " " + run + " y");
        for (int i = 1; i < n; i++) {
          assertTrue(s.get("x").get(i).asDouble() > s.get("x").get(i - 1).asDouble(),
              chart.get("id") + " " + run + ": x ascends");
        }
      }
      assertEquals(List.of("sgd", "adam"), runNames, "one series per run in " + chart.get("id"));
    }
    assertEquals(List.of("loss-step", "loss-time", "learning-rate", "gradient-norm", "clipping"),
        ids);
    // The loss-step series are the metrics' loss column.
    JsonNode lossSgd = data.get("charts").get(0).get("series").get(0).get("y");
    RunMetrics sgd = RunMetrics.read(runs.sgd);
    for (int i = 0; i < ReportRuns.SGD_STEPS; i++) {
      assertEquals(sgd.column("loss")[i], lossSgd.get(i).asDouble(), 0.0);
    }
    assertTrue(html.contains("sgd</td>") && html.contains("adam</td>"), "run table");
    assertTrue(html.contains("Adam("), "the run table shows the optimizer settings");
  }

  @Test
  void reportNeedsNoNetwork() throws IOException {
    String html = Files.readString(runs.comparison, StandardCharsets.UTF_8);
    assertFalse(Pattern.compile("<script[^>]+src=").matcher(html).find(), "external script");
    assertFalse(html.contains("<link"), "external stylesheet");
    assertFalse(Pattern.compile("(href|src)=\"(https?:)?//").matcher(html).find(), "remote link");
    // The only URL in the page is the SVG namespace, which is a name, not a fetch.
    Matcher urls = Pattern.compile("https?://[^\"'\\s)]+").matcher(html);
    while (urls.find()) {
      assertEquals("http://www.w3.org/2000/svg", urls.group());
    }
  }

  @Test
  void trainReportWritesThePageAndChartsIntoTheRunDirectory() throws IOException {
    assertTrue(runs.sgdTrain.stdout().contains("report.html"), runs.sgdTrain::all);
    JsonNode data = reportData(Files.readString(runs.sgd.resolve("report.html")));
    for (JsonNode chart : data.get("charts")) {
      assertEquals(1, chart.get("series").size(), chart.get("id").asText());
      assertEquals(ReportRuns.SGD_STEPS, chart.get("series").get(0).get("x").size());
      assertTrue(Files.exists(runs.sgd.resolve(chart.get("png").asText())));
    }
    assertFalse(Files.exists(runs.adam.resolve("report.html")), "adam ran without --report");
  }

  // ---- PNG charts ----

  @Test
  void pngChartsDecodeToImagesWithEachRunsLine() throws IOException {
    for (Report.Chart chart : Report.CHARTS) {
      Path png = Report.pngPath(runs.comparison, chart);
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, png + " does not decode");
      assertEquals(900, image.getWidth());
      assertEquals(480, image.getHeight());
      int inked = 0;
      int[] runColor = new int[2];
      int[][] colors = {rgb(Report.COLORS[0]), rgb(Report.COLORS[1])};
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int p = image.getRGB(x, y);
          int r = (p >> 16) & 0xff;
          int g = (p >> 8) & 0xff;
          int b = p & 0xff;
          if (r + g + b < 3 * 230) {
            inked++;
          }
          for (int k = 0; k < 2; k++) {
            if (Math.abs(r - colors[k][0]) + Math.abs(g - colors[k][1])
                + Math.abs(b - colors[k][2]) < 30) {
              runColor[k]++;
            }
          }
        }
      }
      assertTrue(inked > 2000, png + ": only " + inked + " non-white pixels");
      // Both runs clip nothing: their clipping lines coincide and adam's, drawn last, covers
      // sgd's, which then shows in the legend only.
      int line = chart.id().equals("clipping") ? 10 : 50;
      assertTrue(runColor[0] > line, png + ": sgd's line has " + runColor[0] + " pixels");
      assertTrue(runColor[1] > 50, png + ": adam's line has " + runColor[1] + " pixels");
    }
  }

  private static int[] rgb(String hex) {
    int v = Integer.parseInt(hex.substring(1), 16);
    return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
  }

  // ---- reading runs ----

  @Test
  void aRunWithOnlyMetricsCsvIsRead() throws IOException {
    Path old = Files.createDirectories(dir.resolve("old-run"));
    Files.copy(runs.adam.resolve("metrics.csv"), old.resolve("metrics.csv"));
    RunMetrics csv = RunMetrics.read(old);
    RunMetrics jsonl = RunMetrics.read(runs.adam);
    assertEquals(jsonl.steps(), csv.steps());
    for (String column : MetricsWriter.HEADER.split(",")) {
      double[] a = jsonl.column(column);
      double[] b = csv.column(column);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 0.0, column + " step " + (i + 1));
      }
    }
    assertEquals(null, csv.training(), "no model.json");
    assertEquals("adam", jsonl.training().get("optimizer").asText());
  }

  @Test
  void reportOfAMissingRunNamesIt() {
    Path missing = dir.resolve("no-such-run");
    Cli.Result r = Cli.run("report", missing.toString(), "--output", dir.resolve("r.html").toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains(missing + ": not a run directory"), r::all);
  }

  @Test
  void reportOfADirectoryWithoutMetricsSaysWhatToGive() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Cli.Result r = Cli.run("report", empty.toString());
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("no metrics.jsonl or metrics.csv"), r::all);
    assertFalse(Files.exists(empty.resolve("report.html")));
  }

  @Test
  void runsWithTheSameDirectoryNameGetDistinctNames() {
    RunMetrics a = new RunMetrics(OutputDir.of(Path.of("x", "one", "adam")), 1, Map.of(), null);
    RunMetrics b = new RunMetrics(OutputDir.of(Path.of("x", "two", "adam")), 1, Map.of(), null);
    RunMetrics c = new RunMetrics(OutputDir.of(Path.of("x", "sgd")), 1, Map.of(), null);
    assertEquals(List.of("one/adam", "two/adam", "sgd"),
        Report.name(List.of(a, b, c)).stream().map(Report.Run::name).toList());
    assertEquals(List.of("one/adam", "one/adam #2"),
        Report.name(List.of(a, a)).stream().map(Report.Run::name).toList());
  }
}
