package descent.driver.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each schedule's rate at chosen steps against values worked out by hand. */
class LearningRateScheduleTest {

  static final double REL = 1e-15;

  static void assertRate(double expected, LearningRateSchedule s, long step) {
    double actual = s.rate(step);
    assertTrue(Math.abs(actual - expected) <= REL * Math.abs(expected),
        s + " at step " + step + ": expected " + expected + ", got " + actual);
  }

  static void assertRejects(String parameter, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    assertTrue(e.getMessage().contains(parameter),
        "message should name " + parameter + ": " + e.getMessage());
  }

  @Test
  void constant() {
    LearningRateSchedule s = new ConstantSchedule(0.1);
    assertRate(0.1, s, 0);
    assertRate(0.1, s, 1_000_000);
  }

  @Test
  void stepDecay() {
    LearningRateSchedule s = new StepDecay(0.1, 3, 0.5);
    assertRate(0.1, s, 0);   // 0.1·0.5^⌊0/3⌋ = 0.1
    assertRate(0.1, s, 2);   // 0.1·0.5^⌊2/3⌋ = 0.1
    assertRate(0.05, s, 3);  // 0.1·0.5^1 = 0.05
    assertRate(0.025, s, 6); // 0.1·0.5^2 = 0.025
    assertRate(0.025, s, 8); // 0.1·0.5^⌊8/3⌋ = 0.1·0.5^2 = 0.025
  }

  @Test
  void stepDecayDefaultGammaIsPyTorchs() {
    assertEquals(0.1, StepDecay.GAMMA);
    assertRate(0.01, new StepDecay(1.0, 10), 25); // 1·0.1^⌊25/10⌋ = 0.1^2 = 0.01
  }

  @Test
  void multiStepDecay() {
    LearningRateSchedule s = new MultiStepDecay(0.1, new long[] {2, 5}, 0.5);
    assertRate(0.1, s, 0);     // no milestone ≤ 0
    assertRate(0.1, s, 1);     // no milestone ≤ 1
    assertRate(0.05, s, 2);    // milestone 2 passed: 0.1·0.5 = 0.05
    assertRate(0.05, s, 4);
    assertRate(0.025, s, 5);   // 2 and 5 passed: 0.1·0.5^2 = 0.025
    assertRate(0.025, s, 100);
  }

  @Test
  void multiStepDecayCopiesMilestones() {
    long[] milestones = {2};
    LearningRateSchedule s = new MultiStepDecay(0.1, milestones, 0.5);
    milestones[0] = 100;
    assertRate(0.05, s, 2); // still decays at 2: 0.1·0.5 = 0.05
  }

  @Test
  void exponentialDecay() {
    LearningRateSchedule s = new ExponentialDecay(0.2, 0.9);
    assertRate(0.2, s, 0);    // 0.2·0.9^0 = 0.2
    assertRate(0.18, s, 1);   // 0.2·0.9 = 0.18
    assertRate(0.162, s, 2);  // 0.2·0.81 = 0.162
    assertRate(0.1458, s, 3); // 0.2·0.729 = 0.1458
  }

  @Test
  void inverseTimeDecay() {
    LearningRateSchedule s = new InverseTimeDecay(0.1, 0.5);
    assertRate(0.1, s, 0);   // 0.1/(1 + 0.5·0) = 0.1
    assertRate(0.05, s, 2);  // 0.1/(1 + 0.5·2) = 0.1/2 = 0.05
    assertRate(0.025, s, 6); // 0.1/(1 + 0.5·6) = 0.1/4 = 0.025
  }

  @Test
  void polynomialDecay() {
    LearningRateSchedule s = new PolynomialDecay(0.1, 4, 2.0, 0.01);
    assertRate(0.1, s, 0);       // 0.09·(1 − 0/4)^2 + 0.01 = 0.1
    assertRate(0.060625, s, 1);  // 0.09·(3/4)^2 + 0.01 = 0.09·0.5625 + 0.01 = 0.060625
    assertRate(0.0325, s, 2);    // 0.09·(1/2)^2 + 0.01 = 0.0225 + 0.01 = 0.0325
    assertRate(0.01, s, 4);      // 0.09·0^2 + 0.01 = 0.01
    assertRate(0.01, s, 10);     // min(10, 4) = 4: endLr
  }

