package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The elastic-net penalty and the L1 soft threshold on hand cases. */
class RegularizerTest {

  @Test
  void elasticNetSplitsTheStrength() {
    Regularizer.ElasticNet r = Regularizer.elasticNet(0.2, 0.25);
    assertEquals(0.05, r.regL1(), 1e-16);
    assertEquals(0.15, r.regL2(), 1e-16);
  }

  @Test
  void penaltySkipsTheIntercept() {
    // w = (1, −2), b = 5: 0.1·3 + ½·0.2·5 = 0.8.
    Regularizer.ElasticNet r = Regularizer.of(0.1, 0.2);
    assertEquals(0.8, r.penalty(new double[] {1, -2, 5}, 2), 1e-15);
  }

  @Test
  void softThresholdShrinksAndZeroes() {
    // lr·regL1 = 0.5·0.4 = 0.2: 1 → 0.8, −0.15 → 0, 0.2 → 0, −3 → −2.8; intercept 7 untouched.
    double[] w = {1, -0.15, 0.2, -3, 7};
    assertTrue(Regularizer.of(0.4, 0).prox(w, 4, 0.5));
    assertArrayEquals(new double[] {0.8, 0, 0, -2.8, 7}, w, 1e-15);
    assertFalse(Regularizer.of(0, 1).prox(w, 4, 0.5));
  }

  @Test
  void refusesNegativeOrInfinitePenalties() {
    assertThrows(IllegalArgumentException.class, () -> Regularizer.of(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> Regularizer.of(0, Double.NaN));
  }
}
