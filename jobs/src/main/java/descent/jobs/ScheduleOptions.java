package descent.jobs;

import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.CosineWarmRestarts;
import descent.driver.schedule.ExponentialDecay;
import descent.driver.schedule.InverseTimeDecay;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearDecay;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.MultiStepDecay;
import descent.driver.schedule.PolynomialDecay;
import descent.driver.schedule.StepDecay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The {@code --schedule} option and its parameters, turned into a
 * {@link LearningRateSchedule} that starts from {@code --lr}. A parameter the chosen schedule
 * does not take, or a required one left out, is an error.
 */
public final class ScheduleOptions {
  @Option(names = "--schedule", defaultValue = "constant",
      description = "constant, step, multistep, exponential, inverse-time, polynomial, linear,"
          + " cosine or cosine-restarts (default: ${DEFAULT-VALUE})")
  String schedule;

  @Option(names = "--step-size", description = "step: steps between decays")
  Long stepSize;

  @Option(names = "--gamma", description = "step, multistep, exponential: decay factor")
  Double gamma;

  @Option(names = "--milestones", split = ",", description = "multistep: steps where the rate decays")
  long[] milestones;

  @Option(names = "--decay", description = "inverse-time: lr0/(1+decay·t)")
  Double decay;

  @Option(names = "--total-steps", description = "polynomial: steps to reach --end-lr")
  Long totalSteps;

  @Option(names = "--power", description = "polynomial: exponent (default 1)")
  Double power;

  @Option(names = "--end-lr", description = "polynomial: final rate (default 0)")
  Double endLr;

  @Option(names = "--tau", description = "linear: steps from lr to lr/100")
  Long tau;

  @Option(names = "--t-max", description = "cosine: steps of the half cosine")
  Long tMax;

  @Option(names = "--t0", description = "cosine-restarts: steps of the first cycle")
  Long t0;

  @Option(names = "--t-mult", description = "cosine-restarts: cycle growth factor (default 1)")
  Long tMult;

  @Option(names = "--eta-min", description = "cosine, cosine-restarts: lowest rate (default 0)")
  Double etaMin;

  @Option(names = "--warmup-steps", description = "linear warmup before the schedule (default 0)")
  Long warmupSteps;

  private static final Map<String, Set<String>> PARAMETERS = new LinkedHashMap<>();

  static {
    PARAMETERS.put("constant", Set.of());
    PARAMETERS.put("step", Set.of("--step-size", "--gamma"));
    PARAMETERS.put("multistep", Set.of("--milestones", "--gamma"));
    PARAMETERS.put("exponential", Set.of("--gamma"));
    PARAMETERS.put("inverse-time", Set.of("--decay"));
    PARAMETERS.put("polynomial", Set.of("--total-steps", "--power", "--end-lr"));
    PARAMETERS.put("linear", Set.of("--tau"));
    PARAMETERS.put("cosine", Set.of("--t-max", "--eta-min"));
    PARAMETERS.put("cosine-restarts", Set.of("--t0", "--t-mult", "--eta-min"));
  }

  /** The schedule starting at {@code lr0}; throws listing every problem with the options. */
  LearningRateSchedule build(double lr0) {
    Set<String> allowed = PARAMETERS.get(schedule);
    if (allowed == null) {
      throw new IllegalArgumentException("--schedule '" + schedule + "' is not available; use one of "
          + String.join(", ", PARAMETERS.keySet()));
    }
    List<String> problems = new ArrayList<>();
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("--step-size", stepSize);
    given.put("--gamma", gamma);
    given.put("--milestones", milestones);
    given.put("--decay", decay);
    given.put("--total-steps", totalSteps);
    given.put("--power", power);
    given.put("--end-lr", endLr);
    given.put("--tau", tau);
    given.put("--t-max", tMax);
    given.put("--t0", t0);
    given.put("--t-mult", tMult);
    given.put("--eta-min", etaMin);
    given.forEach((option, value) -> {
      if (value != null && !allowed.contains(option)) {
        problems.add(option + " does not apply to --schedule " + schedule);
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    LearningRateSchedule s;
    try {
      s = switch (schedule) {
        case "constant" -> new ConstantSchedule(lr0);
        case "step" -> new StepDecay(lr0, required(stepSize, "--step-size"),
            gamma != null ? gamma : StepDecay.GAMMA);
        case "multistep" -> new MultiStepDecay(lr0, required(milestones, "--milestones"),
            gamma != null ? gamma : MultiStepDecay.GAMMA);
        case "exponential" -> new ExponentialDecay(lr0, required(gamma, "--gamma"));
        case "inverse-time" -> new InverseTimeDecay(lr0, required(decay, "--decay"));
        case "polynomial" -> new PolynomialDecay(lr0, required(totalSteps, "--total-steps"),
            power != null ? power : PolynomialDecay.POWER,
            endLr != null ? endLr : PolynomialDecay.END_LR);
        case "linear" -> new LinearDecay(lr0, required(tau, "--tau"));
        case "cosine" -> new CosineAnnealing(lr0, required(tMax, "--t-max"),
            etaMin != null ? etaMin : CosineAnnealing.ETA_MIN);
        case "cosine-restarts" -> new CosineWarmRestarts(lr0, required(t0, "--t0"),
            tMult != null ? tMult : CosineWarmRestarts.T_MULT,
            etaMin != null ? etaMin : CosineWarmRestarts.ETA_MIN);
        default -> throw new IllegalStateException(schedule);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--schedule " + schedule + ": " + e.getMessage());
    }
    return warmupSteps != null ? new LinearWarmup(s, warmupSteps) : s;
  }

  private <T> T required(T value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }
}