  @Test
  void polynomialDecayDefaultsAreLinearToZero() {
    assertEquals(1.0, PolynomialDecay.POWER);
    assertEquals(0.0, PolynomialDecay.END_LR);
    LearningRateSchedule s = new PolynomialDecay(0.1, 4);
    assertRate(0.075, s, 1); // 0.1·(1 − 1/4) = 0.075
    assertEquals(0.0, s.rate(4));
  }

  @Test
  void linearDecay() {
    LearningRateSchedule s = new LinearDecay(1.0, 10);
    assertRate(1.0, s, 0);    // (1 − 0)·1 + 0·0.01 = 1
    assertRate(0.901, s, 1);  // 0.9·1 + 0.1·0.01 = 0.9 + 0.001 = 0.901
    assertRate(0.505, s, 5);  // 0.5·1 + 0.5·0.01 = 0.5 + 0.005 = 0.505
    assertRate(0.01, s, 10);  // 0·1 + 1·0.01 = 0.01 = lr0/100
    assertRate(0.01, s, 20);  // held after τ
  }

  @Test
  void cosineAnnealing() {
    LearningRateSchedule s = new CosineAnnealing(0.1, 4, 0.01);
    assertRate(0.1, s, 0);   // 0.01 + 0.09·(1 + cos 0)/2 = 0.1
    // 0.01 + 0.09·(1 + cos(π/4))/2 = 0.01 + 0.045·(1 + √2/2)
    assertRate(0.01 + 0.045 * (1 + Math.sqrt(2) / 2), s, 1);
    assertRate(0.055, s, 2); // 0.01 + 0.09·(1 + cos(π/2))/2 = 0.01 + 0.045 = 0.055
    assertRate(0.01, s, 4);  // 0.01 + 0.09·(1 + cos π)/2 = 0.01
    assertRate(0.01, s, 9);  // held after T_max
  }

  @Test
  void cosineAnnealingDefaultEtaMinIsZero() {
    assertEquals(0.0, CosineAnnealing.ETA_MIN);
    assertRate(0.05, new CosineAnnealing(0.1, 4), 2); // 0.1·(1 + cos(π/2))/2 = 0.05
  }

  @Test
  void cosineWarmRestartsWithTMultTwo() {
    // T_0 = 2, T_mult = 2: cycles [0, 2), [2, 6), [6, 14)
    LearningRateSchedule s = new CosineWarmRestarts(0.1, 2, 2, 0.0);
    assertRate(0.1, s, 0);   // T_cur 0: 0.1
    assertRate(0.05, s, 1);  // T_cur 1, T_i 2: 0.1·(1 + cos(π/2))/2 = 0.05
    assertRate(0.1, s, 2);   // restart
    assertRate(0.05 * (1 + Math.sqrt(2) / 2), s, 3); // T_cur 1, T_i 4: 0.1·(1 + cos(π/4))/2
    assertRate(0.05, s, 4);  // T_cur 2, T_i 4: 0.1·(1 + cos(π/2))/2 = 0.05
    assertRate(0.1, s, 6);   // restart
    assertRate(0.05, s, 10); // T_cur 4, T_i 8: 0.05
    assertRate(0.1, s, 14);  // restart
  }

  @Test
  void cosineWarmRestartsWithDefaults() {
    assertEquals(1L, CosineWarmRestarts.T_MULT);
    assertEquals(0.0, CosineWarmRestarts.ETA_MIN);
    LearningRateSchedule s = new CosineWarmRestarts(0.1, 4); // restarts at 4, 8, ...
    assertRate(0.05, s, 2); // 0.1·(1 + cos(π/2))/2 = 0.05
    assertRate(0.1, s, 4);
    assertRate(0.05, s, 6); // T_cur 2, T_i 4
    assertRate(0.1, s, 8);
  }

  @Test
  void cosineWarmRestartsWithEtaMin() {
    LearningRateSchedule s = new CosineWarmRestarts(0.1, 4, 1, 0.02);
    assertRate(0.06, s, 2); // 0.02 + 0.08·(1 + cos(π/2))/2 = 0.02 + 0.04 = 0.06
    assertRate(0.06, s, 6);
  }

  @Test
  void cosineWarmRestartsWithHugeStepDoesNotOverflow() {
    LearningRateSchedule s = new CosineWarmRestarts(0.1, 1, 3, 0.0);
    double r = s.rate(Long.MAX_VALUE);
    assertTrue(r >= 0 && r <= 0.1, "got " + r);
  }

