package descent.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code --scaling} run's figures as the reader gets them: every size's seconds per million
 * rows against the smallest size's (a deviation of 0 is perfectly linear), by medians and round
 * by round, the same net of Spark's empty job and for the floor, the least-squares lines that
 * split each time into what an epoch pays once and what it pays per row, and the target; printed,
 * and with {@code --output} in {@code scaling.csv} and {@code scaling.json}.
 */
final class ScalingReport {
  private final List<ScalingPoint> points;
  private final List<RoundRatios> byRound;
  private final BenchCommand settings;
  private final String master;
  private final String sparkVersion;
  private final Double[] warmupQuarters;
  private final Double steal;
  private final HugePages pages = HugePages.current();
  private final double[] deviation;
  private final double[] roundDeviation;
  private final double[] floorDeviation;
  private final double[] netDeviation;
  private final double maxDeviation;
  private final double maxNetDeviation;
  private final double maxRoundDeviation;
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private final List<BenchTargets.Target> targets;
  private final boolean targetsApply;

  /**
   * @param points the sizes, smallest first
   * @param byRound each size's epoch per million rows against the smallest's, round by round
   * @param warmupQuarters the warm-up's 1 % steps, ms a step by quarter ({@link WarmUp#run})
   * @param steal the CPU steal share during the timed rounds, null where unknown
   */
  ScalingReport(List<ScalingPoint> points, List<RoundRatios> byRound, BenchCommand settings,
      String master, String sparkVersion, Double[] warmupQuarters, Double steal) {
    this.points = points;
    this.byRound = byRound;
    this.settings = settings;
    this.master = master;
    this.sparkVersion = sparkVersion;
    this.warmupQuarters = warmupQuarters;
    this.steal = steal;
    ScalingPoint smallest = points.get(0);
    int count = points.size();
    deviation = new double[count];
    roundDeviation = new double[count];
    floorDeviation = new double[count];
    netDeviation = new double[count];
    for (int i = 0; i < count; i++) {
      ScalingPoint p = points.get(i);
      deviation[i] = p.secondsPerMillionRows() / smallest.secondsPerMillionRows() - 1.0;
      roundDeviation[i] = byRound.get(i).median() - 1.0;
      floorDeviation[i] = p.floorSecondsPerMillionRows() / smallest.floorSecondsPerMillionRows()
          - 1.0;
      netDeviation[i] = p.netSecondsPerMillionRows() / smallest.netSecondsPerMillionRows() - 1.0;
    }
    maxDeviation = largest(deviation);
    maxNetDeviation = largest(netDeviation);
    maxRoundDeviation = largest(roundDeviation);
    // The lines need two distinct sizes.
    if (points.stream().mapToLong(ScalingPoint::rows).distinct().count() >= 2) {
      double[] millions = points.stream().mapToDouble(p -> p.rows() / 1e6).toArray();
      lines.put("epoch", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::secondsPerEpoch).toArray()));
      lines.put("floor", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::floorSeconds).toArray()));
      lines.put("emptyJob", Line.fit(millions,
          points.stream().mapToDouble(ScalingPoint::jobSeconds).toArray()));
    }
    targets = BenchTargets.scaling(maxDeviation, maxRoundDeviation);
    targetsApply = BenchTargets.scalingApplies(smallest.rows(), points.get(count - 1).rows(),
        settings.features(), master);
  }

  /** The entry of {@code v} largest in magnitude (the first of equals; 0 when all are 0). */
  static double largest(double[] v) {
    double max = 0.0;
    for (double x : v) {
      if (Math.abs(x) > Math.abs(max)) {
        max = x;
      }
    }
    return max;
  }

  /** Prints the table of sizes, the lines, the run's settings and the targets. */
  void print(PrintStream out) {
    out.printf(Locale.ROOT, "%n%12s %10s %12s %10s %10s %10s %10s %10s %10s %14s %10s%n",
        "rows", "s/epoch", "s/1M rows", "deviation", "dev/round", "floor s", "floor dev",
        "job s", "net dev", "cached bytes", "ratio_raw");
    for (int i = 0; i < points.size(); i++) {
      ScalingPoint p = points.get(i);
      out.printf(Locale.ROOT, "%12d %10.4f %12.4f %+9.1f%% %+9.1f%% %10.4f %+9.1f%%"
          + " %10.4f %+9.1f%% %14d %10.4f%n", p.rows(), p.secondsPerEpoch(),
          p.secondsPerMillionRows(), 100 * deviation[i], 100 * roundDeviation[i],
          p.floorSeconds(), 100 * floorDeviation[i], p.jobSeconds(), 100 * netDeviation[i],
          p.cachedBytes(), p.cachedRatio());
    }
    for (Map.Entry<String, Line> e : lines.entrySet()) {
      out.printf(Locale.ROOT, "%-8s = %7.2f ms + %7.2f ms per million rows%n",
          e.getKey(), 1e3 * e.getValue().fixed(), 1e3 * e.getValue().perUnit());
    }
    out.printf(Locale.ROOT, "net dev: the epoch less Spark's empty job of the same size,"
        + " per million rows, against the smallest size's (max %+.1f%%); floor dev: the floor"
        + " pass's seconds per million rows against the smallest size's; dev/round: the median"
        + " over the rounds of the same deviation within each round (max %+.1f%%)%n",
        100 * maxNetDeviation, 100 * maxRoundDeviation);
    out.printf(Locale.ROOT, "%d features, %d partitions, master %s, %s, CPU steal during"
        + " the rounds %s; max deviation of seconds per million rows from the smallest size's:"
        + " %+.1f%%%n", settings.features(), settings.partitions, master, pages.describe(),
        Environment.percent(steal), 100 * maxDeviation);
    BenchTargets.print(out, targets, targetsApply, BenchTargets.SCALING_DATA);
  }

  /** Writes {@code scaling.csv} and {@code scaling.json} into {@code dir}, and says so on out. */
  void write(Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("scaling.csv"), csv(), StandardCharsets.UTF_8);
    new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("scaling.json").toFile(), toJson());
    out.printf("wrote %s and %s%n", dir.resolve("scaling.csv"), dir.resolve("scaling.json"));
  }

  /** scaling.csv: one line a size. */
  String csv() {
    StringBuilder csv = new StringBuilder("rows,seconds_per_epoch,seconds_per_million_rows,"
        + "deviation,deviation_by_round,floor_seconds,floor_deviation,job_seconds,"
        + "net_deviation,cached_bytes,raw_bytes,cached_ratio\n");
    for (int i = 0; i < points.size(); i++) {
      ScalingPoint p = points.get(i);
      csv.append(String.format(Locale.ROOT,
          "%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%d,%d,%.9g%n", p.rows(),
          p.secondsPerEpoch(), p.secondsPerMillionRows(), deviation[i], roundDeviation[i],
          p.floorSeconds(), floorDeviation[i], p.jobSeconds(), netDeviation[i],
          p.cachedBytes(), p.rawBytes(), p.cachedRatio()));
    }
    return csv.toString();
  }

  /** scaling.json's object. */
  Map<String, Object> toJson() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      ScalingPoint p = points.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rows", p.rows());
      m.put("secondsPerEpoch", p.secondsPerEpoch());
      m.put("secondsPerMillionRows", p.secondsPerMillionRows());
      m.put("deviation", deviation[i]);
      m.put("deviationByRound", roundDeviation[i]);
      m.put("perRowRatioByRound", byRound.get(i).toJson());
      m.put("floorSeconds", p.floorSeconds());
      m.put("floorDeviation", floorDeviation[i]);
      m.put("jobSeconds", p.jobSeconds());
      m.put("netDeviation", netDeviation[i]);
      m.put("cachedBytes", p.cachedBytes());
      m.put("rawBytes", p.rawBytes());
      m.put("cachedRatio", p.cachedRatio());
      list.add(m);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("features", settings.features());
    json.put("partitions", settings.partitions);
    json.put("master", master);
    json.put("sparkVersion", sparkVersion);
    json.put("javaVersion", System.getProperty("java.version"));
    json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    json.put("transparentHugePages", pages.toJson());
    json.put("cpuStealDuringRounds", steal);
    json.put("repetitions", settings.repetitions());
    json.put("warmup", settings.warmup);
    json.put("warmupJobs", settings.warmupJobs);
    json.put("warmupStepMsByQuarter", Arrays.asList(warmupQuarters));
    json.put("steps", settings.steps);
    json.put("sizes", list);
    json.put("maxDeviation", maxDeviation);
    json.put("maxNetDeviation", maxNetDeviation);
    json.put("maxDeviationByRound", maxRoundDeviation);
    Map<String, Object> fits = new LinkedHashMap<>();
    lines.forEach((name, line) -> fits.put(name, line.toJson()));
    json.put("lines", fits);
    json.put("targets", BenchTargets.toJson(targets, targetsApply, BenchTargets.SCALING_DATA));
    return json;
  }
}
