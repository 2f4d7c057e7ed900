package descent.driver;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every parameter a run can be configured with, by its driver name ({@code learningRate},
 * {@code batchSize}, {@code tMax}) and its key, the spelling of the command line without the
 * dashes and of the schedule grammar's options ({@code lr}, {@code batch-size}, {@code t-max}).
 * Problems with a configuration are reported against these parameters ({@link ConfigProblem}),
 * and each front end names them its own way: the command line by its flag ({@link #flag()}),
 * the Spark ML API by its param ({@code learningRate}, {@code maxIter}, {@code regParam}).
 */
public enum Param {
  MODEL_TYPE("modelType", "model"),
  NUM_CLASSES("numClasses", "num-classes"),
  HUBER_DELTA("huberDelta", "huber-delta"),
  FIT_INTERCEPT("fitIntercept", "intercept"),
  STANDARDIZE("standardize", "standardize"),
  OPTIMIZER("optimizer", "optimizer"),
  MOMENTUM("momentum", "momentum"),
  DAMPENING("dampening", "dampening"),
  NESTEROV("nesterov", "nesterov"),
  BETA1("beta1", "beta1"),
  BETA2("beta2", "beta2"),
  EPS("eps", "eps"),
  AMSGRAD("amsgrad", "amsgrad"),
  WEIGHT_DECAY("weightDecay", "weight-decay"),
  ALPHA("alpha", "alpha"),
  CENTERED("centered", "centered"),
  LR_DECAY("lrDecay", "lr-decay"),
  INITIAL_ACCUMULATOR("initialAccumulator", "initial-accumulator"),
  KAPPA("kappa", "kappa"),
  PHI("phi", "phi"),
  THETA("theta", "theta"),
  HISTORY("history", "history"),
  LEARNING_RATE("learningRate", "lr"),
  BATCH_SIZE("batchSize", "batch-size"),
  BATCH_FRACTION("batchFraction", "batch-fraction"),
  REG_L2("regL2", "reg-l2"),
  /** The elastic net's strength λ: {@code regL1 = λα}, {@code regL2 = λ(1 − α)}. */
  REG("reg", "reg"),
  /** The elastic net's mixing α. */
  ELASTIC_NET("elasticNet", "elastic-net"),
  /** The L1 penalty; set through {@link #REG} and {@link #ELASTIC_NET}. */
  REG_L1("regL1", "reg-l1"),
  SEED("seed", "seed"),
  MAX_STEPS("maxSteps", "max-steps"),
  EPOCHS("epochs", "epochs"),
  MIN_STEP_SIZE("minStepSize", "min-step-size"),
  TOL("tol", "tol"),
  GRAD_TOL("gradTol", "grad-tol"),
  EVAL_EVERY("evalEvery", "eval-every"),
  AGGREGATION_DEPTH("aggregationDepth", "aggregation-depth"),
  /** How a step on sparse data updates the coordinates its batch did not touch. */
  SPARSE_UPDATE("sparseUpdate", "sparse-update"),
  INITIAL_PARAMS("initialParams", "initial-params"),
  // Box constraints (BoxConstraints): bounds on the coefficients and on the intercepts.
  LOWER_BOUNDS("lowerBounds", "lower-bounds"),
  UPPER_BOUNDS("upperBounds", "upper-bounds"),
  LOWER_INTERCEPT("lowerIntercept", "lower-intercept"),
  UPPER_INTERCEPT("upperIntercept", "upper-intercept"),
  /** Lower bound 0 on every coefficient: the common case of the box. */
  NON_NEGATIVE("nonNegative", "non-negative"),
  CLIP_VALUE("clipValue", "clip-value"),
  CLIP_NORM("clipNorm", "clip-norm"),
  AVERAGE("average", "average"),
  AVERAGE_START("averageStart", "average-start"),
  AVERAGE_LAST("averageLast", "average-last"),
  AVERAGE_DECAY("averageDecay", "average-decay"),
  PATIENCE("patience", "patience"),
  /** A fraction of the rows held out as validation data. */
  VALIDATION_FRACTION("validationFraction", "validation-fraction"),
  /** Validation data given apart from the training data. */
  VALIDATION_DATA("validationData", "test"),
  /** H, inner steps a round of local steps takes on each partition; 1: synchronous steps. */
  LOCAL_STEPS("localSteps", "local-steps"),
  /** Post-local SGD: plan steps taken synchronously before the local rounds start. */
  LOCAL_STEPS_AFTER("localStepsAfter", "local-steps-after"),
  INNER_OPTIMIZER("innerOptimizer", "inner-optimizer"),
  INNER_LEARNING_RATE("innerLearningRate", "inner-lr"),
  INNER_MOMENTUM("innerMomentum", "inner-momentum"),
  /** The inner learning rate's schedule, in the grammar of {@code ScheduleSpec}. */
  INNER_SCHEDULE("innerSchedule", "inner-schedule"),
  // Linear equality constraints A w = c, solved by the augmented Lagrangian method.
  /** The file of constraints {@code A w = c} (see {@code EqualityConstraints}). */
  EQUALITY("equality", "equality"),
  /** The outer loop ends once {@code ||A w − c||} is at most this. */
  CONSTRAINT_TOL("constraintTol", "constraint-tol"),
  /** ρ₀, the augmented Lagrangian's first penalty on {@code ||A w − c||²/2}. */
  EQUALITY_PENALTY("equalityPenalty", "equality-penalty"),
  // A multilayer perceptron's layout (--model mlp).
  /** The hidden layers' widths. */
  HIDDEN("hidden", "hidden"),
  /** The hidden layers' activation: relu, tanh or sigmoid. */
  ACTIVATION("activation", "activation"),
  /** The loss on the network's output layer: softmax, logistic or squared. */
  OUTPUT_LOSS("outputLoss", "output-loss"),
  /** Batch normalization of every hidden layer with its mini-batch's statistics. */
  BATCH_NORM("batchNorm", "batch-norm"),
  /** Epochs of each stage of greedy layer-wise pre-training; 0: none. */
  PRETRAIN_EPOCHS("pretrainEpochs", "pretrain-epochs"),
  /** One learning-rate schedule by name, with its options. */
  SCHEDULE("schedule", "schedule"),
  /** Learning-rate schedules in sequence, in the grammar of {@code ScheduleSpec}. */
  SCHEDULE_CHAIN("scheduleChain", "schedule-chain"),
  // The schedules' options: the keys of the schedule grammar.
  STEP_SIZE("stepSize", "step-size"),
  GAMMA("gamma", "gamma"),
  MILESTONES("milestones", "milestones"),
  DECAY("decay", "decay"),
  TOTAL_STEPS("totalSteps", "total-steps"),
  POWER("power", "power"),
  END_LR("endLr", "end-lr"),
  TAU("tau", "tau"),
  T_MAX("tMax", "t-max"),
  T0("t0", "t0"),
  T_MULT("tMult", "t-mult"),
  ETA_MIN("etaMin", "eta-min"),
  MAX_LR("maxLr", "max-lr"),
  STEP_SIZE_UP("stepSizeUp", "step-size-up"),
  STEP_SIZE_DOWN("stepSizeDown", "step-size-down"),
  CYCLIC_MODE("cyclicMode", "cyclic-mode"),
  PCT_START("pctStart", "pct-start"),
  ANNEAL_STRATEGY("annealStrategy", "anneal-strategy"),
  DIV_FACTOR("divFactor", "div-factor"),
  FINAL_DIV_FACTOR("finalDivFactor", "final-div-factor"),
  THREE_PHASE("threePhase", "three-phase"),
  PLATEAU_MODE("plateauMode", "plateau-mode"),
  FACTOR("factor", "factor"),
  PLATEAU_PATIENCE("plateauPatience", "plateau-patience"),
  THRESHOLD("threshold", "threshold"),
  THRESHOLD_MODE("thresholdMode", "threshold-mode"),
  COOLDOWN("cooldown", "cooldown"),
  MIN_LR("minLr", "min-lr"),
  PLATEAU_INTERVAL("plateauInterval", "plateau-interval"),
  WARMUP_STEPS("warmupSteps", "warmup-steps");

  private static final Map<String, Param> BY_NAME = new HashMap<>();
  private static final Map<String, Param> BY_KEY = new HashMap<>();

  static {
    for (Param p : values()) {
      BY_NAME.put(p.driverName, p);
      BY_KEY.put(p.key, p);
    }
  }

  /** A parameter in a problem's text: its driver name in braces, {@code {learningRate}}. */
  private static final Pattern REFERENCE = Pattern.compile("\\{([A-Za-z0-9]+)\\}");

  private final String driverName;
  private final String key;

  Param(String driverName, String key) {
    this.driverName = driverName;
    this.key = key;
  }

  /** The name in the driver's API: the {@link TrainingConfig} component, the builder method. */
  public String driverName() {
    return driverName;
  }

  /** The key: the command line's option without its dashes, the schedule grammar's option. */
  public String key() {
    return key;
  }

  /** The command line's spelling, {@code --key}; the default naming of problems. */
  public String flag() {
    return "--" + key;
  }

  /** Whether this is an option of a learning-rate schedule (a key of the schedule grammar). */
  public boolean isScheduleOption() {
    return ordinal() >= STEP_SIZE.ordinal();
  }

  /** The parameter of driver name {@code name}, or null. */
  public static Param byDriverName(String name) {
    return BY_NAME.get(name);
  }

  /** The parameter of key {@code key} ({@code t-max}), or null. */
  public static Param byKey(String key) {
    return BY_KEY.get(key);
  }

  /** {@code "{driverName}"}: how a problem's text refers to this parameter. */
  public String ref() {
    return "{" + driverName + "}";
  }

  /** A problem with this parameter: {@code text} follows its name ("must be positive"). */
  public ConfigProblem problem(String text) {
    return new ConfigProblem(this, ref() + " " + text);
  }

  /**
   * The exception for one problem with this parameter, for checks that need the data (a batch
   * larger than the data, validation data that is missing): {@code throw
   * Param.PATIENCE.invalid("needs validation data")}.
   */
  public InvalidConfigException invalid(String text) {
    return new InvalidConfigException(problem(text));
  }

  /** {@code template} with each {@code {driverName}} replaced by {@code naming}'s name. */
  static String render(String template, Function<Param, String> naming) {
    Matcher m = REFERENCE.matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      Param p = BY_NAME.get(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(p == null ? m.group() : naming.apply(p)));
    }
    m.appendTail(b);
    return b.toString();
  }
}
