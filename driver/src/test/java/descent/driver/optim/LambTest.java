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
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** LAMB (You et al. 2019, Algorithm 2) worked by hand. */
class LambTest {

  @Test
  void oneLayerWithWeightDecayTwoSteps() {
    // Both parameters are coefficients: one layer, λ = 0.01, ε = 1e-6, lr = 0.1.
    Lamb lamb = new Lamb(2, 0.9, 0.999, 1e-6, 0.01);
    double[] theta = theta0();
    // m̂ = (1, −2), v̂ = (1, 4) as in AdamTest
    // r = (1/(1 + 1e-6) + 0.01·0.1, −2/(2 + 1e-6) + 0.01·(−0.2))
    // ‖θ0‖ = √(0.01 + 0.04) = √0.05; ratio = √0.05/‖r‖; θ1 = θ0 − 0.1·ratio·r
    step(lamb, theta, G1, LR);
    double[] r1 = {1 / (1 + 1e-6) + 0.001, -2 / (2 + 1e-6) - 0.002};
    double ratio1 = Math.sqrt(0.05) / Math.hypot(r1[0], r1[1]);
    double[] theta1 = {0.1 - 0.1 * ratio1 * r1[0], -0.2 - 0.1 * ratio1 * r1[1]};
    assertArrayEquals(theta1, theta, TOL);
    // m2 = (0.14, 0.12), v2 = (0.001249, 0.012996); bias corrections 0.19 and 0.001999
    // r = m̂/(√v̂ + 1e-6) + 0.01·θ1; ratio = ‖θ1‖/‖r‖; θ2 = θ1 − 0.1·ratio·r
    step(lamb, theta, G2, LR);
    double[] r2 = {
        (0.14 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + 1e-6) + 0.01 * theta1[0],
        (0.12 / 0.19) / (Math.sqrt(0.012996 / 0.001999) + 1e-6) + 0.01 * theta1[1]};
    double ratio2 = Math.hypot(theta1[0], theta1[1]) / Math.hypot(r2[0], r2[1]);
    assertArrayEquals(new double[] {theta1[0] - 0.1 * ratio2 * r2[0],
        theta1[1] - 0.1 * ratio2 * r2[1]}, theta, TOL);
  }

  @Test
  void trustRatioPerLayer() {
    // θ = (3, 4 | 2): two coefficients and an intercept; λ = 0; g = (2, −2, 5); lr = 0.1.
    Lamb lamb = new Lamb(2);
    double[] theta = {3, 4, 2};
    step(lamb, theta, new double[] {2, -2, 5}, LR);
    // first step: m̂ = g, √v̂ = |g|, so r = (c, −c, 5/(5 + 1e-6)) with c = 2/(2 + 1e-6)
    // coefficients: ‖θ‖ = 5, ‖r‖ = c·√2, ratio·r = (5/√2, −5/√2): θ = (3 − 0.5/√2, 4 + 0.5/√2)
    // intercept: ‖θ‖ = 2, ratio·r = 2: θ = 2 − 0.1·2 = 1.8
    // each layer moves by lr·‖θ_layer‖: 0.5 and 0.2
    assertArrayEquals(new double[] {3 - 0.5 / Math.sqrt(2), 4 + 0.5 / Math.sqrt(2), 1.8}, theta,
        TOL);
  }

  @Test
  void trustRatioIsOneForAZeroLayer() {
    Lamb lamb = new Lamb(2);
    double[] theta = {0, 0, 0};
    step(lamb, theta, new double[] {2, -2, 5}, LR);
    // ‖θ‖ = 0 in both layers: ratio 1, θ = −0.1·r
    assertArrayEquals(new double[] {-0.1 * 2 / (2 + 1e-6), 0.1 * 2 / (2 + 1e-6),
        -0.1 * 5 / (5 + 1e-6)}, theta, TOL);
  }

  @Test
  void weightDecayReachesCoefficientsOnly() {
    // zero gradient, λ = 0.5: r = (0.5·3, 0.5·4 | 0) = (1.5, 2 | 0)
    // coefficients: ratio = 5/2.5 = 2, θ = (3 − 0.1·2·1.5, 4 − 0.1·2·2) = (2.7, 3.6)
    // intercept: ‖r‖ = 0, ratio 1, r = 0: unchanged
    Lamb lamb = new Lamb(2, 0.9, 0.999, 1e-6, 0.5);
    double[] theta = {3, 4, 2};
    step(lamb, theta, new double[] {0, 0, 0}, LR);
    assertArrayEquals(new double[] {2.7, 3.6}, new double[] {theta[0], theta[1]}, TOL);
    assertEquals(2.0, theta[2], 0.0);
  }

  @Test
  void trustRatioHelper() {
    assertEquals(2.0, Lamb.trustRatio(16, 4), 0.0);
    assertEquals(1.0, Lamb.trustRatio(0, 4), 0.0);
    assertEquals(1.0, Lamb.trustRatio(16, 0), 0.0);
  }

  @Test
  void needsAtLeastItsCoefficients() {
    Lamb lamb = new Lamb(3);
    double[] theta = theta0();
    assertThrows(IllegalArgumentException.class, () -> lamb.step(theta, G1, LR));
    assertArrayEquals(theta0(), theta, 0.0);
  }

  @Test
  void defaults() {
    Lamb lamb = new Lamb(5);
    assertEquals(5, lamb.numCoefficients());
    assertEquals(0.9, lamb.beta1());
    assertEquals(0.999, lamb.beta2());
    assertEquals(1e-6, lamb.eps());
    assertEquals(0.0, lamb.weightDecay());
    assertEquals("lamb", lamb.name());
    assertEquals("Lamb(numCoefficients=5, beta1=0.9, beta2=0.999, eps=1.0E-6, weightDecay=0.0)",
        lamb.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("numCoefficients", "-2", () -> new Lamb(-2));
    assertRejects("beta1", "1.0", () -> new Lamb(1, 1.0, 0.999, 1e-6, 0));
    assertRejects("beta2", "1.0", () -> new Lamb(1, 0.9, 1.0, 1e-6, 0));
    assertRejects("eps", "-1.0", () -> new Lamb(1, 0.9, 0.999, -1, 0));
    assertRejects("weightDecay", "NaN", () -> new Lamb(1, 0.9, 0.999, 1e-6, Double.NaN));
  }
}
