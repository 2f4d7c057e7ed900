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

import org.junit.jupiter.api.Test;

/** Adam against PyTorch's formulas, worked by hand on θ_0 = (0.1, −0.2), lr = 0.1. */
class AdamTest {

  @Test
  void defaultsTwoSteps() {
    Adam adam = new Adam();
    double[] theta = theta0();
    // m1 = 0.1·(1, −2) = (0.1, −0.2); v1 = 0.001·(1, 4) = (0.001, 0.004)
    // m̂ = m1/(1 − 0.9) = (1, −2); v̂ = v1/(1 − 0.999) = (1, 4); √v̂ = (1, 2)
    // θ1 = (0.1 − 0.1·1/(1 + 1e-8), −0.2 − 0.1·(−2)/(2 + 1e-8)) ≈ (0, 0)
    step(adam, theta, G1, LR);
    double[] theta1 = {0.1 - 0.1 / (1 + 1e-8), -0.2 + 0.2 / (2 + 1e-8)};
    assertArrayEquals(theta1, theta, TOL);
    // m2 = 0.9·(0.1, −0.2) + 0.1·(0.5, 3) = (0.14, 0.12); 1 − 0.9² = 0.19
    // v2 = 0.999·(0.001, 0.004) + 0.001·(0.25, 9) = (0.001249, 0.012996); 1 − 0.999² = 0.001999
    // θ2 = θ1 − 0.1·(m2/0.19)/(√(v2/0.001999) + 1e-8)
    step(adam, theta, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] - 0.1 * (0.14 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + 1e-8),
        theta1[1] - 0.1 * (0.12 / 0.19) / (Math.sqrt(0.012996 / 0.001999) + 1e-8)}, theta, TOL);
  }

  @Test
  void amsgradDividesByTheLargestSecondMoment() {
    Adam ams = new Adam(0.5, 0.5, 1e-8, true);
    Adam plain = new Adam(0.5, 0.5, 1e-8, false);
    double[] theta = theta0();
    double[] thetaPlain = theta0();
    // m1 = 0.5·(1, −2) = (0.5, −1); v1 = vmax1 = 0.5·(1, 4) = (0.5, 2); 1 − 0.5 = 0.5
    // m̂ = (1, −2); v̂ = (1, 4);  θ1 = (0.1 − 0.1·1/(1 + 1e-8), −0.2 + 0.1·2/(2 + 1e-8))
    step(ams, theta, G1, LR);
    step(plain, thetaPlain, G1, LR);
    double[] theta1 = {0.1 - 0.1 / (1 + 1e-8), -0.2 + 0.2 / (2 + 1e-8)};
    assertArrayEquals(theta1, theta, TOL);
    assertArrayEquals(theta1, thetaPlain, TOL);
    // m2 = 0.5·(0.5, −1) + 0.5·(0.5, 3) = (0.5, 1); v2 = 0.5·(0.5, 2) + 0.5·(0.25, 9) = (0.375, 5.5)
    // vmax2 = max((0.5, 2), (0.375, 5.5)) = (0.5, 5.5); 1 − 0.5² = 0.75
    // amsgrad: m̂ = (0.5/0.75, 1/0.75) = (2/3, 4/3); v̂ = (0.5/0.75, 5.5/0.75) = (2/3, 22/3)
    step(ams, theta, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] - 0.1 * (2.0 / 3) / (Math.sqrt(2.0 / 3) + 1e-8),
        theta1[1] - 0.1 * (4.0 / 3) / (Math.sqrt(22.0 / 3) + 1e-8)}, theta, TOL);
    // without amsgrad the first parameter uses v2 = 0.375: v̂ = 0.375/0.75 = 0.5
    step(plain, thetaPlain, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] - 0.1 * (2.0 / 3) / (Math.sqrt(0.5) + 1e-8),
        theta1[1] - 0.1 * (4.0 / 3) / (Math.sqrt(22.0 / 3) + 1e-8)}, thetaPlain, TOL);
  }

  @Test
  void defaultsArePyTorchs() {
    Adam adam = new Adam();
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-8, adam.eps());
    assertEquals(false, adam.amsgrad());
    assertEquals("adam", adam.name());
    assertEquals("Adam(beta1=0.9, beta2=0.999, eps=1.0E-8, amsgrad=false)", adam.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("beta1", "1.0", () -> new Adam(1.0, 0.999, 1e-8, false));
    assertRejects("beta1", "-0.1", () -> new Adam(-0.1, 0.999, 1e-8, false));
    assertRejects("beta2", "1.5", () -> new Adam(0.9, 1.5, 1e-8, false));
    assertRejects("beta2", "NaN", () -> new Adam(0.9, Double.NaN, 1e-8, false));
    assertRejects("eps", "0.0", () -> new Adam(0.9, 0.999, 0, false));
  }
}
