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

/**
 * AdamW against PyTorch's formulas, worked by hand on θ_0 = (0.1, −0.2), lr = 0.1, where the
 * first parameter is a coefficient and the second an intercept.
 */
class AdamWTest {

  @Test
  void decoupledDecayTwoSteps() {
    AdamW adamw = new AdamW(1, 0.9, 0.999, 1e-8, 0.1, false);
    double[] theta = theta0();
    // decay: θ_0 ← 0.1·(1 − 0.1·0.1) = 0.099; the intercept θ_1 = −0.2 is not decayed
    // Adam as in AdamTest: m̂ = (1, −2), √v̂ = (1, 2)
    // θ1 = (0.099 − 0.1·1/(1 + 1e-8), −0.2 + 0.1·2/(2 + 1e-8))
    step(adamw, theta, G1, LR);
    double[] theta1 = {0.099 - 0.1 / (1 + 1e-8), -0.2 + 0.2 / (2 + 1e-8)};
    assertArrayEquals(theta1, theta, TOL);
    // decay: θ_0 ← θ1_0·0.99; then Adam: m2 = (0.14, 0.12), v2 = (0.001249, 0.012996),
    // bias corrections 0.19 and 0.001999
    step(adamw, theta, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] * 0.99 - 0.1 * (0.14 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + 1e-8),
        theta1[1] - 0.1 * (0.12 / 0.19) / (Math.sqrt(0.012996 / 0.001999) + 1e-8)}, theta, TOL);
  }

  @Test
  void neverDecaysAnIntercept() {
    AdamW adamw = new AdamW(1);
    double[] theta = {1, 1};
    double[] zero = {0, 0};
    // zero gradient: m = v = 0, Adam's step is 0/(0 + ε) = 0; only the coefficient shrinks
    // by 1 − lr·λ = 1 − 0.1·0.01 = 0.999
    step(adamw, theta, zero, LR);
    assertEquals(0.999, theta[0], TOL);
    assertEquals(1.0, theta[1], 0.0);
    step(adamw, theta, zero, LR);
    assertEquals(0.999 * 0.999, theta[0], TOL);
    assertEquals(1.0, theta[1], 0.0);
  }

  @Test
  void withoutDecayItIsAdam() {
    AdamW adamw = new AdamW(2, 0.9, 0.999, 1e-8, 0, true);
    Adam adam = new Adam(0.9, 0.999, 1e-8, true);
    double[] a = theta0();
    double[] b = theta0();
    for (double[] g : new double[][] {G1, G2, G1}) {
      step(adamw, a, g, LR);
      step(adam, b, g, LR);
    }
    assertArrayEquals(b, a, 0.0);
  }

  @Test
  void needsAtLeastItsCoefficients() {
    AdamW adamw = new AdamW(3);
    double[] theta = theta0();
    assertThrows(IllegalArgumentException.class, () -> adamw.step(theta, G1, LR));
    assertArrayEquals(theta0(), theta, 0.0);
  }

  @Test
  void defaultsArePyTorchs() {
    AdamW adamw = new AdamW(4);
    assertEquals(4, adamw.numCoefficients());
    assertEquals(0.9, adamw.beta1());
    assertEquals(0.999, adamw.beta2());
    assertEquals(1e-8, adamw.eps());
    assertEquals(0.01, adamw.weightDecay());
    assertEquals(false, adamw.amsgrad());
    assertEquals("adamw", adamw.name());
    assertEquals("AdamW(numCoefficients=4, beta1=0.9, beta2=0.999, eps=1.0E-8, weightDecay=0.01,"
        + " amsgrad=false)", adamw.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("numCoefficients", "-1", () -> new AdamW(-1));
    assertRejects("weightDecay", "-0.01", () -> new AdamW(1, 0.9, 0.999, 1e-8, -0.01, false));
    assertRejects("beta1", "1.0", () -> new AdamW(1, 1.0, 0.999, 1e-8, 0.01, false));
    assertRejects("beta2", "-0.5", () -> new AdamW(1, 0.9, -0.5, 1e-8, 0.01, false));
    assertRejects("eps", "0.0", () -> new AdamW(1, 0.9, 0.999, 0, 0.01, false));
  }
}
