package descent.driver.optim;

import static descent.driver.optim.OptimizerTesting.G1;
import static descent.driver.optim.OptimizerTesting.G2;
import static descent.driver.optim.OptimizerTesting.LR;
import static descent.driver.optim.OptimizerTesting.TOL;
import static descent.driver.optim.OptimizerTesting.assertRejects;
import static descent.driver.optim.OptimizerTesting.step;
import static descent.driver.optim.OptimizerTesting.theta0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RMSprop against PyTorch's formulas, worked by hand on θ_0 = (0.1, −0.2), lr = 0.1. */
class RmsPropTest {

  @Test
  void defaultsTwoSteps() {
    RmsProp rms = new RmsProp();
    double[] theta = theta0();
    // v1 = 0.99·0 + 0.01·(1, 4) = (0.01, 0.04); √v1 = (0.1, 0.2)
    // θ1 = (0.1 − 0.1·1/(0.1 + 1e-8), −0.2 − 0.1·(−2)/(0.2 + 1e-8)) ≈ (−0.9, 0.8)
    step(rms, theta, G1, LR);
    double[] theta1 = {0.1 - 0.1 / (0.1 + 1e-8), -0.2 + 0.2 / (0.2 + 1e-8)};
    assertArrayEquals(theta1, theta, TOL);
    // v2 = 0.99·(0.01, 0.04) + 0.01·(0.25, 9) = (0.0099 + 0.0025, 0.0396 + 0.09) = (0.0124, 0.1296)
    // √0.1296 = 0.36;  θ2 = θ1 − 0.1·(0.5/(√0.0124 + 1e-8), 3/(0.36 + 1e-8))
    step(rms, theta, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] - 0.1 * 0.5 / (Math.sqrt(0.0124) + 1e-8),
        theta1[1] - 0.1 * 3 / (0.36 + 1e-8)}, theta, TOL);
  }

  @Test
  void centeredWithMomentumTwoSteps() {
    RmsProp rms = new RmsProp(0.5, 1e-8, 0.9, true);
    double[] theta = theta0();
    // v1 = 0.5·(1, 4) = (0.5, 2); ḡ1 = 0.5·(1, −2) = (0.5, −1)
    // ṽ1 = v1 − ḡ1² = (0.5 − 0.25, 2 − 1) = (0.25, 1); √ṽ1 = (0.5, 1)
    // b1 = 0.9·0 + (1/(0.5 + 1e-8), −2/(1 + 1e-8));  θ1 = θ0 − 0.1·b1 ≈ (−0.1, 0)
    step(rms, theta, G1, LR);
    double[] b1 = {1 / (0.5 + 1e-8), -2 / (1 + 1e-8)};
    double[] theta1 = {0.1 - 0.1 * b1[0], -0.2 - 0.1 * b1[1]};
    assertArrayEquals(theta1, theta, TOL);
    // v2 = 0.5·(0.5, 2) + 0.5·(0.25, 9) = (0.375, 5.5); ḡ2 = 0.5·(0.5, −1) + 0.5·(0.5, 3) = (0.5, 1)
    // ṽ2 = (0.375 − 0.25, 5.5 − 1) = (0.125, 4.5)
    // b2 = 0.9·b1 + (0.5/(√0.125 + 1e-8), 3/(√4.5 + 1e-8));  θ2 = θ1 − 0.1·b2
    step(rms, theta, G2, LR);
    double[] b2 = {0.9 * b1[0] + 0.5 / (Math.sqrt(0.125) + 1e-8),
        0.9 * b1[1] + 3 / (Math.sqrt(4.5) + 1e-8)};
    assertArrayEquals(new double[] {theta1[0] - 0.1 * b2[0], theta1[1] - 0.1 * b2[1]}, theta, TOL);
  }

  @Test
  void centeredVarianceNeverGoesNegative() {
    // With α = 0 the centered variance is g² − g² = 0 in exact arithmetic: the step is g/ε.
    RmsProp rms = new RmsProp(0.0, 1e-3, 0, true);
    double[] theta = {0.0};
    step(rms, theta, new double[] {0.1}, 1e-3);
    assertEquals(-1e-3 * 0.1 / 1e-3, theta[0], 1e-15);
    assertTrue(Double.isFinite(theta[0]));
  }

  @Test
  void stateHoldsOnlyWhatTheConfigurationUses() {
    RmsProp plain = new RmsProp();
    RmsProp full = new RmsProp(0.9, 1e-8, 0.5, true);
    step(plain, theta0(), G1, LR);
    step(full, theta0(), G1, LR);
    RmsProp.State p = plain.state();
    assertEquals(1, p.step());
    assertNotNull(p.squareAvg());
    assertNull(p.gradAvg());
    assertNull(p.momentumBuffer());
    RmsProp.State f = full.state();
    assertEquals(1, f.step());
    assertNotNull(f.squareAvg());
    assertNotNull(f.gradAvg());
    assertNotNull(f.momentumBuffer());
  }

  @Test
  void defaultsArePyTorchs() {
    RmsProp rms = new RmsProp();
    assertEquals(0.99, rms.alpha());
    assertEquals(1e-8, rms.eps());
    assertEquals(0.0, rms.momentum());
    assertEquals(false, rms.centered());
    assertEquals("rmsprop", rms.name());
    assertEquals("RmsProp(alpha=0.99, eps=1.0E-8, momentum=0.0, centered=false)", rms.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("alpha", "1.0", () -> new RmsProp(1.0, 1e-8, 0, false));
    assertRejects("alpha", "-0.5", () -> new RmsProp(-0.5, 1e-8, 0, false));
    assertRejects("eps", "-1.0E-8", () -> new RmsProp(0.99, -1e-8, 0, false));
    assertRejects("momentum", "1.2", () -> new RmsProp(0.99, 1e-8, 1.2, false));
  }
}
