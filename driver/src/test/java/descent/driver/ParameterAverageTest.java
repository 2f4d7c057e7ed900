package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Polyak and exponential averages of scripted iterates, and their saved state. */
class ParameterAverageTest {

  @Test
  void polyakAveragesFromItsStartStep() {
    ParameterAverage a = ParameterAverage.polyak(3);
    a.add(1, new double[] {100, 100});
    a.add(2, new double[] {100, 100});
    assertNull(a.average());
    a.add(3, new double[] {1, 2});
    a.add(4, new double[] {3, 6});
    a.add(5, new double[] {5, 1});
    // mean of (1, 3, 5) = 3 and of (2, 6, 1) = 3.
    assertArrayEquals(new double[] {3, 3}, a.average(), 1e-15);
    assertEquals(3, a.count());
    assertEquals("polyak from step 3 over 3 iterates", a.describe());
  }

  @Test
  void exponentialWeighsThePast() {
    // θ̄ = 2, then 0.5·2 + 0.5·4 = 3, then 0.5·3 + 0.5·0 = 1.5.
    ParameterAverage a = ParameterAverage.exponential(0.5);
    a.add(1, new double[] {2});
    a.add(2, new double[] {4});
    a.add(3, new double[] {0});
    assertArrayEquals(new double[] {1.5}, a.average(), 1e-15);
  }

  @Test
  void stateRoundTripContinuesBitForBit() {
    ParameterAverage straight = ParameterAverage.exponential(0.9);
    ParameterAverage first = ParameterAverage.exponential(0.9);
    double[][] iterates = {{1, 2}, {0.3, -1}, {7, 0.1}, {2, 2}, {-1, 5}};
    for (int t = 0; t < 5; t++) {
      straight.add(t + 1, iterates[t]);
      if (t < 3) {
        first.add(t + 1, iterates[t]);
      }
    }
    ParameterAverage resumed = ParameterAverage.exponential(0.9);
    resumed.restore(first.state());
    resumed.add(4, iterates[3]);
    resumed.add(5, iterates[4]);
    assertArrayEquals(straight.average(), resumed.average(), 0.0);
    assertThrows(IllegalArgumentException.class,
        () -> resumed.restore(new ParameterAverage.State(2, null)));
  }

  @Test
  void refusesBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.polyak(0));
    assertThrows(IllegalArgumentException.class, () -> ParameterAverage.exponential(1.0));
  }
}
