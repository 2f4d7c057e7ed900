package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up that margin losses run once a JVM ({@link SimdWarmup}): it goes through every SIMD
 * kernel on this CPU's lane count without reading past its arrays, and its kernels give the same
 * bits each time, as they do interpreted or compiled. (What it is for, the JIT's code for the
 * logistic loss, is checked in the harness with {@code -XX:+LogCompilation}: docs/benchmarks.md,
 * session 8.)
 */
class SimdWarmupTest {
  @Test
  void theWarmupRanWhenTheMarginLossesLoaded() {
    assertTrue(MarginLoss.simdLanes() >= 2, "lanes: " + MarginLoss.simdLanes());
    assertEquals(300, SimdWarmup.ROUNDS);
  }

  @Test
  void everyRoundOfEveryKernelGivesTheSameBits() {
    double first = SimdWarmup.run();
    double again = SimdWarmup.run();
    assertTrue(Double.isFinite(first), "warm-up sum: " + first);
    assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(again));
  }
}
