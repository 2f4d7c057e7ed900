package descent.driver.ml;

import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.ExponentialDecay;
import descent.driver.schedule.InverseTimeDecay;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearDecay;
import descent.driver.schedule.StepDecay;

/**
 * The {@code schedule} param's small language: {@code constant}, {@code cosine} (annealed to 0
 * over {@code maxIter} steps), {@code linear} (to 0 over {@code maxIter} steps),
 * {@code exponential:GAMMA}, {@code step:STEPS:GAMMA} and {@code inverse-time:DECAY}, each
 * starting at {@code learningRate}. The CLI's {@code --schedule} options cover the rest.
 */
final class ScheduleSpec {
  static final String FORMS = "constant, cosine, linear, exponential:GAMMA, step:STEPS:GAMMA or"
      + " inverse-time:DECAY";

  private ScheduleSpec() {}

  /** The schedule of {@code spec} from {@code lr0} over {@code steps} steps. */
  static LearningRateSchedule parse(String spec, double lr0, long steps) {
    String[] parts = spec.trim().split(":", -1);
    try {
      return switch (parts[0]) {
        case "constant" -> arity(parts, 1, new ConstantSchedule(lr0));
        case "cosine" -> arity(parts, 1, new CosineAnnealing(lr0, steps));
        case "linear" -> arity(parts, 1, new LinearDecay(lr0, steps));
        case "exponential" -> parts.length == 2
            ? new ExponentialDecay(lr0, Double.parseDouble(parts[1])) : bad(spec);
        case "step" -> parts.length == 3
            ? new StepDecay(lr0, Long.parseLong(parts[1]), Double.parseDouble(parts[2]))
            : bad(spec);
        case "inverse-time" -> parts.length == 2
            ? new InverseTimeDecay(lr0, Double.parseDouble(parts[1])) : bad(spec);
        default -> bad(spec);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("schedule '" + spec + "': " + e.getMessage()
          + " is not a number; use " + FORMS);
    }
  }

  /** Whether {@code spec} parses (checked when the param is set, before any job). */
  static boolean isValid(String spec) {
    try {
      parse(spec, 1.0, 1);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static LearningRateSchedule arity(String[] parts, int n, LearningRateSchedule s) {
    if (parts.length != n) {
      throw new IllegalArgumentException("schedule '" + String.join(":", parts)
          + "' takes no arguments; use " + FORMS);
    }
    return s;
  }

  private static LearningRateSchedule bad(String spec) {
    throw new IllegalArgumentException("schedule '" + spec + "' is not one of " + FORMS);
  }
}
