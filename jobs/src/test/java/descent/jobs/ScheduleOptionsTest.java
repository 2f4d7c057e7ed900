package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.schedule.CyclicSchedule;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.OneCycleSchedule;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.ScheduleState;
import descent.driver.schedule.SequentialSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --schedule and its parameters become the schedule they name, or a clear error. */
class ScheduleOptionsTest {
  static ScheduleOptions parse(String... args) {
    ScheduleOptions options = new ScheduleOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void buildsTheNamedScheduleFromLr() {
    LearningRateSchedule step = parse("--schedule", "step", "--step-size", "3", "--gamma", "0.5")
        .build(0.2);
    assertEquals(0.2, step.rate(2), 0.0); // 0.2·0.5^0
    assertEquals(0.1, step.rate(3), 0.0); // 0.2·0.5^1
    LearningRateSchedule warm = parse("--schedule", "multistep", "--milestones", "2,4",
        "--warmup-steps", "2").build(1.0);
    assertEquals(0.5, warm.rate(0), 0.0); // 1·1/2 during warmup
    assertEquals(0.1, warm.rate(4), 1e-15); // inner step 2: one milestone passed, 1·0.1
    assertEquals(1.0, parse().build(1.0).rate(1000), 0.0); // constant by default
  }

  @Test
  void wrongOrMissingParametersAreErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("--schedule", "cosine", "--gamma", "0.5").build(0.1));
    assertTrue(e.getMessage().contains("--gamma does not apply to --schedule cosine"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("--schedule", "cosine").build(0.1));
    assertTrue(e.getMessage().contains("--t-max is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("--schedule", "warp").build(0.1));
    assertTrue(e.getMessage().contains("warp") && e.getMessage().contains("cosine"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> parse("--schedule", "step", "--step-size", "0").build(0.1));
    assertTrue(e.getMessage().contains("stepSize"), e.getMessage());
  }

  static void assertRejected(String expected, String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(args).build(0.1));
    assertTrue(e.getMessage().contains(expected),
        "message should contain '" + expected + "': " + e.getMessage());
  }

  @Test
  void cyclicStartsAtLrAndRisesToMaxLr() {
    LearningRateSchedule s = parse("--schedule", "cyclic", "--max-lr", "0.5", "--step-size-up",
        "2").build(0.1);
    assertEquals(0.1, s.rate(0), 0.0);
    assertEquals(0.3, s.rate(1), 1e-15); // 0.1 + 0.4·1/2
    assertEquals(0.5, s.rate(2), 0.0);
    assertEquals(0.3, s.rate(3), 1e-15); // --step-size-down defaults to --step-size-up
    LearningRateSchedule down = parse("--schedule", "cyclic", "--max-lr", "2", "--step-size-up",
        "1", "--step-size-down", "3").build(1.0);
    assertEquals(1 + 2.0 / 3, down.rate(2), 1e-15);
    LearningRateSchedule exp = parse("--schedule", "cyclic", "--max-lr", "0.5", "--step-size-up",
        "2", "--cyclic-mode", "exp_range", "--gamma", "0.5").build(0.1);
    assertEquals(0.2, exp.rate(2), 1e-15); // 0.1 + 0.4·0.5²
    LearningRateSchedule tri2 = parse("--schedule", "cyclic", "--max-lr", "0.5", "--step-size-up",
        "2", "--cyclic-mode", "triangular2").build(0.1);
    assertEquals(0.3, tri2.rate(6), 1e-15); // second cycle's peak: 0.1 + 0.4/2
    assertEquals("CyclicSchedule(baseLr=0.1, maxLr=0.5, stepSizeUp=2000, stepSizeDown=2000, "
        + "mode=triangular)", parse("--schedule", "cyclic", "--max-lr", "0.5").build(0.1)
        .toString());
  }

  @Test
  void cyclicOptionsAreChecked() {
    assertRejected("--max-lr is required", "--schedule", "cyclic");
    assertRejected("--gamma applies to --schedule cyclic only with --cyclic-mode exp_range",
        "--schedule", "cyclic", "--max-lr", "1", "--gamma", "0.9");
    assertRejected("--gamma applies to --schedule cyclic only with --cyclic-mode exp_range",
        "--schedule", "cyclic", "--max-lr", "1", "--cyclic-mode", "triangular2", "--gamma", "0.9");
    assertRejected("--cyclic-mode 'sine'", "--schedule", "cyclic", "--max-lr", "1",
        "--cyclic-mode", "sine");
    assertRejected("--step-size-up", "--schedule", "cyclic", "--max-lr", "1",
        "--step-size-up", "0");
    assertRejected("--gamma", "--schedule", "cyclic", "--max-lr", "1", "--cyclic-mode",
        "exp_range", "--gamma", "1.5");
    assertRejected("--cyclic-mode does not apply to --schedule step", "--schedule", "step",
        "--step-size", "3", "--cyclic-mode", "triangular");
  }

  @Test
  void oneCycleTakesMaxLrOrElseLr() {
    // --max-lr 1, T = 10, pctStart 0.4, linear: 0.04 → 1 at step 3
    LearningRateSchedule s = parse("--schedule", "one-cycle", "--max-lr", "1", "--total-steps",
        "10", "--pct-start", "0.4", "--anneal-strategy", "linear").build(0.1);
    assertEquals(0.04, s.rate(0), 1e-17);
    assertEquals(0.36, s.rate(1), 1e-15); // 0.96·1/3 + 0.04
    assertEquals(1.0, s.rate(3), 0.0);
    // without --max-lr, --lr is the peak: 0.5/25 at step 0
    LearningRateSchedule fromLr = parse("--schedule", "one-cycle", "--total-steps", "100")
        .build(0.5);
    assertEquals(0.02, fromLr.rate(0), 1e-15); // cos form: 0.5 − 0.48, rounded
    assertEquals(0.5, fromLr.rate(29), 0.0);
    assertEquals(new OneCycleSchedule(0.5, 100).toString(), fromLr.toString());
    LearningRateSchedule three = parse("--schedule", "one-cycle", "--max-lr", "1",
        "--total-steps", "10", "--three-phase", "--div-factor", "10", "--final-div-factor", "2")
        .build(0.1);
    // The cos form end + (start − end)/2·(cos(π·p) + 1) rounds at the scale of --max-lr 1.
    assertEquals(0.1, three.rate(0), 1e-15); // 1/10
    assertEquals(0.1, three.rate(4), 1e-15); // e_2 = 2·0.3·10 − 2 = 4: back at 1/10
    assertEquals(0.05, three.rate(9), 1e-15); // 0.1/2
    assertTrue(parse("--schedule", "one-cycle", "--total-steps", "10", "--three-phase", "false")
        .build(1).toString().contains("threePhase=false"));
  }

  @Test
  void oneCycleOptionsAreChecked() {
    assertRejected("--total-steps is required", "--schedule", "one-cycle");
    assertRejected("--pct-start", "--schedule", "one-cycle", "--total-steps", "10",
        "--pct-start", "1.5");
    assertRejected("--pct-start", "--schedule", "one-cycle", "--total-steps", "10",
        "--pct-start", "0.1");
    assertRejected("--anneal-strategy 'cosine'", "--schedule", "one-cycle", "--total-steps",
        "10", "--anneal-strategy", "cosine");
    assertRejected("--div-factor", "--schedule", "one-cycle", "--total-steps", "10",
        "--div-factor", "0");
    assertRejected("--final-div-factor", "--schedule", "one-cycle", "--total-steps", "10",
        "--final-div-factor", "-1");
    assertRejected("--three-phase does not apply to --schedule polynomial", "--schedule",
        "polynomial", "--total-steps", "10", "--three-phase");
  }

  @Test
  void plateauTakesEveryOption() {
    LearningRateSchedule s = parse("--schedule", "plateau", "--plateau-mode", "max", "--factor",
        "0.5", "--plateau-patience", "1", "--threshold", "0.1", "--threshold-mode", "abs",
        "--cooldown", "2", "--min-lr", "0.01", "--plateau-interval", "3").build(0.1);
    assertEquals(new ReduceLrOnPlateau(0.1, ReduceLrOnPlateau.Mode.MAX, 0.5, 1, 0.1,
        ReduceLrOnPlateau.ThresholdMode.ABS, 2, 0.01, ReduceLrOnPlateau.EPS, 3).toString(),
        s.toString());
    assertEquals(new ReduceLrOnPlateau(0.1).toString(),
        parse("--schedule", "plateau").build(0.1).toString());
    // The trainer's protocol: rate, then observe; accuracy 0.5 twice with patience 1.
    LearningRateSchedule p = parse("--schedule", "plateau", "--plateau-mode", "max",
        "--plateau-patience", "0", "--factor", "0.5").build(0.1);
    p.observe(0, 0.5);
    p.observe(1, 0.5);
    assertEquals(0.05, p.rate(2), 0.0);
  }

  @Test
  void plateauOptionsAreChecked() {
    assertRejected("--factor", "--schedule", "plateau", "--factor", "1");
    assertRejected("--plateau-patience", "--schedule", "plateau", "--plateau-patience", "-1");
    assertRejected("--threshold", "--schedule", "plateau", "--threshold", "-0.1");
    assertRejected("--cooldown", "--schedule", "plateau", "--cooldown", "-1");
    assertRejected("--min-lr", "--schedule", "plateau", "--min-lr", "0.5"); // above --lr 0.1
    assertRejected("--plateau-interval", "--schedule", "plateau", "--plateau-interval", "0");
    assertRejected("--plateau-mode 'down'", "--schedule", "plateau", "--plateau-mode", "down");
    assertRejected("--threshold-mode 'relative'", "--schedule", "plateau", "--threshold-mode",
        "relative");
    assertRejected("--factor does not apply to --schedule cosine", "--schedule", "cosine",
        "--t-max", "10", "--factor", "0.5");
  }

  @Test
  void warmupWrapsThePlateau() {
    LearningRateSchedule s = parse("--schedule", "plateau", "--warmup-steps", "4").build(0.1);
    assertTrue(s instanceof LinearWarmup, s.toString());
    assertEquals(0.025, s.rate(0), 1e-17);
    assertTrue(((LinearWarmup.State) s.state()).inner() instanceof ReduceLrOnPlateau.State,
        s.state().toString());
    assertRejected("--warmup-steps", "--schedule", "plateau", "--warmup-steps", "-1");
  }

  @Test
  void linearWithoutTauIsOneHundredEpochs() {
    LearningRateSchedule s = parse("--schedule", "linear").build(1.0);
    assertEquals("LinearDecay(lr0=1.0, tau=100 epochs)", s.toString());
    assertEquals(0.505, s.resolve(4).rate(200), 1e-15); // τ = 400: halfway
    assertEquals(0.505, parse("--schedule", "linear", "--tau", "10").build(1.0).rate(5), 1e-15);
  }

  @Test
  void chainRunsStagesForTheirLengths() {
    // constant 0.1 for 3 steps, then cosine from 1 over 4 steps for 4 steps, then plateau
    LearningRateSchedule s = parse("--schedule-chain",
        "constant@3, cosine(t-max=4, eta-min=0, lr=1)@4, plateau(patience=0, mode=min, "
            + "factor=0.5, threshold-mode=abs, threshold=0)").build(0.1);
    assertTrue(s instanceof SequentialSchedule, s.toString());
    assertEquals(0.1, s.rate(2), 0.0);
    assertEquals(1.0, s.rate(3), 0.0);   // cosine's step 0
    assertEquals(0.5, s.rate(5), 1e-15); // cosine's step 2: (1 + cos(π/2))/2
    assertEquals(0.1, s.rate(7), 0.0);   // the plateau starts at --lr
    s.observe(7, 3.0);
    s.observe(8, 3.0);
    assertEquals(0.05, s.rate(9), 0.0);
    List<ScheduleState> stages = ((SequentialSchedule.State) s.state()).stages();
    assertEquals(List.of(ScheduleState.NONE, ScheduleState.NONE), stages.subList(0, 2));
    assertEquals(0.05, ((ReduceLrOnPlateau.State) stages.get(2)).lr(), 0.0);
  }

  @Test
  void chainStagesTakeListsFullNamesAndTheirOwnWarmup() {
    LearningRateSchedule s = parse("--schedule-chain",
        "multistep(milestones=1,2, gamma=0.5)@4,"
            + "cyclic(max-lr=0.5, step-size-up=2, cyclic-mode=exp_range, gamma=0.5)@8,"
            + "plateau(plateau-patience=3, warmup-steps=2)").build(0.1);
    assertEquals(0.1, s.rate(0), 0.0);
    assertEquals(0.05, s.rate(1), 1e-17);  // milestone 1
    assertEquals(0.025, s.rate(3), 1e-17); // milestone 2
    assertEquals(0.2, s.rate(5), 1e-15);   // cyclic's step 1: 0.1 + 0.4·0.5·0.5
    assertEquals(0.05, s.rate(12), 1e-17); // the plateau's warmup: 0.1·1/2
    assertEquals(0.1, s.rate(14), 0.0);
    LearningRateSchedule warm = parse("--schedule-chain", "constant@2, linear(tau=4)",
        "--warmup-steps", "2").build(1.0);
    assertEquals(1.0, warm.rate(3), 0.0);  // chain step 1: still constant
    assertEquals(1.0, warm.rate(4), 0.0);  // linear's step 0
    assertEquals(0.505, warm.rate(6), 1e-15); // linear's step 2 of 4
  }

  @Test
  void chainErrorsNameTheBadPart() {
    assertRejected("give --schedule or --schedule-chain, not both",
        "--schedule", "cosine", "--schedule-chain", "constant@2,cosine(t-max=3)");
    assertRejected("--t-max does not apply with --schedule-chain",
        "--t-max", "3", "--schedule-chain", "constant@2,cosine");
    assertRejected("stage 2 'cosine': --schedule cosine: --t-max is required",
        "--schedule-chain", "constant@2,cosine");
    assertRejected("stage 1 'constant': @STEPS", "--schedule-chain", "constant, cosine(t-max=2)");
    assertRejected("stage 2 'linear(tau=5)@5': the last stage runs to the end",
        "--schedule-chain", "constant@2, linear(tau=5)@5");
    assertRejected("stage 1 'constant@0'", "--schedule-chain", "constant@0, linear(tau=5)");
    assertRejected("@x is not a whole number", "--schedule-chain", "constant@x, linear(tau=5)");
    assertRejected("stage 2 'warp(a=1)': 'warp' is not a schedule", "--schedule-chain",
        "constant@1, warp(a=1)");
    assertRejected("'gamma' is not a parameter of cosine", "--schedule-chain",
        "constant@1, cosine(t-max=3, gamma=0.5)");
    assertRejected("'t-max' is not key=value", "--schedule-chain", "cosine(t-max)");
    assertRejected("a '(' is not closed", "--schedule-chain", "cosine(t-max=3");
    assertRejected("closes nothing", "--schedule-chain", "cosine)t-max=3(");
    assertRejected("stage 2 is empty", "--schedule-chain", "constant@1,,cosine(t-max=3)");
    assertRejected("stage 1 'plateau(factor=2)': --schedule plateau: --factor",
        "--schedule-chain", "plateau(factor=2)");
    assertRejected("stage 1 'cosine(t-max=two)'", "--schedule-chain", "cosine(t-max=two)");
    assertRejected("lr=fast is not a number", "--schedule-chain", "constant(lr=fast)");
    assertRejected("stage 1 'cosine(t-max=3, t-max=4)'", "--schedule-chain",
        "cosine(t-max=3, t-max=4)");
    assertRejected("expected NAME", "--schedule-chain", "cosine t-max=3");
  }
}
