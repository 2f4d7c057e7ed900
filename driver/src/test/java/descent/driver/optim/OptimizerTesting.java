package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Optimizer;
import org.junit.jupiter.api.function.Executable;

/** The tiny problem of the hand-computed examples, and helpers the optimizer tests share. */
final class OptimizerTesting {

  /** θ_0 of the hand-computed examples. */
  static final double[] THETA0 = {0.1, -0.2};
  /** The gradient given at step 1 (fixed, whatever θ is). */
  static final double[] G1 = {1, -2};
  /** The gradient given at step 2. */
  static final double[] G2 = {0.5, 3};
  /** The learning rate of the hand-computed examples. */
  static final double LR = 0.1;
  /** Hand-computed values are compared to this absolute tolerance. */
  static final double TOL = 1e-12;

  private OptimizerTesting() {}

  /** θ_0 as a fresh array. */
  static double[] theta0() {
    return THETA0.clone();
  }

  /** One step, checking that the optimizer leaves the gradient as it was. */
  static void step(Optimizer optimizer, double[] params, double[] gradient, double lr) {
    double[] before = gradient.clone();
    optimizer.step(params, gradient, lr);
    assertArrayEquals(before, gradient, 0.0, optimizer + " changed the gradient it was given");
  }

  /** Asserts {@code constructor} throws an IllegalArgumentException naming the parameter and value. */
  static void assertRejects(String parameter, String value, Executable constructor) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, constructor);
    assertTrue(e.getMessage().contains(parameter) && e.getMessage().contains(value),
        "message should name " + parameter + " and " + value + ": " + e.getMessage());
  }
}
