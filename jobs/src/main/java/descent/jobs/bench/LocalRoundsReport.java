package descent.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of {@code bench --local-rounds} as the reader gets them: the grid's medians with
 * each method's best marked, the best settings again under each job delay, per-row SGD's rows a
 * second, the objective's gap against seconds and rows of each best setting, and the targets;
 * with {@code --output} the same in {@code rounds.csv}, {@code rounds-curves.csv} and
 * {@code rounds.json}.
 *
 * @param delayed each job delay's outcomes of the best settings (0: the grid's own)
 * @param loadBefore the load averages when the run started, {@code loadAfter} when it ended
 * @param targetsStatedFor the data the targets are stated for, in words (dense or sparse)
 */
record LocalRoundsReport(String source, long rows, int features, int partitions,
    Environment env, BenchCommand settings, double optimum, long optimumSteps, long evalRows,
    List<LocalRoundsRun.Outcome> outcomes, Map<String, LocalRoundsRun.Outcome> best,
    Map<Long, List<LocalRoundsRun.Outcome>> delayed, List<LocalRoundsRun.PerRow> perRow,
    Double steal, String loadBefore, String loadAfter, List<BenchTargets.Target> targets,
    boolean targetsApply, String targetsStatedFor) {

  /** Points of each curve in the printed table (the CSV has them all). */
  static final int PRINTED_POINTS = 12;

  void print(PrintStream out) {
    out.println(env.describe());
    out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s at the start, %s at the end; CPU"
        + " steal %s%n", loadBefore, loadAfter, Environment.percent(steal));
    out.printf(Locale.ROOT, "seconds from zero to within %.0e of the optimum (%.12g), median of"
        + " %d runs; the full objective evaluated every %,d rows read, off the clock; 1%% batch"
        + " = %,d rows%n", LocalRoundsRun.TOLERANCE, optimum, settings.repetitions(), evalRows,
        Math.max(1, Math.round(0.01 * rows)));
    out.printf(Locale.ROOT, "  %-14s %-32s %12s %8s %14s %5s%n", "method", "setting",
        "seconds", "steps", "rows", "best");
    for (LocalRoundsRun.Outcome o : outcomes) {
      Race.Point p = medianPoint(o);
      out.printf(Locale.ROOT, "  %-14s %-32s %12s %8s %14s %5s%n", o.setting().method(),
          o.setting().label(), seconds(o.median()),
          p == null ? "-" : String.format(Locale.ROOT, "%d", p.steps()),
          p == null ? "-" : String.format(Locale.ROOT, "%,d", p.rows()),
          best.get(o.setting().method()) == o ? "*" : "");
    }
    out.println("  (steps: rounds for local rounds; steps and rows of the run nearest the"
        + " median)");
    out.println("with a delay per job (every task of every job over the data waits first),"
        + " the best settings:");
    out.printf(Locale.ROOT, "  %-9s %10s %10s %10s %12s %12s %12s%n", "delay ms", "sync s",
        "rounds s", "L-BFGS s", "rounds/sync", "rounds/lbfgs", "sync-rounds");
    for (Map.Entry<Long, List<LocalRoundsRun.Outcome>> e : delayed.entrySet()) {
      Double sync = find(e.getValue(), LocalRoundsRun.SYNC);
      Double rounds = find(e.getValue(), LocalRoundsRun.ROUNDS);
      Double lbfgs = find(e.getValue(), LocalRoundsRun.LBFGS);
      out.printf(Locale.ROOT, "  %-9d %10s %10s %10s %12s %12s %12s%n", e.getKey(),
          seconds(sync), seconds(rounds), seconds(lbfgs), ratio(rounds, sync),
          ratio(rounds, lbfgs), sync == null || rounds == null ? "-"
              : String.format(Locale.ROOT, "%.3f", sync - rounds));
    }
    if (!perRow.isEmpty()) {
      out.printf(Locale.ROOT, "per-row SGD (batch 1, inner sgd at %s, rounds of H), median of"
          + " %d runs:%n", LocalRoundsRun.number(LocalRoundsRun.PER_ROW_LR),
          settings.repetitions());
      out.printf(Locale.ROOT, "  %-10s %8s %14s %18s %12s%n", "H", "rounds", "rows/s",
          "s per million rows", "objective");
      for (LocalRoundsRun.PerRow p : perRow) {
        out.printf(Locale.ROOT, "  %-10d %8d %,14.0f %18.4f %12.6f%n", p.h(), p.rounds(),
            p.rowsPerSecond(), 1e6 / p.rowsPerSecond(), p.objective());
      }
    }
    out.println("gap to the optimum of each best setting, its last run without delay (seconds"
        + " off the clock of the evaluations, rows read, relative gap):");
    for (LocalRoundsRun.Outcome o : best.values()) {
      List<Race.Point> c = curve(o);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s (%s):",
          o.setting().method(), o.setting().label()));
      int step = Math.max(1, (c.size() + PRINTED_POINTS - 1) / PRINTED_POINTS);
      for (int i = 0; i < c.size(); i++) {
        if (i % step == 0 || i == c.size() - 1) {
          Race.Point p = c.get(i);
          line.append(String.format(Locale.ROOT, " %.3fs/%s/%.1e", p.seconds(),
              compact(p.rows()), p.gap()));
        }
      }
      out.println(line);
    }
    BenchTargets.print(out, targets, targetsApply, targetsStatedFor);
  }

  /** Writes {@code rounds.csv}, {@code rounds-curves.csv} and {@code rounds.json} into dir. */
  void write(Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("rounds.csv"), csv(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("rounds-curves.csv"), curvesCsv(), StandardCharsets.UTF_8);
    new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("rounds.json").toFile(), toJson());
    out.printf("wrote %s, %s and %s%n", dir.resolve("rounds.csv"),
        dir.resolve("rounds-curves.csv"), dir.resolve("rounds.json"));
  }

  /** rounds.csv: a line a setting and job delay, with its median seconds and whether best. */
  String csv() {
    StringBuilder csv = new StringBuilder("job_delay_ms,method,setting,median_seconds,best\n");
    for (Map.Entry<Long, List<LocalRoundsRun.Outcome>> e : delayed.entrySet()) {
      List<LocalRoundsRun.Outcome> list = e.getKey() == 0 ? outcomes : e.getValue();
      for (LocalRoundsRun.Outcome o : list) {
        csv.append(String.format(Locale.ROOT, "%d,%s,\"%s\",%s,%b%n", e.getKey(),
            o.setting().method(), o.setting().label(),
            o.median() == null ? "" : String.format(Locale.ROOT, "%.6g", o.median()),
            best.get(o.setting().method()).setting() == o.setting()));
      }
    }
    return csv.toString();
  }

  /** rounds-curves.csv: every evaluated point of each best setting's last run without delay. */
  String curvesCsv() {
    StringBuilder csv = new StringBuilder("method,setting,seconds,steps,rows,gap\n");
    for (LocalRoundsRun.Outcome o : best.values()) {
      for (Race.Point p : curve(o)) {
        csv.append(String.format(Locale.ROOT, "%s,\"%s\",%.6f,%d,%d,%.6e%n",
            o.setting().method(), o.setting().label(), p.seconds(), p.steps(), p.rows(),
            p.gap()));
      }
    }
    return csv.toString();
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("source", source);
    shape.put("rows", rows);
    shape.put("features", features);
    shape.put("partitions", partitions);
    json.put("data", shape);
    Map<String, Object> environment = env.toJson(steal);
    environment.put("loadAverageAtStart", loadBefore);
    environment.put("loadAverageAtEnd", loadAfter);
    json.put("environment", environment);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("repetitions", settings.repetitions());
    s.put("warmupJobs", settings.warmupJobs);
    s.put("seed", settings.seed);
    s.put("tolerance", LocalRoundsRun.TOLERANCE);
    s.put("regL2", LocalRoundsRun.REG_L2);
    s.put("evalEveryRows", evalRows);
    s.put("jobDelaysMs", settings.jobDelays());
    json.put("settings", s);
    json.put("optimum", optimum);
    json.put("optimumSteps", optimumSteps);
    List<Map<String, Object>> grid = new ArrayList<>();
    for (LocalRoundsRun.Outcome o : outcomes) {
      Map<String, Object> m = o.toJson();
      m.put("best", best.get(o.setting().method()) == o);
      grid.add(m);
    }
    json.put("grid", grid);
    List<Map<String, Object>> delays = new ArrayList<>();
    for (Map.Entry<Long, List<LocalRoundsRun.Outcome>> e : delayed.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobDelayMs", e.getKey());
      List<Map<String, Object>> list = new ArrayList<>();
      for (LocalRoundsRun.Outcome o : e.getValue()) {
        list.add(o.toJson());
      }
      m.put("best", list);
      delays.add(m);
    }
    json.put("jobDelay", delays);
    List<Map<String, Object>> rowsList = new ArrayList<>();
    for (LocalRoundsRun.PerRow p : perRow) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("localSteps", p.h());
      m.put("rounds", p.rounds());
      m.put("rowsPerSecond", p.rowsPerSecond());
      m.put("objective", p.objective());
      rowsList.add(m);
    }
    json.put("perRowSgd", rowsList);
    json.put("targets", BenchTargets.toJson(targets, targetsApply, targetsStatedFor));
    return json;
  }

  private static List<Race.Point> curve(LocalRoundsRun.Outcome o) {
    return o.runs().get(o.runs().size() - 1).curve();
  }

  /** The point (reached, else last) of the run whose seconds are nearest the median. */
  private static Race.Point medianPoint(LocalRoundsRun.Outcome o) {
    Race.Point best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Race.Approach a : o.runs()) {
      Race.Point p = a.reached() != null ? a.reached() : a.last();
      if (p == null) {
        continue;
      }
      double distance = o.median() == null ? (a.reached() == null ? 0 : 1)
          : a.reached() == null ? Double.POSITIVE_INFINITY : Math.abs(p.seconds() - o.median());
      if (best == null || distance < bestDistance) {
        best = p;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static Double find(List<LocalRoundsRun.Outcome> list, String method) {
    for (LocalRoundsRun.Outcome o : list) {
      if (o.setting().method().equals(method)) {
        return o.median();
      }
    }
    return null;
  }

  private static String seconds(Double s) {
    return s == null ? "not reached" : String.format(Locale.ROOT, "%.3f", s);
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null ? "-" : String.format(Locale.ROOT, "%.3f", a / b);
  }

  /** 1.2M, 340k, 512. */
  private static String compact(long n) {
    return n >= 1_000_000 ? String.format(Locale.ROOT, "%.1fM", n / 1e6)
        : n >= 1_000 ? String.format(Locale.ROOT, "%.0fk", n / 1e3) : Long.toString(n);
  }
}
