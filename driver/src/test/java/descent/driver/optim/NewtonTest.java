package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.StateJson;
import org.junit.jupiter.api.Test;

/** Newton's method: hand-computed steps, the quadratic in one step, damping, and stopping. */
class NewtonTest {

  @Test
  void twoStepsOnExpMinusTwoX() {
    // F(x) = eˣ − 2x from x0 = 0: p = −F'/F'' = −(1 − 2)/1 = 1, and F(1) = e − 2 ≤ 1 − 1e-4
    // accepts α = 1: x1 = 1. Then p = −(e − 2)/e, F(x1 + p) < F(x1): x2 = 1 − (e − 2)/e = 2/e.
    Functions.Analytic f = Functions.expMinusTwoX();
    Newton newton = new Newton();
    double[] x = {0.0};
    newton.step(x, f.evaluateWithHessian(x), f, 1.0);
    assertEquals(1.0, x[0], 1e-15);
    newton.step(x, f.evaluateWithHessian(x), f, 1.0);
    assertEquals(2.0 / Math.E, x[0], 1e-15);
  }

  @Test
  void aQuadraticIsSolvedInOneStep() {
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1, 1000, 0.01},
        new double[] {3, -1, 0.5});
    double[] x = {0, 0, 0};
    new Newton().step(x, f.evaluateWithHessian(x), f, 1.0);
    assertArrayEquals(new double[] {3, -1, 0.5}, x, 1e-12);
  }

  @Test
  void theLearningRateIsTheFirstTrialStep() {
    // On the quadratic, α = 0.5 meets sufficient decrease at once: x moves half way.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {2, 4}, new double[] {1, 1});
    double[] x = {0, 0};
    new Newton().step(x, f.evaluateWithHessian(x), f, 0.5);
    assertArrayEquals(new double[] {0.5, 0.5}, x, 1e-15);
  }

  @Test
  void backtracksWhereTheFullStepOvershoots() {
    // Rosenbrock from (−1.2, 1): the full Newton step fails sufficient decrease, a halving holds.
    Functions.Analytic f = Functions.rosenbrock();
    double[] x = {-1.2, 1.0};
    double before = f.value(x);
    int steps = 0;
    while (steps < 100 && f.value(x) > 1e-20) {
      double[] previous = x.clone();
      new Newton().step(x, f.evaluateWithHessian(x), f, 1.0);
      steps++;
      assertTrue(f.value(x) <= f.value(previous), "step " + steps + " raised F");
      if (java.util.Arrays.equals(previous, x)) {
        break;
      }
    }
    assertTrue(f.value(x) < 1e-20 && before > 1, "F = " + f.value(x) + " after " + steps);
    assertArrayEquals(new double[] {1, 1}, x, 1e-9);
    assertTrue(steps < 40, "steps " + steps);
  }

  @Test
  void aSingularHessianIsDamped() {
    // H = [[1, 1], [1, 1]] is singular; (H + λI)p = −g still gives a descent direction.
    double[] h = {1, 1, 1, 1};
    double[] g = {1, 2};
    double[] p = Newton.solve(h, g, 2);
    assertTrue(p[0] * g[0] + p[1] * g[1] < 0, "not a descent direction");
  }

  @Test
  void atTheMinimumTheStepLeavesTheParameters() {
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1, 2}, new double[] {1, 1});
    double[] x = {1, 1};
    new Newton().step(x, f.evaluateWithHessian(x), f, 1.0);
    assertArrayEquals(new double[] {1, 1}, x, 0.0);
  }

  @Test
  void refusesTheGradientOnlyStepAndAMissingHessian() {
    assertThrows(UnsupportedOperationException.class,
        () -> new Newton().step(new double[1], new double[1], 1.0));
    Functions.Analytic f = Functions.expMinusTwoX();
    assertThrows(IllegalArgumentException.class,
        () -> new Newton().step(new double[1], f.evaluate(new double[1]), f, 1.0));
  }

  @Test
  void keepsNoStateAndRefusesAnotherOptimizers() {
    Newton newton = new Newton();
    assertEquals(new Newton.State(), newton.state());
    newton.restore(StateJson.optimizerState(StateJson.toJson(newton.state())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> newton.restore(new Adam().state()));
    assertTrue(e.getMessage().contains("newton") && e.getMessage().contains("adam"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> newton.restore(null));
  }
}
