package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listener contract: {@code onParameters} comes only to a listener that asks for it, before
 * {@code onStep}, with the gradient the optimizer used and the parameters before and after the
 * step (for plain SGD, after = before − lr·g); the step reports carry no validation loss (NaN) and
 * no clipping yet.
 */
class TrainingListenerTest {
  // Three points, height 1.4, 1.9, 3.2 against weight 0.5, 2.3, 2.9 (the classic line-fit
  // example), fitted from slope 1, intercept 0.
  private static TrainingData data;

  @BeforeAll
  static void data() {
    data = TestData.dense(new double[][] {{1.4, 0.5}, {1.9, 2.3}, {3.2, 2.9}}, 1, 7);
  }

  @AfterAll
  static void unpersist() {
    data.unpersist();
  }

  private static TrainingConfig config() {
    return TrainingConfig.builder().modelType(ModelType.LINEAR).fitIntercept(true)
        .learningRate(0.06).initialParams(new double[] {1.0, 0.0}).maxSteps(3L).build();
  }

  /** Records every call. */
  private static final class Recorder implements TrainingListener {
    final boolean wants;
    final List<String> calls = new ArrayList<>();
    final List<double[]> gradients = new ArrayList<>();
    final List<double[]> previous = new ArrayList<>();
    final List<double[]> params = new ArrayList<>();
    final List<StepReport> reports = new ArrayList<>();

    Recorder(boolean wants) {
      this.wants = wants;
    }

    @Override
    public void onStep(StepReport report) {
      calls.add("step " + report.step());
      reports.add(report);
    }

    @Override
    public boolean wantsParameters() {
      return wants;
    }

    @Override
    public void onParameters(StepReport report, double[] gradient, double[] before,
        double[] after) {
      calls.add("parameters " + report.step());
      gradients.add(gradient.clone());
      previous.add(before.clone());
      params.add(after.clone());
    }
  }

  @Test
  void parametersGoOnlyToAListenerThatAsks() {
    Recorder quiet = new Recorder(false);
    Recorder tracing = new Recorder(true);
    TrainingResult r = new Trainer(config(), TrainingListener.all(quiet, tracing)).train(data);
    assertEquals(List.of("step 1", "step 2", "step 3"), quiet.calls);
    assertEquals(List.of("parameters 1", "step 1", "parameters 2", "step 2", "parameters 3",
        "step 3"), tracing.calls);
    assertArrayEquals(r.params(), tracing.params.get(2), 0.0);
    for (StepReport report : quiet.reports) {
      assertTrue(Double.isNaN(report.validationLoss()), "no validation loss yet");
      assertFalse(report.clipped());
    }
  }

  @Test
  void firstStepIsTheWalkThroughsStep() {
    Recorder tracing = new Recorder(true);
    new Trainer(config(), tracing).train(data);
    // ∂SSR/∂slope = −2 Σ x(y − x) = −0.8 and ∂SSR/∂intercept = −2 Σ (y − x) = −1.6 at (1, 0);
    // descent's F = SSR/(2n) has 1/6 of them, and lr 0.06 on F is lr 0.01 on SSR.
    assertArrayEquals(new double[] {-0.8 / 6, -1.6 / 6}, tracing.gradients.get(0), 1e-12);
    assertArrayEquals(new double[] {1.0, 0.0}, tracing.previous.get(0), 0.0);
    assertArrayEquals(new double[] {1.008, 0.016}, tracing.params.get(0), 1e-12);
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(tracing.previous.get(k)[j] - 0.06 * tracing.gradients.get(k)[j],
            tracing.params.get(k)[j], 1e-15, "SGD: after = before − lr·g, step " + (k + 1));
      }
    }
  }

  @Test
  void allAsksForParametersOnlyWhenOneListenerDoes() {
    assertFalse(TrainingListener.all(TrainingListener.NONE, new Recorder(false)).wantsParameters());
    assertTrue(TrainingListener.all(TrainingListener.NONE, new Recorder(true)).wantsParameters());
  }
}
