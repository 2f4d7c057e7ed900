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

/** Adagrad against PyTorch's formulas, worked by hand on θ_0 = (0.1, −0.2), lr = 0.1. */
class AdagradTest {

  @Test
  void defaultsTwoSteps() {
    Adagrad adagrad = new Adagrad();
    double[] theta = theta0();
    // t = 1: clr = 0.1; s1 = (0 + 1, 0 + 4) = (1, 4); √s1 = (1, 2)
    // θ1 = (0.1 − 0.1·1/(1 + 1e-10), −0.2 − 0.1·(−2)/(2 + 1e-10))
    step(adagrad, theta, G1, LR);
    double[] theta1 = {0.1 - 0.1 / (1 + 1e-10), -0.2 + 0.2 / (2 + 1e-10)};
    assertArrayEquals(theta1, theta, TOL);
    // t = 2: clr = 0.1 (no decay); s2 = (1 + 0.25, 4 + 9) = (1.25, 13)
    // θ2 = θ1 − 0.1·(0.5/(√1.25 + 1e-10), 3/(√13 + 1e-10))
    step(adagrad, theta, G2, LR);
    assertArrayEquals(new double[] {
        theta1[0] - 0.1 * 0.5 / (Math.sqrt(1.25) + 1e-10),
        theta1[1] - 0.1 * 3 / (Math.sqrt(13) + 1e-10)}, theta, TOL);
  }

  @Test
  void lrDecayAndInitialAccumulatorTwoSteps() {
    Adagrad adagrad = new Adagrad(0.5, 0.44, 1e-10);
    double[] theta = theta0();
    // t = 1: clr = 0.1/(1 + 0·0.5) = 0.1; s1 = (0.44 + 1, 0.44 + 4) = (1.44, 4.44); √1.44 = 1.2
    // θ1 = (0.1 − 0.1·1/(1.2 + 1e-10), −0.2 + 0.1·2/(√4.44 + 1e-10))
    step(adagrad, theta, G1, LR);
    double[] theta1 = {0.1 - 0.1 / (1.2 + 1e-10), -0.2 + 0.2 / (Math.sqrt(4.44) + 1e-10)};
    assertArrayEquals(theta1, theta, TOL);
    // t = 2: clr = 0.1/(1 + 1·0.5) = 0.1/1.5; s2 = (1.44 + 0.25, 4.44 + 9) = (1.69, 13.44); √1.69 = 1.3
    // θ2 = θ1 − clr·(0.5/(1.3 + 1e-10), 3/(√13.44 + 1e-10))
    step(adagrad, theta, G2, LR);
    double clr = 0.1 / 1.5;
    assertArrayEquals(new double[] {
        theta1[0] - clr * 0.5 / (1.3 + 1e-10),
        theta1[1] - clr * 3 / (Math.sqrt(13.44) + 1e-10)}, theta, TOL);
  }

  @Test
  void defaultsArePyTorchs() {
    Adagrad adagrad = new Adagrad();
    assertEquals(0.0, adagrad.lrDecay());
    assertEquals(0.0, adagrad.initialAccumulatorValue());
    assertEquals(1e-10, adagrad.eps());
    assertEquals("adagrad", adagrad.name());
    assertEquals("Adagrad(lrDecay=0.0, initialAccumulatorValue=0.0, eps=1.0E-10)",
        adagrad.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("lrDecay", "-1.0", () -> new Adagrad(-1, 0, 1e-10));
    assertRejects("initialAccumulatorValue", "-0.5", () -> new Adagrad(0, -0.5, 1e-10));
    assertRejects("initialAccumulatorValue", "Infinity",
        () -> new Adagrad(0, Double.POSITIVE_INFINITY, 1e-10));
    assertRejects("eps", "0.0", () -> new Adagrad(0, 0, 0));
    assertRejects("eps", "NaN", () -> new Adagrad(0, 0, Double.NaN));
  }
}
