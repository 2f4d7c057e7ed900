package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Evaluation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The strong Wolfe and Armijo searches meet their conditions whatever the first trial. */
class LineSearchTest {

  @ParameterizedTest(name = "alpha0 = {0}")
  @ValueSource(doubles = {1e-8, 1e-3, 0.3, 1, 10, 1e4})
  void strongWolfeConditionsHoldOnRosenbrock(double alpha0) {
    Functions.Analytic f = Functions.rosenbrock();
    double[] x = {-1.2, 1};
    Evaluation at = f.evaluate(x);
    double[] p = {-at.gradient()[0], -at.gradient()[1]};
    LineSearch.Point point = LineSearch.strongWolfe(f, x, p, at, alpha0);
    assertNotNull(point);
    double dphi0 = LineSearch.dot(at.gradient(), p);
    double phi = point.evaluation().value();
    double dphi = LineSearch.dot(point.evaluation().gradient(), p);
    assertTrue(phi <= at.value() + LineSearch.C1 * point.alpha() * dphi0, "sufficient decrease");
    assertTrue(Math.abs(dphi) <= -LineSearch.C2 * dphi0, "curvature |φ'| = " + Math.abs(dphi));
    assertTrue(f.evaluations <= 1 + LineSearch.MAX_EVALUATIONS);
  }

  @Test
  void cubicInterpolationFindsTheMinimizerOfACubic() {
    // φ(α) = α³ − 3α: φ' = 3α² − 3, minimizer α = 1 inside [0, 2].
    double a = 0;
    double b = 2;
    double alpha = LineSearch.cubic(a, 0, -3, b, 2, 9);
    assertEquals(1.0, alpha, 1e-12);
    // A cubic with no minimizer inside: the midpoint.
    assertEquals(1.0, LineSearch.cubic(0, 0, 1, 2, 8, 12), 1e-12);
  }

  @Test
  void armijoHalvesUntilSufficientDecrease() {
    // F = ½·100·x², x = 1, p = −g = −100: α = 1, ½, …; F(1 − 100α) ≤ 50 − 1e-4·α·10⁴ first at
    // α = 1/64 (x = −0.5625, F = 15.8 ≤ 50 − 0.156): 7 trials.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {100}, new double[] {0});
    Evaluation at = f.evaluate(new double[] {1});
    double[] x = LineSearch.armijo(f, new double[] {1}, new double[] {-100}, at, 1.0);
    assertEquals(1 - 100.0 / 64, x[0], 1e-15);
    assertEquals(1 + 7, f.evaluations);
  }

  @Test
  void noLowerPointGivesNull() {
    // Pretend −g is a descent direction where F only rises: nothing meets sufficient decrease.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1}, new double[] {0});
    Evaluation lie = new Evaluation(0.0, new double[] {1}, null, 1);
    assertNull(LineSearch.strongWolfe(f, new double[] {0}, new double[] {-1}, lie, 1.0));
    assertNull(LineSearch.armijo(f, new double[] {0}, new double[] {-1}, lie, 1.0));
    assertThrows(IllegalArgumentException.class,
        () -> LineSearch.strongWolfe(f, new double[] {0}, new double[] {1}, lie, 1.0));
  }
}
