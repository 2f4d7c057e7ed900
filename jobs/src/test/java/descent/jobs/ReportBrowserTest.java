package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in a real browser: headless Chromium loads it from a file (no network), runs
 * its script, and prints the resulting DOM and the console. The page must log only its own
 * summary line (no error, no uncaught exception), report zero errors in {@code #status}, and
 * hold in each chart one polyline per run whose point list has one finite point per step.
 * Skipped when no Chromium is installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class ReportBrowserTest {
  private static ReportRuns runs;

  @TempDir static Path profile;

  @BeforeAll
  static void train() throws IOException {
    runs = ReportRuns.get();
  }

  /** Chromium on the PATH (or $DESCENT_CHROMIUM), or null. */
  static String chromium() {
    String env = System.getenv("DESCENT_CHROMIUM");
    if (env != null && new File(env).canExecute()) {
      return env;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    return null;
  }

  /** The DOM after the page's scripts ran, and Chromium's log. */
  record Page(String dom, String log) {}

  static Page load(Path html) throws IOException, InterruptedException {
    String browser = chromium();
    Assumptions.assumeTrue(browser != null, "chromium is not installed");
    Path out = profile.resolve("dom.html");
    Path err = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(browser, "--headless", "--disable-gpu", "--no-sandbox",
        "--no-first-run", "--user-data-dir=" + profile.resolve("user-data"),
        "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
    }
    String log = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "chromium failed:\n" + log);
    return new Page(Files.readString(out, StandardCharsets.UTF_8), log);
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> a = new HashMap<>();
    Matcher m = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"").matcher(tag);
    while (m.find()) {
      a.put(m.group(1), m.group(2));
    }
    return a;
  }

  @Test
  void comparisonLoadsWithoutConsoleErrorsAndEveryChartHasEachRunsPoints() throws Exception {
    Page page = load(runs.comparison);

    // The console: only the page's own summary line, no error, no uncaught exception.
    List<String> console = new ArrayList<>();
    for (String line : page.log().split("\n")) {
      if (line.contains("CONSOLE")) {
        console.add(line);
      }
    }
    assertFalse(page.log().contains("Uncaught"), page.log());
    assertEquals(1, console.size(), "console lines:\n" + String.join("\n", console));
    assertTrue(console.get(0).contains("\"descent-report: drew 5 charts, 10 series, "
        + 5 * (ReportRuns.SGD_STEPS + ReportRuns.ADAM_STEPS) + " points, 0 errors\""),
        console.get(0));

    Matcher status = Pattern.compile("<div id=\"status\"[^>]*>").matcher(page.dom());
    assertTrue(status.find(), "no #status in the DOM");
    Map<String, String> s = attributes(status.group());
    assertEquals("0", s.get("data-errors"));
    assertEquals("5", s.get("data-charts"));
    assertEquals("10", s.get("data-series"));

    Map<String, Integer> steps = Map.of("sgd", ReportRuns.SGD_STEPS, "adam", ReportRuns.ADAM_STEPS);
    Matcher svg = Pattern.compile("<svg[^>]*data-chart=\"([^\"]+)\"[^>]*>(.*?)</svg>",
        Pattern.DOTALL).matcher(page.dom());
    List<String> charts = new ArrayList<>();
    while (svg.find()) {
      String chart = svg.group(1);
      charts.add(chart);
      Matcher line = Pattern.compile("<polyline[^>]*>").matcher(svg.group(2));
      List<String> seen = new ArrayList<>();
      while (line.find()) {
        Map<String, String> a = attributes(line.group());
        String run = a.get("data-run");
        seen.add(run);
        String[] points = a.get("points").trim().split("\\s+");
        assertEquals(steps.get(run), points.length, chart + " " + run + " points drawn");
        assertEquals(Integer.toString(steps.get(run)), a.get("data-points"), chart + " " + run);
        for (String point : points) {
          String[] xy = point.split(",");
          assertEquals(2, xy.length, chart + " " + run + ": point " + point);
          assertTrue(Double.isFinite(Double.parseDouble(xy[0]))
              && Double.isFinite(Double.parseDouble(xy[1])), chart + " " + run + ": " + point);
        }
      }
      assertEquals(List.of("sgd", "adam"), seen, chart + ": one line per run");
      assertTrue(svg.group(2).contains("<text"), chart + ": axis labels");
    }
    assertEquals(List.of("loss-step", "loss-time", "learning-rate", "gradient-norm", "clipping"),
        charts);
    // The legend names every run with its point count.
    assertTrue(page.dom().contains("sgd (" + ReportRuns.SGD_STEPS + ")"), "legend");
    assertTrue(page.dom().contains("adam (" + ReportRuns.ADAM_STEPS + ")"), "legend");
  }

  @Test
  void aBrokenPageIsCaught() throws Exception {
    // The checks above would see a failing script: the same page with its data made invalid.
    String html = Files.readString(runs.comparison, StandardCharsets.UTF_8)
        .replace("id=\"report-data\">{", "id=\"report-data\">{,");
    Path broken = Files.writeString(profile.resolve("broken.html"), html);
    Page page = load(broken);
    assertTrue(page.log().contains("Uncaught SyntaxError"), page.log());
    assertTrue(page.dom().contains("data-charts=\"0\""), "nothing drawn");
  }
}