  @Test
  void warmupOfConstantIsLinearRamp() {
    LearningRateSchedule s = new LinearWarmup(new ConstantSchedule(0.1), 4);
    assertRate(0.025, s, 0); // 0.1·1/4
    assertRate(0.05, s, 1);  // 0.1·2/4
    assertRate(0.1, s, 3);   // 0.1·4/4
    assertRate(0.1, s, 4);
  }

  @Test
  void warmupWrapsCosineWhichStartsAfterWarmup() {
    LearningRateSchedule cosine = new CosineAnnealing(0.1, 4, 0.001);
    LearningRateSchedule s = new LinearWarmup(cosine, 2);
    assertRate(0.05, s, 0); // cos(0)·1/2 = 0.1·1/2 = 0.05
    assertRate(0.1, s, 1);  // cos(0)·2/2: the ramp ends at the cosine's first rate
    assertRate(0.1, s, 2);    // cos(0): the cosine starts here
    assertRate(0.0505, s, 4); // cos(2) = 0.001 + 0.099·(1 + cos(π/2))/2 = 0.001 + 0.0495
    assertRate(0.001, s, 6);  // cos(4) = η_min
    assertRate(0.001, s, 100);
  }

  @Test
  void warmupRampsToTheInnersFirstRateWithoutAJump() {
    // The inner schedule's step 0 is step warmupSteps: the ramp aims at inner(0), never at a
    // later rate that the inner schedule would only reach after the warmup.
    LearningRateSchedule s = new LinearWarmup(new ExponentialDecay(1.0, 0.5), 4);
    assertRate(0.25, s, 0); // 1·1/4
    assertRate(0.75, s, 2); // 1·3/4
    assertRate(1.0, s, 3);  // 1·4/4
    assertRate(1.0, s, 4);  // inner(0)
    assertRate(0.5, s, 5);  // inner(1)
  }

  @Test
  void warmupPassesOnlyLaterObservationsShiftedToThePlateau() {
    // patience 0, abs threshold 0: the second observation the plateau sees halves the rate.
    ReduceLrOnPlateau plateau = new ReduceLrOnPlateau(1.0, ReduceLrOnPlateau.Mode.MIN, 0.5, 0, 0,
        ReduceLrOnPlateau.ThresholdMode.ABS, 0, 0, ReduceLrOnPlateau.EPS, 1);
    LearningRateSchedule s = new LinearWarmup(plateau, 3);
    for (long t = 0; t < 3; t++) {
      s.observe(t, 7.0); // during the warmup: not passed on
    }
    assertRate(1.0, s, 3);
    s.observe(3, 7.0); // the plateau's first observation (its step 0): best 7
    assertRate(1.0, s, 4);
    s.observe(4, 7.0); // no improvement: 0.5
    assertRate(0.5, s, 5);
    LinearWarmup.State state = (LinearWarmup.State) s.state();
    assertEquals(plateau.state(), state.inner());
    assertEquals(0.5, ((ReduceLrOnPlateau.State) state.inner()).lr());
  }

  @Test
  void linearDecayDefaultsToOneHundredEpochs() {
    assertEquals(100L, LinearDecay.DEFAULT_TAU_EPOCHS);
    LearningRateSchedule unresolved = new LinearDecay(1.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> unresolved.rate(0));
    assertTrue(e.getMessage().contains("resolve"), e.getMessage());
    // 3 steps per epoch: τ = 100·3 = 300
    LearningRateSchedule s = unresolved.resolve(3);
    assertRate(1.0, s, 0);
    assertRate(0.505, s, 150); // α = 1/2: 0.5 + 0.5·0.01
    assertRate(0.01, s, 300);
    assertEquals("LinearDecay(lr0=1.0, tau=300)", s.toString());
    assertEquals("LinearDecay(lr0=1.0, tau=100 epochs)", unresolved.toString());
    // A given τ is kept; a warmup resolves what it wraps.
    LearningRateSchedule given = new LinearDecay(1.0, 10);
    assertEquals(given, given.resolve(3));
    assertRate(0.505, new LinearWarmup(new LinearDecay(1.0), 2).resolve(3), 152);
    assertRejects("stepsPerEpoch", () -> unresolved.resolve(0));
  }

