package descent.jobs;

import descent.driver.ConfigProblem;
import descent.driver.InvalidConfigException;
import descent.driver.Param;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.CosineWarmRestarts;
import descent.driver.schedule.CyclicSchedule;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearDecay;
import descent.driver.schedule.OneCycleSchedule;
import descent.driver.schedule.PolynomialDecay;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.ScheduleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --schedule} option and its parameters, or a {@code --schedule-chain} of schedules,
 * as the driver's {@link ScheduleSpec}, which starts from {@code --lr}. A parameter the chosen
 * schedule does not take, or a required one left out, is an error that names the option.
 *
 * <p>Chain syntax (the grammar of {@link ScheduleSpec}, also the Spark ML {@code schedule} param): {@code STAGE@STEPS, STAGE@STEPS, ..., STAGE}, where a stage is
 * {@code NAME} or {@code NAME(key=value, ...)} with NAME a {@code --schedule} and each key one of
 * its options without the dashes ({@code cosine(t-max=900, eta-min=0.001)}); a plateau or cyclic
 * option may drop its prefix ({@code plateau(mode=max, patience=5)}), {@code lr=X} sets the
 * stage's initial rate (default {@code --lr}), and a list value continues after a comma
 * ({@code multistep(milestones=100,200, gamma=0.5)}). {@code @STEPS} is how many steps the stage
 * lasts; every stage but the last has one, and each stage counts its steps from its own start.
 * {@code --warmup-steps} wraps the whole chain, which then starts after the warmup.
 */
public final class ScheduleOptions {
  @Option(names = "--schedule",
      description = "constant, step, multistep, exponential, inverse-time, polynomial, linear,"
          + " cosine, cosine-restarts, cyclic, one-cycle or plateau (default: constant)")
  String schedule;

  @Option(names = "--schedule-chain", paramLabel = "STAGE@STEPS,...,STAGE",
      description = "schedules in sequence, e.g. 'linear(tau=1000)@1000, plateau(patience=5)';"
          + " each stage is NAME or NAME(key=value, ...) with the keys of its options, @STEPS is"
          + " its length; lr=X sets a stage's initial rate")
  String scheduleChain;

  @Option(names = "--step-size", description = "step: steps between decays")
  Long stepSize;

  @Option(names = "--gamma",
      description = "step, multistep, exponential: decay factor;"
          + " cyclic exp_range: per-step factor of the amplitude")
  Double gamma;

  @Option(names = "--milestones", split = ",", description = "multistep: steps where the rate decays")
  long[] milestones;

  @Option(names = "--decay", description = "inverse-time: lr0/(1+decay·t)")
  Double decay;

  @Option(names = "--total-steps",
      description = "polynomial: steps to reach --end-lr; one-cycle: steps in the cycle")
  Long totalSteps;

  @Option(names = "--power", description = "polynomial: exponent (default "
      + PolynomialDecay.POWER + ")")
  Double power;

  @Option(names = "--end-lr", description = "polynomial: final rate (default "
      + PolynomialDecay.END_LR + ")")
  Double endLr;

  @Option(names = "--tau", description = "linear: steps from lr to lr/100"
      + " (default " + LinearDecay.DEFAULT_TAU_EPOCHS + " epochs)")
  Long tau;

  @Option(names = "--t-max", description = "cosine: steps of the half cosine")
  Long tMax;

  @Option(names = "--t0", description = "cosine-restarts: steps of the first cycle")
  Long t0;

  @Option(names = "--t-mult", description = "cosine-restarts: cycle growth factor"
      + " (default " + CosineWarmRestarts.T_MULT + ")")
  Long tMult;

  @Option(names = "--eta-min", description = "cosine, cosine-restarts: lowest rate"
      + " (default " + CosineAnnealing.ETA_MIN + ")")
  Double etaMin;

  @Option(names = "--max-lr",
      description = "cyclic: upper rate (--lr is the lower); one-cycle: peak rate (default --lr)")
  Double maxLr;

  @Option(names = "--step-size-up", description = "cyclic: steps of the rising half"
      + " (default " + CyclicSchedule.STEP_SIZE_UP + ")")
  Long stepSizeUp;

  @Option(names = "--step-size-down",
      description = "cyclic: steps of the falling half (default --step-size-up)")
  Long stepSizeDown;

  @Option(names = "--cyclic-mode",
      description = "cyclic: triangular, triangular2 or exp_range (default triangular)")
  String cyclicMode;

  @Option(names = "--pct-start",
      description = "one-cycle: fraction of the steps rising (default "
          + OneCycleSchedule.PCT_START + ")")
  Double pctStart;

  @Option(names = "--anneal-strategy", description = "one-cycle: cos or linear (default cos)")
  String annealStrategy;

  @Option(names = "--div-factor",
      description = "one-cycle: initial rate = max-lr/div-factor (default "
          + OneCycleSchedule.DIV_FACTOR + ")")
  Double divFactor;

