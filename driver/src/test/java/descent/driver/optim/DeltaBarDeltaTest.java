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

/** Delta-bar-delta (Jacobs 1988, gains multiplying lr) worked by hand: κ = 0.05, φ = 0.1, θ̄ = 0.7. */
class DeltaBarDeltaTest {

  @Test
  void threeSteps() {
    DeltaBarDelta dbd = new DeltaBarDelta();
    double[] theta = theta0();
    // step 1: δ̄ = 0, so δ̄·g = 0 and the gains stay (1, 1)
    // θ1 = (0.1 − 0.1·1·1, −0.2 − 0.1·1·(−2)) = (0, 0); δ̄1 = 0.3·(1, −2) = (0.3, −0.6)
    step(dbd, theta, G1, LR);
    assertArrayEquals(new double[] {0, 0}, theta, TOL);
    // step 2: δ̄1·g2 = (0.3·0.5, −0.6·3) = (0.15, −1.8): a = (1 + 0.05, 1·0.9) = (1.05, 0.9)
    // θ2 = (0 − 0.1·1.05·0.5, 0 − 0.1·0.9·3) = (−0.0525, −0.27)
    // δ̄2 = 0.3·(0.5, 3) + 0.7·(0.3, −0.6) = (0.36, 0.48)
    step(dbd, theta, G2, LR);
    assertArrayEquals(new double[] {-0.0525, -0.27}, theta, TOL);
    // step 3, g3 = (−0.1, 1): δ̄2·g3 = (−0.036, 0.48): a = (1.05·0.9, 0.9 + 0.05) = (0.945, 0.95)
    // θ3 = (−0.0525 − 0.1·0.945·(−0.1), −0.27 − 0.1·0.95·1) = (−0.04305, −0.365)
    // δ̄3 = 0.3·(−0.1, 1) + 0.7·(0.36, 0.48) = (0.222, 0.636)
    step(dbd, theta, new double[] {-0.1, 1}, LR);
    assertArrayEquals(new double[] {-0.04305, -0.365}, theta, TOL);
    DeltaBarDelta.State state = dbd.state();
    assertEquals(3, state.step());
    assertArrayEquals(new double[] {0.945, 0.95}, state.gain(), TOL);
    assertArrayEquals(new double[] {0.222, 0.636}, state.deltaBar(), TOL);
  }

  @Test
  void gainsMultiplyTheScheduledRate() {
    DeltaBarDelta dbd = new DeltaBarDelta();
    double[] theta = theta0();
    step(dbd, theta, G1, LR);
    // step 2 at lr = 0.2 with the gains (1.05, 0.9): θ2 = (−0.2·1.05·0.5, −0.2·0.9·3)
    step(dbd, theta, G2, 0.2);
    assertArrayEquals(new double[] {-0.105, -0.54}, theta, TOL);
  }

  @Test
  void defaults() {
    DeltaBarDelta dbd = new DeltaBarDelta();
    assertEquals(0.05, dbd.kappa());
    assertEquals(0.1, dbd.phi());
    assertEquals(0.7, dbd.theta());
    assertEquals("delta-bar-delta", dbd.name());
    assertEquals("DeltaBarDelta(kappa=0.05, phi=0.1, theta=0.7)", dbd.toString());
  }

  @Test
  void rejectsBadHyperparameters() {
    assertRejects("kappa", "-0.01", () -> new DeltaBarDelta(-0.01, 0.1, 0.7));
    assertRejects("phi", "1.0", () -> new DeltaBarDelta(0.05, 1.0, 0.7));
    assertRejects("phi", "-0.1", () -> new DeltaBarDelta(0.05, -0.1, 0.7));
    assertRejects("theta", "1.0", () -> new DeltaBarDelta(0.05, 0.1, 1.0));
  }
}