  @Test
  void pureSchedulesResolveToThemselvesAndIgnoreObservations() {
    LearningRateSchedule s = new StepDecay(0.1, 3, 0.5);
    assertEquals(s, s.resolve(10));
    s.observe(0, 1e9);
    assertRate(0.1, s, 1);
    LearningRateSchedule warm = new LinearWarmup(s, 2);
    assertEquals(warm, warm.resolve(10));
  }

  @Test
  void zeroWarmupIsTheInnerSchedule() {
    LearningRateSchedule inner = new ExponentialDecay(0.2, 0.9);
    LearningRateSchedule s = new LinearWarmup(inner, 0);
    for (long t = 0; t < 5; t++) {
      assertEquals(inner.rate(t), s.rate(t));
    }
  }

  @Test
  void negativeStepIsRejected() {
    LearningRateSchedule[] all = {
      new ConstantSchedule(0.1), new StepDecay(0.1, 3), new MultiStepDecay(0.1, new long[] {1}),
      new ExponentialDecay(0.1, 0.9), new InverseTimeDecay(0.1, 0.5), new PolynomialDecay(0.1, 4),
      new LinearDecay(0.1, 4), new CosineAnnealing(0.1, 4), new CosineWarmRestarts(0.1, 4),
      new LinearWarmup(new ConstantSchedule(0.1), 2), new CyclicSchedule(0.1, 1, 4),
      new OneCycleSchedule(1, 10), new ReduceLrOnPlateau(0.1),
      new SequentialSchedule(java.util.List.of(new ConstantSchedule(0.1)), new long[0]),
    };
    for (LearningRateSchedule s : all) {
      assertRejects("step", () -> s.rate(-1));
    }
  }

  @Test
  void constructorsRejectBadParameters() {
    assertRejects("lr0", () -> new ConstantSchedule(0));
    assertRejects("lr0", () -> new ConstantSchedule(Double.NaN));
    assertRejects("lr0", () -> new ConstantSchedule(Double.POSITIVE_INFINITY));

    assertRejects("lr0", () -> new StepDecay(-0.1, 3, 0.5));
    assertRejects("stepSize", () -> new StepDecay(0.1, 0, 0.5));
    assertRejects("gamma", () -> new StepDecay(0.1, 3, 0));

    assertRejects("milestones", () -> new MultiStepDecay(0.1, null, 0.5));
    assertRejects("milestones", () -> new MultiStepDecay(0.1, new long[] {3, 3}, 0.5));
    assertRejects("milestones", () -> new MultiStepDecay(0.1, new long[] {5, 2}, 0.5));
    assertRejects("milestones", () -> new MultiStepDecay(0.1, new long[] {-1}, 0.5));
    assertRejects("gamma", () -> new MultiStepDecay(0.1, new long[] {1}, Double.NaN));

    assertRejects("gamma", () -> new ExponentialDecay(0.1, -0.9));
    assertRejects("decay", () -> new InverseTimeDecay(0.1, -1));

    assertRejects("totalSteps", () -> new PolynomialDecay(0.1, 0, 1, 0));
    assertRejects("power", () -> new PolynomialDecay(0.1, 4, 0, 0));
    assertRejects("endLr", () -> new PolynomialDecay(0.1, 4, 1, -0.01));
    assertRejects("endLr", () -> new PolynomialDecay(0.1, 4, 1, 0.2));

    assertRejects("tau", () -> new LinearDecay(0.1, 0));

    assertRejects("tMax", () -> new CosineAnnealing(0.1, 0, 0));
    assertRejects("etaMin", () -> new CosineAnnealing(0.1, 4, 0.5));

    assertRejects("t0", () -> new CosineWarmRestarts(0.1, 0, 1, 0));
    assertRejects("tMult", () -> new CosineWarmRestarts(0.1, 4, 0, 0));
    assertRejects("etaMin", () -> new CosineWarmRestarts(0.1, 4, 1, -1));

    assertRejects("inner", () -> new LinearWarmup(null, 2));
    assertRejects("warmupSteps", () -> new LinearWarmup(new ConstantSchedule(0.1), -1));
  }

  @Test
  void toStringEchoesConfiguration() {
    assertEquals("LinearWarmup(CosineAnnealing(lr0=0.1, tMax=4, etaMin=0.0), warmupSteps=2)",
        new LinearWarmup(new CosineAnnealing(0.1, 4), 2).toString());
  }
}
