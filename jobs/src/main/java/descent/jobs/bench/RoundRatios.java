package descent.jobs.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ratios {@code a[r]/b[r]} of two bodies timed in the same rounds: their median, least and
 * largest. The two times of one round were taken well under a second apart, so their ratio
 * carries less of the machine's drift than the ratio of the two medians, which may come from
 * different rounds.
 */
record RoundRatios(double median, double min, double max, double[] ratios) {
  static RoundRatios of(double[] a, double[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("round ratios need the same rounds on both sides, got "
          + a.length + " and " + b.length);
    }
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    return new RoundRatios(Rounds.median(sorted), sorted[0], sorted[sorted.length - 1], r);
  }

  /** The JSON object: median, min, max and the ratios in round order. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", median);
    m.put("min", min);
    m.put("max", max);
    m.put("ratios", ratios);
    return m;
  }
}
