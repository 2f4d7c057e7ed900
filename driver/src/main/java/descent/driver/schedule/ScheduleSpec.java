package descent.driver.schedule;

import descent.driver.ConfigProblem;
import descent.driver.InvalidConfigException;
import descent.driver.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A learning-rate schedule as the user wrote it, before the learning rate is known: the one
 * language of both front ends. {@link #build(double)} turns it into the
 * {@link LearningRateSchedule} that starts from the run's learning rate, so the configuration
 * stores the rate once and the trainer builds a fresh schedule for each run.
 *
 * <p>Grammar ({@link #parse}): {@code STAGE@STEPS, STAGE@STEPS, ..., STAGE}, where a stage is
 * {@code NAME} or {@code NAME(key=value, ...)}, NAME one of {@link #names()} and each key one of
 * its options ({@code cosine(t-max=900, eta-min=0.001)}); a plateau or cyclic option may drop its
 * prefix ({@code plateau(mode=max, patience=5)}), {@code lr=X} sets the stage's initial rate
 * (default: the run's learning rate), {@code warmup-steps=N} warms the stage up, and a list value
 * continues after a comma ({@code multistep(milestones=100,200, gamma=0.5)}). {@code @STEPS} is
 * how many steps the stage lasts; every stage but the last has one, and each stage counts its
 * steps from its own start. A single {@code NAME(...)} is a schedule of one stage.
 *
 * <p>The command line's {@code --schedule NAME --option value ...} is {@link #single}; its
 * {@code --schedule-chain} and the Spark ML {@code schedule} param are {@link #parse}d.
 * Problems are {@link InvalidConfigException}s against {@link Param#SCHEDULE} or
 * {@link Param#SCHEDULE_CHAIN} whose texts name each option as a {@link Param}.
 */
public final class ScheduleSpec {
  /** The schedules by name, each with the options it takes. */
  private static final Map<String, Set<Param>> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("constant", Set.of());
    OPTIONS.put("step", Set.of(Param.STEP_SIZE, Param.GAMMA));
    OPTIONS.put("multistep", Set.of(Param.MILESTONES, Param.GAMMA));
    OPTIONS.put("exponential", Set.of(Param.GAMMA));
    OPTIONS.put("inverse-time", Set.of(Param.DECAY));
    OPTIONS.put("polynomial", Set.of(Param.TOTAL_STEPS, Param.POWER, Param.END_LR));
    OPTIONS.put("linear", Set.of(Param.TAU));
    OPTIONS.put("cosine", Set.of(Param.T_MAX, Param.ETA_MIN));
    OPTIONS.put("cosine-restarts", Set.of(Param.T0, Param.T_MULT, Param.ETA_MIN));
    OPTIONS.put("cyclic", Set.of(Param.MAX_LR, Param.STEP_SIZE_UP, Param.STEP_SIZE_DOWN,
        Param.CYCLIC_MODE, Param.GAMMA));
    OPTIONS.put("one-cycle", Set.of(Param.MAX_LR, Param.TOTAL_STEPS, Param.PCT_START,
        Param.ANNEAL_STRATEGY, Param.DIV_FACTOR, Param.FINAL_DIV_FACTOR, Param.THREE_PHASE));
    OPTIONS.put("plateau", Set.of(Param.PLATEAU_MODE, Param.FACTOR, Param.PLATEAU_PATIENCE,
        Param.THRESHOLD, Param.THRESHOLD_MODE, Param.COOLDOWN, Param.MIN_LR,
        Param.PLATEAU_INTERVAL));
  }

  /** Options whose value is a whole number of steps or observations. */
  private static final Set<Param> WHOLE = Set.of(Param.STEP_SIZE, Param.TOTAL_STEPS, Param.TAU,
      Param.T_MAX, Param.T0, Param.T_MULT, Param.STEP_SIZE_UP, Param.STEP_SIZE_DOWN,
      Param.PLATEAU_PATIENCE, Param.COOLDOWN, Param.PLATEAU_INTERVAL, Param.WARMUP_STEPS);
  /** Options whose value is a word. */
  private static final Set<Param> WORDS = Set.of(Param.CYCLIC_MODE, Param.ANNEAL_STRATEGY,
      Param.PLATEAU_MODE, Param.THRESHOLD_MODE);

  /** The option behind each schedule constructor's parameter, to name it in an error. */
  private static final Map<String, Param> OPTION_OF = Map.ofEntries(
      Map.entry("lr0", Param.LEARNING_RATE), Map.entry("baseLr", Param.LEARNING_RATE),
      Map.entry("stepSize", Param.STEP_SIZE), Map.entry("gamma", Param.GAMMA),
      Map.entry("milestones", Param.MILESTONES), Map.entry("decay", Param.DECAY),
      Map.entry("totalSteps", Param.TOTAL_STEPS), Map.entry("power", Param.POWER),
      Map.entry("endLr", Param.END_LR), Map.entry("tau", Param.TAU),
      Map.entry("tMax", Param.T_MAX), Map.entry("t0", Param.T0), Map.entry("tMult", Param.T_MULT),
      Map.entry("etaMin", Param.ETA_MIN), Map.entry("maxLr", Param.MAX_LR),
      Map.entry("stepSizeUp", Param.STEP_SIZE_UP), Map.entry("stepSizeDown", Param.STEP_SIZE_DOWN),
      Map.entry("pctStart", Param.PCT_START), Map.entry("divFactor", Param.DIV_FACTOR),
      Map.entry("finalDivFactor", Param.FINAL_DIV_FACTOR), Map.entry("factor", Param.FACTOR),
      Map.entry("patience", Param.PLATEAU_PATIENCE), Map.entry("threshold", Param.THRESHOLD),
      Map.entry("cooldown", Param.COOLDOWN), Map.entry("minLr", Param.MIN_LR),
      Map.entry("interval", Param.PLATEAU_INTERVAL), Map.entry("warmupSteps", Param.WARMUP_STEPS));

  /**
   * One schedule of a spec: its name, its options (typed: Long, Double, long[], String or
   * Boolean), its own initial rate or null for the run's, and the text it was parsed from.
   */
  public record Stage(String name, Map<Param, Object> options, Double lr, String text) {
    public Stage {
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
  }

  private final List<Stage> stages;
  /** How long each stage but the last lasts. */
  private final long[] lengths;
  /** A warmup before the whole spec, or null. */
  private final Long warmupSteps;
  /** Parsed from the grammar: its errors name the stage. */
  private final boolean chain;
  /** A schedule given as an object, which carries its own rates; null for a written spec. */
  private final LearningRateSchedule fixed;

  private ScheduleSpec(List<Stage> stages, long[] lengths, Long warmupSteps, boolean chain,
      LearningRateSchedule fixed) {
    this.stages = List.copyOf(stages);
    this.lengths = lengths.clone();
    this.warmupSteps = warmupSteps;
    this.chain = chain;
    this.fixed = fixed;
  }

  /** The schedule names, in the order the command line lists them. */
  public static List<String> names() {
    return List.copyOf(OPTIONS.keySet());
  }

  /** The constant rate, the default schedule. */
  public static ScheduleSpec constant() {
    return single("constant", Map.of());
  }

  /**
   * A schedule given as an object for programmatic use (tests, benchmarks): it carries its own
   * rates, so the run's learning rate does not reach it. Prefer {@link #parse}.
   */
  public static ScheduleSpec of(LearningRateSchedule schedule) {
    return new ScheduleSpec(List.of(), new long[0], null, false, schedule);
  }

  /**
   * The command line's {@code --schedule NAME} with its options ({@code null} values are
   * unset). An option the schedule does not take is a problem of {@link #build}.
   */
  public static ScheduleSpec single(String name, Map<Param, ?> options) {
    String n = name != null ? name : "constant";
    if (!OPTIONS.containsKey(n)) {
      throw new InvalidConfigException(ConfigProblem.of(Param.SCHEDULE, Param.SCHEDULE.ref()
          + " '" + n + "' is not available; use one of " + String.join(", ", OPTIONS.keySet())));
    }
    Map<Param, Object> given = new LinkedHashMap<>();
    options.forEach((p, v) -> {
      if (v != null) {
        given.put(p, v);
      }
    });
    return new ScheduleSpec(List.of(new Stage(n, given, null, n)), new long[0], null, false,
        null);
  }

  /** This spec with a linear warmup of {@code steps} before it (null: none). */
  public ScheduleSpec withWarmup(Long steps) {
    return new ScheduleSpec(stages, lengths, steps, chain, fixed);
  }

  /**
   * This spec with the lengths it leaves out filled from the run's step budget: a
   * {@code cosine} without {@code t-max} anneals, and a {@code linear} without {@code tau}
   * decays, over its stage's length (the last stage: what remains of {@code budget}). The Spark
   * ML API's default, where {@code maxIter} is the budget.
   */
  public ScheduleSpec withDefaultLengths(long budget) {
    if (fixed != null) {
      return this;
    }
    List<Stage> filled = new ArrayList<>(stages.size());
    long used = warmupSteps != null ? Math.max(0, warmupSteps) : 0;
    for (int i = 0; i < stages.size(); i++) {
      Stage s = stages.get(i);
      long length = i < lengths.length ? lengths[i] : Math.max(1, budget - used);
      if (i < lengths.length) {
        used += lengths[i];
      }
      Param missing = s.name().equals("cosine") ? Param.T_MAX
          : s.name().equals("linear") ? Param.TAU : null;
      if (missing != null && !s.options().containsKey(missing)) {
        Map<Param, Object> o = new LinkedHashMap<>(s.options());
        o.put(missing, length);
        s = new Stage(s.name(), o, s.lr(), s.text());
      }
      filled.add(s);
    }
    return new ScheduleSpec(filled, lengths, warmupSteps, chain, null);
  }

  /** The stages, in order (none for a schedule given as an object). */
  public List<Stage> stages() {
    return stages;
  }

  /**
   * The schedule that starts from {@code learningRate}: a fresh object, its state at step 0.
   * Throws an {@link InvalidConfigException} naming the option at fault.
   */
  public LearningRateSchedule build(double learningRate) {
    if (fixed != null) {
      return fixed;
    }
    LearningRateSchedule s;
    try {
      if (!chain) {
        s = stage(stages.get(0), learningRate, true);
      } else {
        List<LearningRateSchedule> built = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
          Stage stage = stages.get(i);
          try {
            built.add(stage(stage, stage.lr() != null ? stage.lr() : learningRate, false));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(i, stage.text()) + e.getMessage(), e);
          }
        }
        long[] milestones = new long[lengths.length];
        long start = 0;
        for (int i = 0; i < lengths.length; i++) {
          start += lengths[i];
          milestones[i] = start;
        }
        s = built.size() == 1 ? built.get(0) : new SequentialSchedule(built, milestones);
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(ConfigProblem.of(
          chain ? Param.SCHEDULE_CHAIN : Param.SCHEDULE, e.getMessage()));
    }
    return warmedUp(s, warmupSteps, Param.WARMUP_STEPS);
  }

  private static LearningRateSchedule warmedUp(LearningRateSchedule s, Long steps, Param at) {
    if (steps == null) {
      return s;
    }
    try {
      return new LinearWarmup(s, steps);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(ConfigProblem.of(at,
          Param.WARMUP_STEPS.ref() + ": " + e.getMessage()));
    }
  }

  private static String where(int i, String text) {
    return Param.SCHEDULE_CHAIN.ref() + " stage " + (i + 1) + " '" + text + "': ";
  }

  /** One schedule; problems are thrown as IllegalArgumentExceptions with template texts. */
  private static LearningRateSchedule stage(Stage stage, double lr0, boolean single) {
    String name = stage.name();
    Map<Param, Object> o = stage.options();
    Set<Param> allowed = OPTIONS.get(name);
    List<String> problems = new ArrayList<>();
    if (single) {
      for (Param p : o.keySet()) {
        if (!allowed.contains(p) && p != Param.WARMUP_STEPS) {
          problems.add(p.ref() + " does not apply to " + Param.SCHEDULE.ref() + " " + name);
        }
      }
    }
    CyclicSchedule.Mode mode = !o.containsKey(Param.CYCLIC_MODE) || !"cyclic".equals(name)
        ? CyclicSchedule.MODE : choice(Param.CYCLIC_MODE, o, CyclicSchedule.Mode::parse);
    if ("cyclic".equals(name) && o.containsKey(Param.GAMMA)
        && mode != CyclicSchedule.Mode.EXP_RANGE) {
      problems.add(Param.GAMMA.ref() + " applies to " + Param.SCHEDULE.ref()
          + " cyclic only with " + Param.CYCLIC_MODE.ref() + " exp_range");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    LearningRateSchedule s;
    try {
      s = switch (name) {
        case "constant" -> new ConstantSchedule(lr0);
        case "step" -> new StepDecay(lr0, required(o, Param.STEP_SIZE),
            or(o, Param.GAMMA, StepDecay.GAMMA));
        case "multistep" -> new MultiStepDecay(lr0, milestones(o),
            or(o, Param.GAMMA, MultiStepDecay.GAMMA));
        case "exponential" -> new ExponentialDecay(lr0, (double) required(o, Param.GAMMA));
        case "inverse-time" -> new InverseTimeDecay(lr0, (double) required(o, Param.DECAY));
        case "polynomial" -> new PolynomialDecay(lr0, required(o, Param.TOTAL_STEPS),
            or(o, Param.POWER, PolynomialDecay.POWER), or(o, Param.END_LR, PolynomialDecay.END_LR));
        case "linear" -> o.containsKey(Param.TAU)
            ? new LinearDecay(lr0, (long) o.get(Param.TAU)) : new LinearDecay(lr0);
        case "cosine" -> new CosineAnnealing(lr0, required(o, Param.T_MAX),
            or(o, Param.ETA_MIN, CosineAnnealing.ETA_MIN));
        case "cosine-restarts" -> new CosineWarmRestarts(lr0, required(o, Param.T0),
            or(o, Param.T_MULT, CosineWarmRestarts.T_MULT),
            or(o, Param.ETA_MIN, CosineWarmRestarts.ETA_MIN));
        case "cyclic" -> {
          long up = or(o, Param.STEP_SIZE_UP, CyclicSchedule.STEP_SIZE_UP);
          yield new CyclicSchedule(lr0, (double) required(o, Param.MAX_LR), up,
              or(o, Param.STEP_SIZE_DOWN, up), mode, or(o, Param.GAMMA, CyclicSchedule.GAMMA));
        }
        // max-lr if given, else the run's rate, is the peak; the cycle starts at it / div-factor.
        case "one-cycle" -> new OneCycleSchedule(or(o, Param.MAX_LR, lr0),
            required(o, Param.TOTAL_STEPS), or(o, Param.PCT_START, OneCycleSchedule.PCT_START),
            o.containsKey(Param.ANNEAL_STRATEGY)
                ? choice(Param.ANNEAL_STRATEGY, o, OneCycleSchedule.AnnealStrategy::parse)
                : OneCycleSchedule.ANNEAL_STRATEGY,
            or(o, Param.DIV_FACTOR, OneCycleSchedule.DIV_FACTOR),
            or(o, Param.FINAL_DIV_FACTOR, OneCycleSchedule.FINAL_DIV_FACTOR),
            or(o, Param.THREE_PHASE, OneCycleSchedule.THREE_PHASE));
        case "plateau" -> new ReduceLrOnPlateau(lr0,
            o.containsKey(Param.PLATEAU_MODE)
                ? choice(Param.PLATEAU_MODE, o, ReduceLrOnPlateau.Mode::parse)
                : ReduceLrOnPlateau.MODE,
            or(o, Param.FACTOR, ReduceLrOnPlateau.FACTOR),
            or(o, Param.PLATEAU_PATIENCE, ReduceLrOnPlateau.PATIENCE),
            or(o, Param.THRESHOLD, ReduceLrOnPlateau.THRESHOLD),
            o.containsKey(Param.THRESHOLD_MODE)
                ? choice(Param.THRESHOLD_MODE, o, ReduceLrOnPlateau.ThresholdMode::parse)
                : ReduceLrOnPlateau.THRESHOLD_MODE,
            or(o, Param.COOLDOWN, ReduceLrOnPlateau.COOLDOWN),
            or(o, Param.MIN_LR, ReduceLrOnPlateau.MIN_LR),
            ReduceLrOnPlateau.EPS,
            or(o, Param.PLATEAU_INTERVAL, ReduceLrOnPlateau.INTERVAL));
        default -> throw new IllegalStateException(name);
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Param.SCHEDULE.ref() + " " + name + ": "
          + named(e.getMessage()), e);
    }
    Object warmup = o.get(Param.WARMUP_STEPS);
    if (warmup == null) {
      return s;
    }
    try {
      return new LinearWarmup(s, (Long) warmup);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Param.WARMUP_STEPS.ref() + ": " + e.getMessage(), e);
    }
  }

  private static long[] milestones(Map<Param, Object> o) {
    return ((long[]) required(o, Param.MILESTONES)).clone();
  }

  @SuppressWarnings("unchecked")
  private static <T> T required(Map<Param, Object> o, Param p) {
    Object v = o.get(p);
    if (v == null) {
      throw new IllegalArgumentException(p.ref() + " is required");
    }
    return (T) v;
  }

  @SuppressWarnings("unchecked")
  private static <T> T or(Map<Param, Object> o, Param p, T otherwise) {
    Object v = o.get(p);
    return v != null ? (T) v : otherwise;
  }

  private static <T> T choice(Param p, Map<Param, Object> o, Function<String, T> parse) {
    try {
      return parse.apply((String) o.get(p));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p.ref() + " "
          + String.valueOf(e.getMessage()).replaceFirst("^\\w+ ", ""));
    }
  }

  /** Prefixes a constructor's message with the option behind the parameter it names first. */
  private static String named(String message) {
    int end = 0;
    while (end < message.length() && Character.isLetterOrDigit(message.charAt(end))) {
      end++;
    }
    Param option = OPTION_OF.get(message.substring(0, end));
    return option == null ? message : option.ref() + ": " + message;
  }

  // ---- the grammar ----

  private static final Pattern STAGE = Pattern.compile(
      "\\s*([A-Za-z0-9_-]+)\\s*(?:\\(([^()]*)\\))?\\s*(?:@\\s*([^\\s()]*))?\\s*");

  /**
   * Parses the grammar of the class comment. Throws an {@link InvalidConfigException} against
   * {@link Param#SCHEDULE_CHAIN} naming the stage at fault; the values of the options are
   * checked here, their ranges by {@link #build}.
   */
  public static ScheduleSpec parse(String text) {
    try {
      List<String> parts = splitStages(text);
      List<Stage> stages = new ArrayList<>();
      long[] lengths = new long[parts.size() - 1];
      long start = 0;
      for (int i = 0; i < parts.size(); i++) {
        String part = parts.get(i).strip();
        Matcher m = STAGE.matcher(part);
        if (!m.matches()) {
          throw new IllegalArgumentException(where(i, part) + "expected NAME or"
              + " NAME(key=value, ...), followed by @STEPS unless it is the last stage");
        }
        boolean last = i == parts.size() - 1;
        try {
          if (last && m.group(3) != null) {
            throw new IllegalArgumentException("the last stage runs to the end of training; "
                + "drop its @" + m.group(3));
          }
          if (!last && m.group(3) == null) {
            throw new IllegalArgumentException("@STEPS, the stage's length in steps, is"
                + " required on every stage but the last");
          }
          if (!last) {
            lengths[i] = parseLength(m.group(3));
            start = Math.addExact(start, lengths[i]);
          }
          stages.add(stage(m.group(1), m.group(2), part));
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw new IllegalArgumentException(where(i, part) + e.getMessage(), e);
        }
      }
      return new ScheduleSpec(stages, lengths, null, true, null);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(ConfigProblem.of(Param.SCHEDULE_CHAIN, e.getMessage()));
    }
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
    String whole = Param.SCHEDULE_CHAIN.ref() + " '" + text + "': ";
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth < 0) {
        throw new IllegalArgumentException(whole + "')' at character " + (i + 1)
            + " closes nothing");
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    if (depth != 0) {
      throw new IllegalArgumentException(whole + "a '(' is not closed");
    }
    parts.add(text.substring(from));
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).isBlank()) {
        throw new IllegalArgumentException(whole + "stage " + (i + 1) + " is empty");
      }
    }
    return parts;
  }

  /** One stage's name and key=value pairs, typed. */
  private static Stage stage(String name, String params, String text) {
    Set<Param> allowed = OPTIONS.get(name);
    if (allowed == null) {
      throw new IllegalArgumentException("'" + name + "' is not a schedule; use one of "
          + String.join(", ", OPTIONS.keySet()));
    }
    Map<Param, Object> options = new LinkedHashMap<>();
    Double lr = null;
    for (String[] kv : pairs(params)) {
      String key = kv[0];
      String value = kv[1];
      if (key.equals("lr")) {
        if (lr != null) {
          throw new IllegalArgumentException("lr is given twice");
        }
        try {
          lr = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("lr=" + value + " is not a number");
        }
        continue;
      }
      Param option = Param.byKey(key);
      if (option == null || !allowed.contains(option)) {
        Param prefixed = Param.byKey(name + "-" + key);
        if (prefixed != null && allowed.contains(prefixed)) {
          option = prefixed;
        }
      }
      if (option == null || !allowed.contains(option) && option != Param.WARMUP_STEPS) {
        Set<String> keys = new TreeSet<>(List.of("lr", Param.WARMUP_STEPS.key()));
        for (Param p : allowed) {
          keys.add(p.key());
        }
        throw new IllegalArgumentException("'" + key + "' is not a parameter of " + name
            + "; it takes " + String.join(", ", keys));
      }
      if (options.containsKey(option)) {
        throw new IllegalArgumentException(option.key() + " is given twice");
      }
      options.put(option, value(option, value));
    }
    return new Stage(name, options, lr, text);
  }

  /** The typed value of option {@code p} written as {@code text}. */
  static Object value(Param p, String text) {
    try {
      if (WHOLE.contains(p)) {
        return Long.parseLong(text);
      }
      if (p == Param.MILESTONES) {
        String[] items = text.split(",");
        long[] v = new long[items.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = Long.parseLong(items[i].strip());
        }
        return v;
      }
      if (p == Param.THREE_PHASE) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
          throw new IllegalArgumentException(p.ref() + ": '" + text + "' is not true or false");
        }
        return Boolean.parseBoolean(t);
      }
      if (WORDS.contains(p)) {
        return text;
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(p.ref() + ": '" + text + "' is not a"
          + (WHOLE.contains(p) || p == Param.MILESTONES ? " whole number" : " number"));
    }
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

  /** The spec in the grammar (a schedule given as an object: its description). */
  @Override
  public String toString() {
    if (fixed != null) {
      return fixed.toString();
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < stages.size(); i++) {
      Stage s = stages.get(i);
      if (i > 0) {
        b.append(", ");
      }
      b.append(s.name());
      List<String> pairs = new ArrayList<>();
      if (s.lr() != null) {
        pairs.add("lr=" + s.lr());
      }
      s.options().forEach((p, v) -> pairs.add(p.key() + "="
          + (v instanceof long[] a ? String.join(",", Arrays.stream(a)
              .mapToObj(Long::toString).toList()) : v)));
      if (!pairs.isEmpty()) {
        b.append('(').append(String.join(", ", pairs)).append(')');
      }
      if (i < lengths.length) {
        b.append('@').append(lengths[i]);
      }
    }
    if (warmupSteps != null) {
      b.append(" after ").append(warmupSteps).append(" warmup steps");
    }
    return b.toString();
  }
}