  @Option(names = "--final-div-factor",
      description = "one-cycle: final rate = initial rate/final-div-factor (default "
          + OneCycleSchedule.FINAL_DIV_FACTOR + ")")
  Double finalDivFactor;

  @Option(names = "--three-phase", arity = "0..1",
      description = "one-cycle: fall back to the initial rate before the final decay")
  Boolean threePhase;

  @Option(names = "--plateau-mode", description = "plateau: min (a loss) or max (default min)")
  String plateauMode;

  @Option(names = "--factor", description = "plateau: multiplier of each reduction"
      + " (default " + ReduceLrOnPlateau.FACTOR + ")")
  Double factor;

  @Option(names = "--plateau-patience",
      description = "plateau: observations without improvement before a reduction (default "
          + ReduceLrOnPlateau.PATIENCE + ")")
  Long patience;

  @Option(names = "--threshold",
      description = "plateau: least change that counts as improvement (default "
          + ReduceLrOnPlateau.THRESHOLD + ")")
  Double threshold;

  @Option(names = "--threshold-mode", description = "plateau: rel or abs (default rel)")
  String thresholdMode;

  @Option(names = "--cooldown",
      description = "plateau: observations ignored after a reduction (default "
          + ReduceLrOnPlateau.COOLDOWN + ")")
  Long cooldown;

  @Option(names = "--min-lr", description = "plateau: lowest rate (default "
      + ReduceLrOnPlateau.MIN_LR + ")")
  Double minLr;

  @Option(names = "--plateau-interval",
      description = "plateau: steps whose mean loss is one observation (default "
          + ReduceLrOnPlateau.INTERVAL + ")")
  Long plateauInterval;

  @Option(names = "--warmup-steps", description = "linear warmup before the schedule (default 0)")
  Long warmupSteps;

  /** The options given, by the parameter each sets (null: not given). */
  private Map<Param, Object> given() {
    Map<Param, Object> given = new LinkedHashMap<>();
    given.put(Param.STEP_SIZE, stepSize);
    given.put(Param.GAMMA, gamma);
    given.put(Param.MILESTONES, milestones);
    given.put(Param.DECAY, decay);
    given.put(Param.TOTAL_STEPS, totalSteps);
    given.put(Param.POWER, power);
    given.put(Param.END_LR, endLr);
    given.put(Param.TAU, tau);
    given.put(Param.T_MAX, tMax);
    given.put(Param.T0, t0);
    given.put(Param.T_MULT, tMult);
    given.put(Param.ETA_MIN, etaMin);
    given.put(Param.MAX_LR, maxLr);
    given.put(Param.STEP_SIZE_UP, stepSizeUp);
    given.put(Param.STEP_SIZE_DOWN, stepSizeDown);
    given.put(Param.CYCLIC_MODE, cyclicMode);
    given.put(Param.PCT_START, pctStart);
    given.put(Param.ANNEAL_STRATEGY, annealStrategy);
    given.put(Param.DIV_FACTOR, divFactor);
    given.put(Param.FINAL_DIV_FACTOR, finalDivFactor);
    given.put(Param.THREE_PHASE, threePhase);
    given.put(Param.PLATEAU_MODE, plateauMode);
    given.put(Param.FACTOR, factor);
    given.put(Param.PLATEAU_PATIENCE, patience);
    given.put(Param.THRESHOLD, threshold);
    given.put(Param.THRESHOLD_MODE, thresholdMode);
    given.put(Param.COOLDOWN, cooldown);
    given.put(Param.MIN_LR, minLr);
    given.put(Param.PLATEAU_INTERVAL, plateauInterval);
    return given;
  }

  /**
   * The schedule these options describe, in the driver's one language: {@code --schedule NAME}
   * with its options is a spec of one stage ({@code constant} when not given), and
   * {@code --schedule-chain} is parsed by {@link ScheduleSpec#parse}; {@code --warmup-steps}
   * wraps either. Problems found here throw an {@link InvalidConfigException}; those of the
   * values' ranges are found when the configuration is validated.
   */
  ScheduleSpec spec() {
    ScheduleSpec spec;
    if (scheduleChain != null) {
      List<ConfigProblem> problems = new ArrayList<>();
      if (schedule != null) {
        problems.add(ConfigProblem.of(Param.SCHEDULE_CHAIN, "give " + Param.SCHEDULE.ref()
            + " or " + Param.SCHEDULE_CHAIN.ref() + ", not both"));
      }
      given().forEach((option, value) -> {
        if (value != null) {
          problems.add(ConfigProblem.of(option, option.ref() + " does not apply with "
              + Param.SCHEDULE_CHAIN.ref() + "; give it inside its stage, as " + option.key()
              + "=VALUE"));
        }
      });
      InvalidConfigException.throwIfAny(problems);
      spec = ScheduleSpec.parse(scheduleChain);
    } else {
      spec = ScheduleSpec.single(schedule, given());
    }
    return spec.withWarmup(warmupSteps);
  }

  /** The schedule starting at {@code lr0}; throws listing the problems with the options. */
  LearningRateSchedule build(double lr0) {
    return spec().build(lr0);
  }
}
