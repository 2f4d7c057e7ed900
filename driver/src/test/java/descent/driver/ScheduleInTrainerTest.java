package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.driver.schedule.LinearDecay;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.ReduceLrOnPlateau.Mode;
import descent.driver.schedule.ReduceLrOnPlateau.ThresholdMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer resolves the schedule against the data and shows it each step's loss. */
class ScheduleInTrainerTest {
  static TrainingData heart;

  @BeforeAll
  static void load() {
    heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
  }

  @AfterAll
  static void drop() {
    heart.unpersist();
  }

  static List<StepReport> train(TrainingConfig config) {
    List<StepReport> reports = new ArrayList<>();
    new Trainer(config, reports::add).train(heart);
    return reports;
  }

  static TrainingConfig.Builder logistic() {
    return TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1.0 / 270);
  }

  /** patience 0, absolute threshold 0: every step whose loss is not a new best halves the rate. */
  static ReduceLrOnPlateau impatient() {
    return new ReduceLrOnPlateau(1.0, Mode.MIN, 0.5, 0, 0, ThresholdMode.ABS, 0, 1e-3,
        ReduceLrOnPlateau.EPS, 1);
  }

  @Test
  void thePlateauWatchesEachStepsMiniBatchLoss() {
    ReduceLrOnPlateau configured = impatient();
    List<StepReport> reports = train(logistic().batchSize(27L).maxSteps(40L)
        .schedule(configured).build());
    // A plateau fed the reported losses in order gives the reported rates.
    ReduceLrOnPlateau replay = impatient();
    for (int i = 0; i < reports.size(); i++) {
      assertEquals(replay.rate(i), reports.get(i).learningRate(), 0.0, "step " + i);
      replay.observe(i, reports.get(i).loss());
    }
    assertTrue(reports.get(reports.size() - 1).learningRate() < 1.0, "no reduction in 40 steps");
    // The trainer ran a fresh copy: the configured schedule is untouched, and a second run
    // with the same config takes the same path.
    assertEquals(1.0, configured.rate(0));
    List<StepReport> again = train(logistic().batchSize(27L).maxSteps(40L)
        .schedule(configured).build());
    for (int i = 0; i < reports.size(); i++) {
      assertEquals(reports.get(i).learningRate(), again.get(i).learningRate(), 0.0, "step " + i);
    }
  }

  @Test
  void warmupHoldsBackThePlateauUntilItEnds() {
    List<StepReport> reports = train(logistic().batchSize(27L).maxSteps(12L)
        .schedule(new LinearWarmup(impatient(), 4)).build());
    for (int i = 0; i < 4; i++) {
      assertEquals((i + 1) / 4.0, reports.get(i).learningRate(), 0.0, "ramp step " + i);
    }
    // Step 4 is the plateau's step 0 and has seen nothing yet; step 5 follows its first
    // observation, which is always a new best.
    assertEquals(1.0, reports.get(4).learningRate(), 0.0);
    assertEquals(1.0, reports.get(5).learningRate(), 0.0);
  }

  @Test
  void linearDecayWithoutTauSpansOneHundredEpochs() {
    // 270 rows in batches of 54: ⌈270/54⌉ = 5 steps an epoch, τ = 500 steps.
    List<StepReport> reports = train(logistic().batchSize(54L).maxSteps(3L)
        .schedule(new LinearDecay(1.0)).build());
    assertEquals(1.0, reports.get(0).learningRate(), 0.0);
    // α = 2/500: 0.996 + 0.004·0.01 = 0.99604
    assertEquals(0.99604, reports.get(2).learningRate(), 1e-15);
  }
}
