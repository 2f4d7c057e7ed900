package descent.jobs.bench;

import descent.core.Blockifier;
import java.util.Arrays;

/**
 * Round-robin timing: {@code warmup} untimed rounds, then {@code repetitions} rounds that each
 * run every body once, in an order of the round's own drawn with {@code seed}. The machine's speed
 * drifts by ±20 % over minutes; timing the bodies one after the other would put that drift into
 * their ratios, while in turns every body sees it alike.
 *
 * @param repetitions timed rounds ({@code --repetitions})
 * @param warmup untimed rounds first ({@code --warmup})
 * @param seed seed of the rounds' orders ({@code --seed})
 */
record Rounds(int repetitions, int warmup, long seed) {

  /** A timed body. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /**
   * Each body's seconds / divisor in each timed round ({@code [body][round]}). Each round runs the
   * bodies in an order of its own ({@link #order}): a small job right after a pass over every
   * cached array took several times its usual time in Spark's event log, and a fixed order would
   * give that cost to the same body in every round.
   */
  double[][] times(int divisor, Body... bodies) throws Exception {
    double[][] t = new double[bodies.length][repetitions];
    for (int round = -warmup; round < repetitions; round++) {
      for (int b : order(bodies.length, seed, round + warmup)) {
        long start = System.nanoTime();
        bodies[b].run();
        if (round >= 0) {
          t[b][round] = (System.nanoTime() - start) / 1e9 / divisor;
        }
      }
    }
    return t;
  }

  /** Medians of the bodies' seconds / divisor, timed as {@link #times}. */
  double[] medians(int divisor, Body... bodies) throws Exception {
    return medians(times(divisor, bodies));
  }

  /**
   * The order of the bodies in round {@code round} (warm-up rounds first, from 0): the
   * blockifier's seeded Fisher–Yates permutation, with the round in place of the partition, so
   * each round has an order of its own and a run with the same seed repeats them.
   */
  static int[] order(int bodies, long seed, int round) {
    return Blockifier.permutation(bodies, seed, round, true);
  }

  /** The median of each body's rounds ({@code t[body][round]}, left in round order). */
  static double[] medians(double[][] t) {
    double[] medians = new double[t.length];
    for (int b = 0; b < t.length; b++) {
      medians[b] = median(t[b].clone());
    }
    return medians;
  }

  /** The median of {@code t} (sorted in place). */
  static double median(double[] t) {
    Arrays.sort(t);
    int m = t.length / 2;
    return t.length % 2 == 1 ? t[m] : 0.5 * (t[m - 1] + t[m]);
  }
}
