package descent.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An average of the iterates θ_t that the trainer returns instead of the last one: noisy
 * constant-rate SGD bounces around the minimum, and the average of where it bounced is closer.
 * It wraps any optimizer (the trainer feeds it every step's parameters) and keeps its state for
 * checkpoints.
 *
 * <ul>
 *   <li>{@link #polyak(long)}: {@code θ̄ = mean(θ_t, t ≥ start)} (Polyak and Juditsky, SIAM J.
 *       Control Optim. 30, 1992); tail averaging of the last N steps is Polyak from
 *       {@code maxSteps − N + 1}.
 *   <li>{@link #exponential(double)}: {@code θ̄_t = decay·θ̄_{t−1} + (1 − decay)·θ_t},
 *       {@code θ̄} starting at the first θ (an EMA of the weights, as in
 *       {@code torch.optim.swa_utils.AveragedModel} with an EMA function).
 * </ul>
 */
public final class ParameterAverage {
  private final String kind;
  private final long start;
  private final double decay;
  private double[] average;
  private long count;

  private ParameterAverage(String kind, long start, double decay) {
    this.kind = kind;
    this.start = start;
    this.decay = decay;
  }

  /** The running mean of θ_t for 1-based steps {@code t ≥ start}. */
  public static ParameterAverage polyak(long start) {
    if (start < 1) {
      throw new IllegalArgumentException("--average-start must be >= 1, got " + start);
    }
    return new ParameterAverage("polyak", start, Double.NaN);
  }

  /** The exponential moving average with weight {@code decay} on the past. */
  public static ParameterAverage exponential(double decay) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("--average-decay must be in (0, 1), got " + decay);
    }
    return new ParameterAverage("ema", 1, decay);
  }

  /** Adds the parameters after 1-based step {@code step}. */
  public void add(long step, double[] params) {
    if (step < start) {
      return;
    }
    if (average == null) {
      average = params.clone();
      count = 1;
      return;
    }
    count++;
    if (kind.equals("polyak")) {
      double w = 1.0 / count;
      for (int j = 0; j < average.length; j++) {
        average[j] += w * (params[j] - average[j]);
      }
    } else {
      for (int j = 0; j < average.length; j++) {
        average[j] = decay * average[j] + (1 - decay) * params[j];
      }
    }
  }

  /** The average so far, a copy; null when no step was added yet. */
  public double[] average() {
    return average == null ? null : average.clone();
  }

  /** Iterates averaged so far. */
  public long count() {
    return count;
  }

  /** What the saved model holds, e.g. {@code polyak from step 901 over 100 iterates}. */
  public String describe() {
    return kind.equals("polyak")
        ? "polyak from step " + start + " over " + count + " iterates"
        : "ema decay " + decay + " over " + count + " iterates";
  }

  /** {@code "count"} and, after the first addition, {@code "average"}. */
  public Map<String, double[]> state() {
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("count", new double[] {count});
    if (average != null) {
      state.put("average", average.clone());
    }
    return state;
  }

  /** Takes back a state from {@link #state()}. */
  public void restore(Map<String, double[]> state) {
    double[] c = state.get("count");
    double[] a = state.get("average");
    if (c == null || c.length != 1 || !(c[0] >= 0 && c[0] == Math.rint(c[0]))
        || (c[0] > 0) != (a != null) || state.size() != (a == null ? 1 : 2)) {
      throw new IllegalArgumentException("averaging state needs \"count\" (a whole number) and,"
          + " when it is positive, \"average\"; got " + state.keySet());
    }
    count = (long) c[0];
    average = a == null ? null : a.clone();
  }

  @Override
  public String toString() {
    return kind.equals("polyak") ? "polyak(start=" + start + ")" : "ema(decay=" + decay + ")";
  }
}
