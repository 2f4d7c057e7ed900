package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Clipping by value and by global norm on hand cases. */
class GradientClipperTest {

  @Test
  void byValueClampsEachEntry() {
    double[] g = {3, -0.5, -7, 1};
    assertTrue(GradientClipper.of(1.0, null).clip(g));
    assertArrayEquals(new double[] {1, -0.5, -1, 1}, g, 0.0);
  }

  @Test
  void byNormRescalesToTheBound() {
    // ||(3, 4)|| = 5 > 2.5: g·2.5/5 = (1.5, 2).
    double[] g = {3, 4};
    assertTrue(GradientClipper.of(null, 2.5).clip(g));
    assertArrayEquals(new double[] {1.5, 2}, g, 1e-15);
  }

  @Test
  void valueThenNorm() {
    // (10, −10, 1) → (2, −2, 1), norm 3 > 1.5 → (1, −1, 0.5).
    double[] g = {10, -10, 1};
    assertTrue(GradientClipper.of(2.0, 1.5).clip(g));
    assertArrayEquals(new double[] {1, -1, 0.5}, g, 1e-15);
  }

  @Test
  void withinTheBoundsNothingFires() {
    double[] g = {0.3, -0.4};
    assertFalse(GradientClipper.of(1.0, 1.0).clip(g));
    assertArrayEquals(new double[] {0.3, -0.4}, g, 0.0);
    assertFalse(GradientClipper.NONE.clip(g));
    assertFalse(GradientClipper.NONE.active());
  }

  @Test
  void refusesNonPositiveBounds() {
    assertThrows(IllegalArgumentException.class, () -> GradientClipper.of(0.0, null));
    assertThrows(IllegalArgumentException.class, () -> GradientClipper.of(null, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> GradientClipper.of(null, -1.0));
  }
}
