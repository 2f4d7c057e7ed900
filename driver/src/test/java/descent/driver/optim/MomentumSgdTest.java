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
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** SGD with momentum against PyTorch's formulas, worked by hand on θ_0 = (0.1, −0.2), lr = 0.1. */
class MomentumSgdTest {

  @Test
  void heavyBallWithDampeningTwoSteps() {
    MomentumSgd sgd = new MomentumSgd(0.9, 0.5, false);
    double[] theta = theta0();
    // b1 = g1 = (1, −2); θ1 = (0.1 − 0.1·1, −0.2 − 0.1·(−2)) = (0, 0)
    step(sgd, theta, G1, LR);
    assertArrayEquals(new double[] {0, 0}, theta, TOL);
    // b2 = 0.9·(1, −2) + (1 − 0.5)·(0.5, 3) = (0.9 + 0.25, −1.8 + 1.5) = (1.15, −0.3)
    // θ2 = (0 − 0.1·1.15, 0 − 0.1·(−0.3)) = (−0.115, 0.03)
    step(sgd, theta, G2, LR);
    assertArrayEquals(new double[] {-0.115, 0.03}, theta, TOL);
  }

  @Test
  void nesterovTwoSteps() {
    MomentumSgd sgd = new MomentumSgd(0.9, 0, true);
    double[] theta = theta0();
    // b1 = (1, −2); d1 = g1 + 0.9·b1 = (1 + 0.9, −2 − 1.8) = (1.9, −3.8)
    // θ1 = (0.1 − 0.19, −0.2 + 0.38) = (−0.09, 0.18)
    step(sgd, theta, G1, LR);
    assertArrayEquals(new double[] {-0.09, 0.18}, theta, TOL);
    // b2 = 0.9·(1, −2) + (0.5, 3) = (1.4, 1.2); d2 = (0.5 + 0.9·1.4, 3 + 0.9·1.2) = (1.76, 4.08)
    // θ2 = (−0.09 − 0.176, 0.18 − 0.408) = (−0.266, −0.228)
    step(sgd, theta, G2, LR);
    assertArrayEquals(new double[] {-0.266, -0.228}, theta, TOL);
  }

  @Test
  void withoutMomentumItIsPlainSgd() {
    MomentumSgd sgd = new MomentumSgd();
    double[] theta = theta0();
    // θ1 = (0.1 − 0.1·1, −0.2 + 0.1·2) = (0, 0); θ2 = (0 − 0.05, 0 − 0.3)
    step(sgd, theta, G1, LR);
    step(sgd, theta, G2, LR);
    assertArrayEquals(new double[] {-0.05, -0.3}, theta, TOL);
    assertEquals(2, sgd.state().step());
    assertNull(sgd.state().momentumBuffer(), "no buffer without momentum");
  }

  @Test
  void defaultsArePyTorchs() {
    MomentumSgd sgd = new MomentumSgd();
    assertEquals(0.0, sgd.momentum());
    assertEquals(0.0, sgd.dampening());
    assertEquals(false, sgd.nesterov());
    assertEquals("sgd", sgd.name());
    assertEquals("MomentumSgd(momentum=0.9, dampening=0.0, nesterov=true)",
        new MomentumSgd(0.9, 0, true).toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("momentum", "-0.1", () -> new MomentumSgd(-0.1, 0, false));
    assertRejects("momentum", "1.0", () -> new MomentumSgd(1.0, 0, false));
    assertRejects("momentum", "NaN", () -> new MomentumSgd(Double.NaN, 0, false));
    assertRejects("dampening", "1.5", () -> new MomentumSgd(0.9, 1.5, false));
    assertRejects("nesterov", "momentum=0.0", () -> new MomentumSgd(0, 0, true));
    assertRejects("nesterov", "dampening=0.1", () -> new MomentumSgd(0.9, 0.1, true));
  }
}
