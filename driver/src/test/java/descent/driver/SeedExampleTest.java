package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.DataBlock;
import descent.core.SquaredLoss;
import descent.core.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classic worked example of gradient descent: a line fitted to three points (weight 0.5,
 * 2.3, 2.9; height 1.4, 1.9, 3.2) by gradient descent on the sum of squared residuals SSR.
 * descent's linear objective is F = SSR/(2n), so ∇SSR = 2n·∇F and a learning rate η on SSR is
 * η·2n on F: the same steps.
 */
class SeedExampleTest {
  static final double[] WEIGHT = {0.5, 2.3, 2.9};
  static final double[] HEIGHT = {1.4, 1.9, 3.2};
  static final int N = 3;

  /** d SSR / d intercept at (slope, intercept), through the descent kernel. */
  static double ssrInterceptDerivative(double slope, double intercept) {
    DataBlock block = DataBlock.dense(0, 0, 1, HEIGHT.clone(), null, WEIGHT.clone());
    double[] gradientSum = new double[2];
    new SquaredLoss().addGradient(block, 0, N, new double[] {slope, intercept}, true,
        gradientSum, new Workspace());
    // gradientSum = Σ (m_i − y_i)(x_i, 1) = n ∇F; ∇SSR = 2 Σ (m_i − y_i)(x_i, 1).
    return 2 * gradientSum[1];
  }

  @Test
  void interceptWithSlopeFixedFollowsTheWalkThrough() {
    double slope = 0.64;
    double lr = 0.1;
    double b = 0.0;
    double d = ssrInterceptDerivative(slope, b);
    assertEquals(-5.7, d, 0.01, "first derivative");
    double[] expected = {0.57, 0.8, 0.89};
    List<Double> path = new ArrayList<>();
    double stepSize;
    do {
      stepSize = lr * ssrInterceptDerivative(slope, b);
      b -= stepSize;
      path.add(b);
    } while (Math.abs(stepSize) >= 0.001 && path.size() < 1000);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], path.get(k), 0.005, "intercept after step " + (k + 1));
    }
    assertEquals(0.95, b, 0.005, "intercept where the step size fell below 0.001");
    assertTrue(path.size() < 20, "steps: " + path.size());
  }

  static TrainingResult fitBoth(double minStepSize) {
    TrainingData data = TestData.dense(new double[][] {
        {HEIGHT[0], WEIGHT[0]}, {HEIGHT[1], WEIGHT[1]}, {HEIGHT[2], WEIGHT[2]}}, 1, 7);
    double lrOnSsr = 0.01;
    TrainingConfig config = TrainingConfig.builder()
        .modelType(ModelType.LINEAR)
        .fitIntercept(true)
        .learningRate(lrOnSsr * 2 * N)
        .initialParams(new double[] {1.0, 0.0}) // slope 1, intercept 0
        .minStepSize(minStepSize)
        .maxSteps(100_000L)
        .build();
    try {
      return new Trainer(config, TrainingListener.NONE).train(data);
    } finally {
      data.unpersist();
    }
  }

  // Least squares: slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 2.0/3.12, intercept = ȳ − slope·x̄.
  static final double SLOPE = 2.0 / 3.12;
  static final double INTERCEPT = (1.4 + 1.9 + 3.2) / 3 - SLOPE * 1.9;

  @Test
  void bothParametersStopByStepSizeNearTheLeastSquaresLine() {
    // With the worked example's rule (stop when ||lr·g|| < 0.001) the slow direction of this
    // problem (Hessian eigenvalue 1.2 of SSR, so steps of 0.012·distance) stops about
    // 0.001/0.012 ≈ 0.083 from the optimum, plus what is left along the fast direction.
    TrainingResult r = fitBoth(0.001);
    assertEquals(StopReason.MIN_STEP_SIZE, r.stopReason());
    double distance = Math.hypot(r.params()[0] - SLOPE, r.params()[1] - INTERCEPT);
    assertTrue(distance > 0.01 && distance < 0.1, "distance " + distance);
  }

  @Test
  void bothParametersReachInterceptPoint95AndSlopePoint64() {
    TrainingResult r = fitBoth(1e-5);
    assertEquals(StopReason.MIN_STEP_SIZE, r.stopReason());
    assertEquals(0.64, r.params()[0], 0.005, "slope");
    assertEquals(0.95, r.params()[1], 0.005, "intercept");
  }
}
