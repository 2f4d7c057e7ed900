package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each stop criterion fires on exactly its condition, and the composition keeps their order. */
class StopCriteriaTest {
  private static final double[] W = {1, 2};

  private static StopCriterion.Progress after(long step, double gradNorm, double stepNorm) {
    return new StopCriterion.Progress(step, () -> W, gradNorm, stepNorm);
  }

  @Test
  void theBudgetEndsTheRunAtItsLastStepWithItsOwnReason() {
    StopCriterion.Budget steps = new StopCriterion.Budget(3, StopReason.MAX_STEPS);
    assertNull(steps.check(after(2, 1, 1)));
    assertEquals(StopReason.MAX_STEPS, steps.check(after(3, 1, 1)));
    assertEquals(StopReason.EPOCHS,
        new StopCriterion.Budget(3, StopReason.EPOCHS).exhausted(5));
  }

  @Test
  void aStepShorterThanTheMinimumStops() {
    StopCriterion c = new StopCriterion.MinStepSize(1e-3);
    assertNull(c.check(after(1, 1, 1e-3)));
    assertEquals(StopReason.MIN_STEP_SIZE, c.check(after(1, 1, 0.999e-3)));
  }

  @Test
  void aGradientNormAtTheToleranceStops() {
    StopCriterion c = new StopCriterion.GradientNorm(1e-6);
    assertNull(c.check(after(1, 1.0001e-6, 1)));
    assertEquals(StopReason.GRADIENT_NORM, c.check(after(1, 1e-6, 1)));
  }

  @Test
  void aSecondOrderStepThatDidNotMoveStops() {
    StopCriterion c = new StopCriterion.NoProgress();
    assertNull(c.check(after(1, 1, Double.MIN_VALUE)));
    assertEquals(StopReason.NO_PROGRESS, c.check(after(1, 1, 0.0)));
  }

  @Test
  void toleranceComparesTheObjectiveEveryFewStepsWithItsPreviousValue() {
    double[] values = {10.0, 9.0, 8.9999};
    List<Long> evaluatedAt = new ArrayList<>();
    StopCriterion.Tolerance c = new StopCriterion.Tolerance(1e-4, 5, (step, w) -> {
      evaluatedAt.add(step);
      return values[evaluatedAt.size() - 1];
    });
    assertTrue(Double.isNaN(c.previous()));
    assertNull(c.check(after(4, 1, 1)));
    assertNull(c.check(after(5, 1, 1)));
    assertNull(c.check(after(10, 1, 1)));    // |10 − 9| > 1e-4·9
    assertEquals(9.0, c.previous(), 0.0);
    assertEquals(StopReason.TOLERANCE, c.check(after(15, 1, 1)));    // |9 − 8.9999| ≤ 1e-4·8.9999
    assertEquals(List.of(5L, 10L, 15L), evaluatedAt);
  }

  @Test
  void theComposedCriteriaAnswerInTheirFixedOrder() {
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LINEAR)
        .gradTol(1e-3).minStepSize(1e-2).maxSteps(10L).build();
    StopCriteria all = StopCriteria.of(config, 10, StopReason.MAX_STEPS, true, null,
        (step, w) -> 1.0);
    // Every condition holds at the last step: no progress comes first, then the gradient norm.
    assertEquals(StopReason.NO_PROGRESS, all.check(after(10, 0, 0)));
    assertEquals(StopReason.GRADIENT_NORM, all.check(after(10, 0, 1e-3)));
    assertEquals(StopReason.MIN_STEP_SIZE, all.check(after(10, 1, 1e-3)));
    assertEquals(StopReason.MAX_STEPS, all.check(after(10, 1, 1)));
    assertNull(all.check(after(9, 1, 1)));
  }

  @Test
  void divergenceIsAnErrorWithTheStepTheLossAndAHint() {
    DivergenceGuard guard = new DivergenceGuard();
    guard.checkLoss(1, 0.5, 0.1);
    guard.checkLoss(2, 0.5e6, 0.1);
    DivergenceException e = assertThrows(DivergenceException.class,
        () -> guard.checkLoss(3, 0.6e6, 0.1));
    assertEquals(3, e.step());
    assertTrue(e.getMessage().contains("grew above 1000000.0 times the first step's 0.5"),
        e::getMessage);
    assertTrue(e.getMessage().contains("lower the learning rate (--lr 0.1)"), e::getMessage);
    assertTrue(e.named(Param::driverName).getMessage().contains("(learningRate 0.1)"),
        e::getMessage);
    assertThrows(DivergenceException.class, () -> guard.checkLoss(4, Double.NaN, 0.1));
    assertThrows(DivergenceException.class,
        () -> guard.checkStep(5, 0.5, W, new double[] {1, Double.POSITIVE_INFINITY}, 0.1));
    assertEquals(5.0, guard.checkStep(5, 0.5, new double[] {0, 0}, new double[] {3, 4}, 0.1),
        0.0);
  }
}
