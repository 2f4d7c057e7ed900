package descent.jobs.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line of the comparison's table: a time and its ratios to MLlib's matching step and to the
 * floor, the figures the comparison is read by.
 *
 * @param ratioToMllib null where nothing of MLlib's matches
 */
record Result(String name, double seconds, Double ratioToMllib, double ratioToFloor,
    String note) {

  /** The line of the printed table. */
  String row() {
    return String.format(Locale.ROOT, "%-28s %12.6f %12s %12.3f  %s", name, seconds,
        ratioToMllib == null ? "-" : String.format(Locale.ROOT, "%.3f", ratioToMllib),
        ratioToFloor, note);
  }

  /** The line of bench.csv. */
  String csv() {
    return String.format(Locale.ROOT, "%s,%.9g,%s,%.9g,,%n", name, seconds,
        ratioToMllib == null ? "" : String.format(Locale.ROOT, "%.9g", ratioToMllib),
        ratioToFloor);
  }

  /** The JSON object of the line. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seconds", seconds);
    m.put("ratioToMllib", ratioToMllib);
    m.put("ratioToFloor", ratioToFloor);
    m.put("note", note);
    return m;
  }
}
