package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The statistics {@code bench} reports beside its medians: the split of a scaling run's times into
 * a fixed cost an epoch and a cost per million rows, and the ratio of two step kinds round by round;
 * and the order of the bodies in a round.
 */
class BenchStatisticsTest {

  @Test
  void aLineThroughExactPointsIsThatLine() {
    // y = 9 ms + 41 ms · x at 1, 2 and 4 million rows.
    Line line = Line.fit(new double[] {1, 2, 4}, new double[] {0.050, 0.091, 0.173});
    assertEquals(0.009, line.fixed(), 1e-15);
    assertEquals(0.041, line.perUnit(), 1e-15);
  }

  @Test
  void scatteredPointsGetTheLeastSquaresLine() {
    // x̄ = 7/3, ȳ = 3; Σ(x−x̄)(y−ȳ) = (−4/3)(−1) + (−1/3)(1) + (5/3)(0) = 1;
    // Σ(x−x̄)² = 16/9 + 1/9 + 25/9 = 42/9; slope = 9/42 = 3/14; fixed = 3 − (3/14)(7/3) = 5/2.
    Line line = Line.fit(new double[] {1, 2, 4}, new double[] {2, 4, 3});
    assertEquals(3.0 / 14, line.perUnit(), 1e-15);
    assertEquals(2.5, line.fixed(), 1e-15);
  }

  @Test
  void oneSizeHasNoLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Line.fit(new double[] {1, 1}, new double[] {0.05, 0.06}));
    assertTrue(e.getMessage().contains("distinct sizes"), e::getMessage);
    assertThrows(IllegalArgumentException.class,
        () -> Line.fit(new double[] {1}, new double[] {0.05}));
  }

  @Test
  void theNetTimePerMillionRowsLeavesSparksJobOut() {
    // 2M rows: an epoch of 91 ms, of which Spark's empty job is 5 ms: (91 − 5)/2 = 43 ms.
    ScalingPoint p = new ScalingPoint(2_000_000, 0.091, 0.060, 0.005, 1, 1);
    assertEquals(0.0455, p.secondsPerMillionRows(), 1e-15);
    assertEquals(0.043, p.netSecondsPerMillionRows(), 1e-15);
    assertEquals(0.030, p.floorSecondsPerMillionRows(), 1e-15);
  }

  @Test
  void roundRatiosPairEachRoundsTimes() {
    // Rounds of (step, floor): (0.060, 0.040), (0.045, 0.030), (0.090, 0.050): ratios 1.5, 1.5,
    // 1.8, median 1.5. The ratio of the medians, 0.060/0.040 = 1.5, happens to agree here.
    RoundRatios r = RoundRatios.of(new double[] {0.060, 0.045, 0.090},
        new double[] {0.040, 0.030, 0.050});
    assertArrayEquals(new double[] {1.5, 1.5, 1.8}, r.ratios(), 1e-15);
    assertEquals(1.5, r.median(), 1e-15);
    assertEquals(1.5, r.min(), 1e-15);
    assertEquals(1.8, r.max(), 1e-15);
  }

  @Test
  void roundRatiosCanDifferFromTheRatioOfMedians() {
    // Four rounds, the machine slow in the first and fast in the second: the step's median is
    // (0.060 + 0.070)/2 = 0.065, the floor's (0.040 + 0.050)/2 = 0.045, their ratio 1.444…; the
    // rounds' ratios are 1.25, 2.0, 1.4, 1.5, and their median (1.4 + 1.5)/2 = 1.45.
    RoundRatios r = RoundRatios.of(new double[] {0.100, 0.050, 0.070, 0.060},
        new double[] {0.080, 0.025, 0.050, 0.040});
    assertArrayEquals(new double[] {1.25, 2.0, 1.4, 1.5}, r.ratios(), 1e-15);
    assertEquals(0.5 * (1.4 + 1.5), r.median(), 1e-15);
    assertEquals(1.25, r.min(), 1e-15);
    assertEquals(2.0, r.max(), 1e-15);
  }

  @Test
  void mllibsStepIsItsCallLessTheCountOverTheJobsItRan() {
    // Five steps a call run six gradient jobs. A call of 0.6 s with a count of 0.12 s reads
    // 0.12 s and 0.024 s a step as timed; the step is (0.6 − 0.12) / 6 = 0.08 s. Round by round,
    // not by medians.
    double[] callPerStep = {0.6 / 5, 0.72 / 5, 0.54 / 5};
    double[] countPerStep = {0.12 / 5, 0.18 / 5, 0.06 / 5};
    assertArrayEquals(new double[] {0.08, 0.09, 0.08},
        MllibSteps.perStep(callPerStep, countPerStep, 5), 1e-15);
    // Twenty steps: (0.21 − 0.0) / 21 = 0.01.
    assertArrayEquals(new double[] {0.01},
        MllibSteps.perStep(new double[] {0.21 / 20}, new double[] {0.0}, 20), 1e-15);
    assertThrows(IllegalArgumentException.class,
        () -> MllibSteps.perStep(callPerStep, new double[] {0.02}, 5));
  }

  @Test
  void roundRatiosNeedTheSameRounds() {
    assertThrows(IllegalArgumentException.class,
        () -> RoundRatios.of(new double[] {1, 2}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> RoundRatios.of(new double[0], new double[0]));
  }

  @Test
  void eachRoundRunsEveryBodyOnceInAnOrderOfItsOwn() {
    Set<String> orders = new HashSet<>();
    Set<Integer> firsts = new HashSet<>();
    for (int round = 0; round < 20; round++) {
      int[] order = Rounds.order(9, 42, round);
      int[] sorted = order.clone();
      Arrays.sort(sorted);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, sorted);
      orders.add(Arrays.toString(order));
      firsts.add(order[0]);
    }
    // 20 draws of 9! = 362,880 orders: a repeat has probability below 6e-4; and the first body
    // is not always the same one.
    assertEquals(20, orders.size());
    assertTrue(firsts.size() > 1, firsts::toString);
    // The same seed gives the same orders, so a run can be repeated.
    assertArrayEquals(Rounds.order(9, 7, 3), Rounds.order(9, 7, 3));
  }
}
