package descent.driver.optim;

import static descent.driver.optim.OptimizerTesting.step;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Optimizer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer minimizes f(θ) = ½ Σ a_j (θ_j − c_j)² with a = (1, 10), c = (3, −1) from θ = 0:
 * within a step budget every |θ_j − c_j| gets below 1e-6 and stays there for the last 100 steps.
 * The rate is lr·decay^(t−1); only LAMB needs the decay, since its steps are lr·‖θ_layer‖ long
 * whatever the gradient.
 */
class QuadraticTest {

  static final double[] A = {1, 10};
  static final double[] C = {3, -1};
  static final double TOLERANCE = 1e-6;
  static final int SETTLED = 100;

  static Stream<Arguments> cases() {
    return Stream.of(
        // optimizer, lr, decay per step, step budget
        Arguments.of(new MomentumSgd(), 0.1, 1.0, 300),
        Arguments.of(new MomentumSgd(0.5, 0, false), 0.05, 1.0, 300),
        Arguments.of(new MomentumSgd(0.5, 0, true), 0.05, 1.0, 300),
        Arguments.of(new MomentumSgd(0.9, 0.5, false), 0.02, 1.0, 1000),
        Arguments.of(new Adagrad(), 1.0, 1.0, 200),
        Arguments.of(new Adagrad(0.01, 0.1, 1e-10), 1.0, 1.0, 400),
        Arguments.of(new RmsProp(), 0.01, 1.0, 1000),
        Arguments.of(new RmsProp(0.99, 1e-8, 0.5, true), 0.01, 1.0, 1000),
        Arguments.of(new Adam(), 0.1, 1.0, 500),
        Arguments.of(new Adam(0.9, 0.999, 1e-8, true), 0.05, 1.0, 500),
        Arguments.of(new AdamW(2, 0.9, 0.999, 1e-8, 0, false), 0.1, 1.0, 500),
        Arguments.of(new AdamW(1, 0.9, 0.999, 1e-8, 0, false), 0.1, 1.0, 500),
        Arguments.of(new Lamb(2), 0.1, 0.99, 1500),
        Arguments.of(new Lamb(1), 0.1, 0.99, 1500),
        Arguments.of(new DeltaBarDelta(), 0.1, 1.0, 200),
        Arguments.of(new DeltaBarDelta(), 0.05, 1.0, 300));
  }

  @ParameterizedTest(name = "{0} lr={1} decay={2}")
  @MethodSource("cases")
  void reachesTheMinimum(Optimizer optimizer, double lr, double decay, int budget) {
    double[] theta = new double[2];
    double[] g = new double[2];
    double rate = lr;
    int lastOutside = 0;
    for (int t = 1; t <= budget; t++) {
      for (int j = 0; j < 2; j++) {
        g[j] = A[j] * (theta[j] - C[j]);
      }
      step(optimizer, theta, g, rate);
      rate *= decay;
      if (Math.abs(theta[0] - C[0]) > TOLERANCE || Math.abs(theta[1] - C[1]) > TOLERANCE) {
        lastOutside = t;
      }
    }
    assertTrue(lastOutside <= budget - SETTLED, optimizer + ": still " + (theta[0] - C[0]) + ", "
        + (theta[1] - C[1]) + " from the minimum at step " + lastOutside + " of " + budget);
  }
}
