package descent.jobs;

import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.CosineAnnealing;
import descent.driver.schedule.CosineWarmRestarts;
import descent.driver.schedule.CyclicSchedule;
import descent.driver.schedule.ExponentialDecay;
import descent.driver.schedule.InverseTimeDecay;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.LinearDecay;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.MultiStepDecay;
import descent.driver.schedule.OneCycleSchedule;
import descent.driver.schedule.PolynomialDecay;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.SequentialSchedule;
import descent.driver.schedule.StepDecay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --schedule} option and its parameters, or a {@code --schedule-chain} of schedules,
 * turned into a {@link LearningRateSchedule} that starts from {@code --lr}. A parameter the
 * chosen schedule does not take, or a required one left out, is an error that names the option.
 *
 * <p>Chain syntax: {@code STAGE@STEPS, STAGE@STEPS, ..., STAGE}, where a stage is
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

  @Option(names = "--power", description = "polynomial: exponent (default 1)")
  Double power;

  @Option(names = "--end-lr", description = "polynomial: final rate (default 0)")
  Double endLr;

  @Option(names = "--tau", description = "linear: steps from lr to lr/100 (default 100 epochs)")
  Long tau;

  @Option(names = "--t-max", description = "cosine: steps of the half cosine")
  Long tMax;

  @Option(names = "--t0", description = "cosine-restarts: steps of the first cycle")
  Long t0;

  @Option(names = "--t-mult", description = "cosine-restarts: cycle growth factor (default 1)")
  Long tMult;

  @Option(names = "--eta-min", description = "cosine, cosine-restarts: lowest rate (default 0)")
  Double etaMin;

  @Option(names = "--max-lr",
      description = "cyclic: upper rate (--lr is the lower); one-cycle: peak rate (default --lr)")
  Double maxLr;

  @Option(names = "--step-size-up", description = "cyclic: steps of the rising half (default 2000)")
  Long stepSizeUp;

  @Option(names = "--step-size-down",
      description = "cyclic: steps of the falling half (default --step-size-up)")
  Long stepSizeDown;

  @Option(names = "--cyclic-mode",
      description = "cyclic: triangular, triangular2 or exp_range (default triangular)")
  String cyclicMode;

  @Option(names = "--pct-start",
      description = "one-cycle: fraction of the steps rising (default 0.3)")
  Double pctStart;

  @Option(names = "--anneal-strategy", description = "one-cycle: cos or linear (default cos)")
  String annealStrategy;

  @Option(names = "--div-factor",
      description = "one-cycle: initial rate = max-lr/div-factor (default 25)")
  Double divFactor;

  @Option(names = "--final-div-factor",
      description = "one-cycle: final rate = initial rate/final-div-factor (default 1e4)")
  Double finalDivFactor;

  @Option(names = "--three-phase", arity = "0..1",
      description = "one-cycle: fall back to the initial rate before the final decay")
  Boolean threePhase;

  @Option(names = "--plateau-mode", description = "plateau: min (a loss) or max (default min)")
  String plateauMode;

  @Option(names = "--factor", description = "plateau: multiplier of each reduction (default 0.1)")
  Double factor;

  @Option(names = "--plateau-patience",
      description = "plateau: observations without improvement before a reduction (default 10)")
  Long patience;

  @Option(names = "--threshold",
      description = "plateau: least change that counts as improvement (default 1e-4)")
  Double threshold;

  @Option(names = "--threshold-mode", description = "plateau: rel or abs (default rel)")
  String thresholdMode;

  @Option(names = "--cooldown",
      description = "plateau: observations ignored after a reduction (default 0)")
  Long cooldown;

  @Option(names = "--min-lr", description = "plateau: lowest rate (default 0)")
  Double minLr;

  @Option(names = "--plateau-interval",
      description = "plateau: steps whose mean loss is one observation (default 1)")
  Long plateauInterval;

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
    PARAMETERS.put("cyclic", Set.of("--max-lr", "--step-size-up", "--step-size-down",
        "--cyclic-mode", "--gamma"));
    PARAMETERS.put("one-cycle", Set.of("--max-lr", "--total-steps", "--pct-start",
        "--anneal-strategy", "--div-factor", "--final-div-factor", "--three-phase"));
    PARAMETERS.put("plateau", Set.of("--plateau-mode", "--factor", "--plateau-patience",
        "--threshold", "--threshold-mode", "--cooldown", "--min-lr", "--plateau-interval"));
  }

  /** The option behind each constructor parameter, to name it in an error. */
  private static final Map<String, String> OPTION_OF = Map.ofEntries(
      Map.entry("lr0", "--lr"), Map.entry("baseLr", "--lr"),
      Map.entry("stepSize", "--step-size"), Map.entry("gamma", "--gamma"),
      Map.entry("milestones", "--milestones"), Map.entry("decay", "--decay"),
      Map.entry("totalSteps", "--total-steps"), Map.entry("power", "--power"),
      Map.entry("endLr", "--end-lr"), Map.entry("tau", "--tau"), Map.entry("tMax", "--t-max"),
      Map.entry("t0", "--t0"), Map.entry("tMult", "--t-mult"), Map.entry("etaMin", "--eta-min"),
      Map.entry("maxLr", "--max-lr"), Map.entry("stepSizeUp", "--step-size-up"),
      Map.entry("stepSizeDown", "--step-size-down"), Map.entry("pctStart", "--pct-start"),
      Map.entry("divFactor", "--div-factor"), Map.entry("finalDivFactor", "--final-div-factor"),
      Map.entry("factor", "--factor"), Map.entry("patience", "--plateau-patience"),
      Map.entry("threshold", "--threshold"), Map.entry("cooldown", "--cooldown"),
      Map.entry("minLr", "--min-lr"), Map.entry("interval", "--plateau-interval"),
      Map.entry("warmupSteps", "--warmup-steps"));

  private Map<String, Object> given() {
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
    given.put("--max-lr", maxLr);
    given.put("--step-size-up", stepSizeUp);
    given.put("--step-size-down", stepSizeDown);
    given.put("--cyclic-mode", cyclicMode);
    given.put("--pct-start", pctStart);
    given.put("--anneal-strategy", annealStrategy);
    given.put("--div-factor", divFactor);
    given.put("--final-div-factor", finalDivFactor);
    given.put("--three-phase", threePhase);
    given.put("--plateau-mode", plateauMode);
    given.put("--factor", factor);
    given.put("--plateau-patience", patience);
    given.put("--threshold", threshold);
    given.put("--threshold-mode", thresholdMode);
    given.put("--cooldown", cooldown);
    given.put("--min-lr", minLr);
    given.put("--plateau-interval", plateauInterval);
    return given;
  }

  /** The schedule starting at {@code lr0}; throws listing every problem with the options. */
  LearningRateSchedule build(double lr0) {
    LearningRateSchedule s;
    if (scheduleChain != null) {
      List<String> problems = new ArrayList<>();
      if (schedule != null) {
        problems.add("give --schedule or --schedule-chain, not both");
      }
      given().forEach((option, value) -> {
        if (value != null) {
          problems.add(option + " does not apply with --schedule-chain; give it inside its stage,"
              + " as " + option.substring(2) + "=VALUE");
        }
      });
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      s = chain(scheduleChain, lr0);
    } else {
      s = single(lr0);
    }
    if (warmupSteps == null) {
      return s;
    }
    try {
      return new LinearWarmup(s, warmupSteps);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--warmup-steps: " + e.getMessage());
    }
  }

  private LearningRateSchedule single(double lr0) {
    String name = schedule != null ? schedule : "constant";
    Set<String> allowed = PARAMETERS.get(name);
    if (allowed == null) {
      throw new IllegalArgumentException("--schedule '" + name + "' is not available; use one of "
          + String.join(", ", PARAMETERS.keySet()));
    }
    List<String> problems = new ArrayList<>();
    given().forEach((option, value) -> {
      if (value != null && !allowed.contains(option)) {
        problems.add(option + " does not apply to --schedule " + name);
      }
    });
    CyclicSchedule.Mode mode = cyclicMode == null || !"cyclic".equals(name) ? CyclicSchedule.MODE
        : choice("--cyclic-mode", cyclicMode, CyclicSchedule.Mode::parse);
    if ("cyclic".equals(name) && gamma != null && mode != CyclicSchedule.Mode.EXP_RANGE) {
      problems.add("--gamma applies to --schedule cyclic only with --cyclic-mode exp_range");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    try {
      return switch (name) {
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
        case "linear" -> tau != null ? new LinearDecay(lr0, tau) : new LinearDecay(lr0);
        case "cosine" -> new CosineAnnealing(lr0, required(tMax, "--t-max"),
            etaMin != null ? etaMin : CosineAnnealing.ETA_MIN);
        case "cosine-restarts" -> new CosineWarmRestarts(lr0, required(t0, "--t0"),
            tMult != null ? tMult : CosineWarmRestarts.T_MULT,
            etaMin != null ? etaMin : CosineWarmRestarts.ETA_MIN);
        case "cyclic" -> {
          long up = stepSizeUp != null ? stepSizeUp : CyclicSchedule.STEP_SIZE_UP;
          yield new CyclicSchedule(lr0, required(maxLr, "--max-lr"), up,
              stepSizeDown != null ? stepSizeDown : up, mode,
              gamma != null ? gamma : CyclicSchedule.GAMMA);
        }
        // --max-lr if given, else --lr, is the peak; the cycle starts at it / --div-factor.
        case "one-cycle" -> new OneCycleSchedule(maxLr != null ? maxLr : lr0,
            required(totalSteps, "--total-steps"),
            pctStart != null ? pctStart : OneCycleSchedule.PCT_START,
            annealStrategy != null ? choice("--anneal-strategy", annealStrategy,
                OneCycleSchedule.AnnealStrategy::parse) : OneCycleSchedule.ANNEAL_STRATEGY,
            divFactor != null ? divFactor : OneCycleSchedule.DIV_FACTOR,
            finalDivFactor != null ? finalDivFactor : OneCycleSchedule.FINAL_DIV_FACTOR,
            threePhase != null ? threePhase : OneCycleSchedule.THREE_PHASE);
        case "plateau" -> new ReduceLrOnPlateau(lr0,
            plateauMode != null
                ? choice("--plateau-mode", plateauMode, ReduceLrOnPlateau.Mode::parse)
                : ReduceLrOnPlateau.MODE,
            factor != null ? factor : ReduceLrOnPlateau.FACTOR,
            patience != null ? patience : ReduceLrOnPlateau.PATIENCE,
            threshold != null ? threshold : ReduceLrOnPlateau.THRESHOLD,
            thresholdMode != null
                ? choice("--threshold-mode", thresholdMode, ReduceLrOnPlateau.ThresholdMode::parse)
                : ReduceLrOnPlateau.THRESHOLD_MODE,
            cooldown != null ? cooldown : ReduceLrOnPlateau.COOLDOWN,
            minLr != null ? minLr : ReduceLrOnPlateau.MIN_LR,
            ReduceLrOnPlateau.EPS,
            plateauInterval != null ? plateauInterval : ReduceLrOnPlateau.INTERVAL);
        default -> throw new IllegalStateException(name);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--schedule " + name + ": " + named(e.getMessage()));
    }
  }

  /** Prefixes a constructor's message with the option behind the parameter it names first. */
  private static String named(String message) {
    int end = 0;
    while (end < message.length() && Character.isLetterOrDigit(message.charAt(end))) {
      end++;
    }
    String option = OPTION_OF.get(message.substring(0, end));
    return option == null ? message : option + ": " + message;
  }

  private static <T> T choice(String option, String value, Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + e.getMessage().replaceFirst("^\\w+ ", ""));
    }
  }

  private static <T> T required(T value, String option) {
    if (value == null) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value;
  }

  private static final Pattern STAGE = Pattern.compile(
      "\\s*([A-Za-z0-9_-]+)\\s*(?:\\(([^()]*)\\))?\\s*(?:@\\s*([^\\s()]*))?\\s*");

  /** Parses and builds {@code --schedule-chain}; see the class comment for the syntax. */
  static LearningRateSchedule chain(String text, double lr0) {
    List<String> parts = splitStages(text);
    List<LearningRateSchedule> stages = new ArrayList<>();
    long[] milestones = new long[parts.size() - 1];
    long start = 0;
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i).strip();
      String where = "--schedule-chain stage " + (i + 1) + " '" + part + "': ";
      Matcher m = STAGE.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException(where + "expected NAME or NAME(key=value, ...), "
            + "followed by @STEPS unless it is the last stage");
      }
      String name = m.group(1);
      boolean last = i == parts.size() - 1;
      try {
        if (last && m.group(3) != null) {
          throw new IllegalArgumentException("the last stage runs to the end of training; "
              + "drop its @" + m.group(3));
        }
        if (!last && m.group(3) == null) {
          throw new IllegalArgumentException("@STEPS, the stage's length in steps, is required "
              + "on every stage but the last");
        }
        if (!last) {
          long length = parseLength(m.group(3));
          start = Math.addExact(start, length);
          milestones[i] = start;
        }
        stages.add(stage(name, m.group(2), lr0));
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    return stages.size() == 1 ? stages.get(0) : new SequentialSchedule(stages, milestones);
  }

  private static long parseLength(String text) {
    long length;
    try {
      length = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("@" + text + " is not a whole number of steps");
    }
    if (length < 1) {
      throw new IllegalArgumentException("@" + text + ": a stage lasts at least 1 step");
    }
    return length;
  }

  /** Splits at the commas outside parentheses. */
  private static List<String> splitStages(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        throw new IllegalArgumentException("--schedule-chain '" + text + "': ')' at character "
            + (i + 1) + " closes nothing");
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException("--schedule-chain '" + text + "': a '(' is not closed");
    }
    parts.add(text.substring(from));
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).isBlank()) {
        throw new IllegalArgumentException("--schedule-chain '" + text + "': stage " + (i + 1)
            + " is empty");
      }
    }
    return parts;
  }

  /** One stage: its key=value pairs become the options of a fresh ScheduleOptions. */
  private static LearningRateSchedule stage(String name, String params, double lr0) {
    Set<String> allowed = PARAMETERS.get(name);
    if (allowed == null) {
      throw new IllegalArgumentException("'" + name + "' is not a schedule; use one of "
          + String.join(", ", PARAMETERS.keySet()));
    }
    List<String> args = new ArrayList<>();
    args.add("--schedule=" + name);
    double stageLr = lr0;
    for (String[] kv : pairs(params)) {
      String key = kv[0];
      String value = kv[1];
      if (key.equals("lr")) {
        try {
          stageLr = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("lr=" + value + " is not a number");
        }
        continue;
      }
      String option = "--" + key;
      if (!allowed.contains(option) && allowed.contains("--" + name + "-" + key)) {
        option = "--" + name + "-" + key;
      }
      if (!allowed.contains(option) && !option.equals("--warmup-steps")) {
        Set<String> keys = new TreeSet<>(List.of("lr", "warmup-steps"));
        for (String o : allowed) {
          keys.add(o.substring(2));
        }
        throw new IllegalArgumentException("'" + key + "' is not a parameter of " + name
            + "; it takes " + String.join(", ", keys));
      }
      args.add(option + "=" + value);
    }
    ScheduleOptions options = new ScheduleOptions();
    try {
      new CommandLine(options).parseArgs(args.toArray(new String[0]));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return options.build(stageLr);
  }

  /** key=value pairs; a piece without '=' continues the previous value (a list). */
  private static List<String[]> pairs(String params) {
    List<String[]> pairs = new ArrayList<>();
    if (params == null || params.isBlank()) {
      return pairs;
    }
    for (String piece : params.split(",", -1)) {
      String p = piece.strip();
      int eq = p.indexOf('=');
      if (eq < 0) {
        if (pairs.isEmpty() || p.isEmpty()) {
          throw new IllegalArgumentException("'" + p + "' is not key=value");
        }
        String[] previous = pairs.get(pairs.size() - 1);
        previous[1] = previous[1] + "," + p;
        continue;
      }
      String key = p.substring(0, eq).strip();
      String value = p.substring(eq + 1).strip();
      if (key.isEmpty() || value.isEmpty()) {
        throw new IllegalArgumentException("'" + p + "' is not key=value");
      }
      pairs.add(new String[] {key, value});
    }
    return pairs;
  }
}
