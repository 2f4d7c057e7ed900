package descent.driver;

import descent.driver.optim.SparseUpdate;

import descent.driver.schedule.ConstantSchedule;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a run needs besides the data, validated by {@link #validate()} before any Spark job
 * runs. Build one with {@link #builder()}; unset options keep the defaults written here once.
 *
 * <p>Batch: {@code batchSize} rows per step across the cluster, or {@code batchFraction} of the
 * rows; neither means full batch. Stopping: {@code maxSteps} and {@code epochs} bound the run
 * (the default is {@value #DEFAULT_MAX_STEPS} steps when neither is set; {@code null} means unset); {@code minStepSize}
 * stops when {@code ||lr·g||} falls below it; {@code tol} stops when the full objective, evaluated
 * every {@code evalEvery} steps, changes by less than that fraction. The learning rate is stored
 * once, {@code learningRate} (by default {@link OptimizerConfig#defaultLearningRate()}); the
 * {@code schedule} spec starts from it, and {@link #newSchedule(long)} builds the schedule a run
 * follows (the constant {@code learningRate} when no spec is set). With {@code localSteps}
 * ({@link LocalSteps}) a step is a round of local steps and the optimizer, rate and schedule are
 * the outer ones. With {@code equality} ({@link EqualityConstraints}) the run minimizes under
 * {@code A w = c} by the augmented Lagrangian method ({@link AugmentedLagrangian}). {@code bounds}
 * ({@link BoxConstraints}, null for none) keep every iterate in a box. {@code pretrainEpochs}
 * (0: none) runs greedy layer-wise pre-training of a network before the run ({@link Pretraining}).
 * Problems are reported against their {@link Param} by an {@link InvalidConfigException}.
 */
public record TrainingConfig(
    ModelType modelType,
    boolean fitIntercept,
    OptimizerConfig optimizer,
    double learningRate,
    Long batchSize,
    Double batchFraction,
    double regL2,
    long seed,
    Long maxSteps,
    Double epochs,
    double minStepSize,
    double tol,
    int evalEvery,
    int aggregationDepth,
    double[] initialParams,
    ScheduleSpec schedule,
    double regL1,
    Double clipValue,
    Double clipNorm,
    String average,
    Long averageStart,
    Long averageLast,
    Double averageDecay,
    double gradTol,
    Integer patience,
    boolean standardize,
    Integer numClasses,
    double huberDelta,
    SparseUpdate sparseUpdate,
    LocalSteps localSteps,
    EqualityConstraints equality, BoxConstraints bounds, NetworkSpec network,
    int pretrainEpochs) {

  public TrainingConfig {
    if (localSteps == null) {
      localSteps = LocalSteps.OFF;
    }
  }

  public static final long DEFAULT_MAX_STEPS = 1000;
  public static final double DEFAULT_LEARNING_RATE = 0.1;
  public static final int DEFAULT_EVAL_EVERY = 10;
  /** {@code aggregationDepth} 0: let {@link #aggregationDepth(int, long)} choose 1 or 2. */
  public static final int DEFAULT_AGGREGATION_DEPTH = 0;

  /**
   * Up to this many bytes of partial sums from all partitions together go straight to the
   * driver ({@code treeAggregate} depth 1); more take an intermediate level (depth 2).
   */
  public static final long DIRECT_AGGREGATION_BYTES = 32L << 20;
  public static final long DEFAULT_SEED = 42;

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Throws an {@link InvalidConfigException} listing every invalid parameter; the schedule is
   * built from the learning rate (and checked) when everything else is valid.
   */
  public TrainingConfig validate() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (modelType == null) {
      problems.add(Param.MODEL_TYPE.problem("is required (" + ModelType.names() + ")"));
    }
    if (sparseUpdate == null) {
      problems.add(Param.SPARSE_UPDATE.problem("is required (exact or lazy)"));
    }
    if (numClasses != null && (numClasses < 2 || numClasses > descent.core.LabelDomain.MAX_CLASSES)) {
      problems.add(Param.NUM_CLASSES.problem("must be between 2 and "
          + descent.core.LabelDomain.MAX_CLASSES + ", got " + numClasses));
    }
    if (numClasses != null && modelType != null && !modelType.isMulticlass()
        && !isSoftmaxNetwork()) {
      problems.add(ConfigProblem.of(Param.NUM_CLASSES, Param.NUM_CLASSES.ref() + " applies to "
          + Param.MODEL_TYPE.ref() + " softmax only" + (modelType.isNetwork()
              ? " and to an mlp with " + Param.OUTPUT_LOSS.ref() + " softmax" : "")));
    }
    if (modelType != null && optimizer != null && optimizer.problems().isEmpty()
        && !modelType.isNetwork()
        && optimizer.create(1).usesHessian() && !modelType.loss(2, 1.0).hasHessian()) {
      problems.add(ConfigProblem.of(Param.OPTIMIZER, Param.OPTIMIZER.ref() + " "
          + optimizer.name() + " needs the second derivative, which the " + modelType.id()
          + " model's loss lacks; " + (modelType == ModelType.HINGE
              ? "use a first-order optimizer (sgd with a decaying rate and "
                  + Param.AVERAGE.ref() + "), or " + Param.MODEL_TYPE.ref() + " squared-hinge"
              : "use " + Param.OPTIMIZER.ref() + " lbfgs")));
    }
    problems.addAll(networkProblems());
    problems.addAll(pretrainProblems());
    if (!(huberDelta > 0) || Double.isInfinite(huberDelta)) {
      problems.add(Param.HUBER_DELTA.problem("must be a positive number, got " + huberDelta));
    }
    if (optimizer == null) {
      problems.add(Param.OPTIMIZER.problem("is required"));
    } else {
      problems.addAll(optimizer.problems());
    }
    boolean validRate = learningRate > 0 && !Double.isInfinite(learningRate);
    if (!validRate) {
      problems.add(Param.LEARNING_RATE.problem("must be a positive number, got " + learningRate));
    }
    if (batchSize != null && batchSize < 1) {
      problems.add(Param.BATCH_SIZE.problem("must be positive, got " + batchSize));
    }
    if (batchFraction != null && !(batchFraction > 0 && batchFraction <= 1)) {
      problems.add(Param.BATCH_FRACTION.problem("must be in (0, 1], got " + batchFraction));
    }
    if (batchSize != null && batchFraction != null) {
      problems.add(ConfigProblem.of(Param.BATCH_FRACTION, "give " + Param.BATCH_SIZE.ref()
          + " or " + Param.BATCH_FRACTION.ref() + ", not both"));
    }
    if (!(regL2 >= 0) || Double.isInfinite(regL2)) {
      problems.add(Param.REG_L2.problem("must be a non-negative number, got " + regL2));
    }
    if (maxSteps != null && maxSteps < 1) {
      problems.add(Param.MAX_STEPS.problem("must be positive, got " + maxSteps));
    }
    if (epochs != null && !(epochs > 0 && epochs < Double.POSITIVE_INFINITY)) {
      problems.add(Param.EPOCHS.problem("must be positive, got " + epochs));
    }
    if (!(minStepSize >= 0) || Double.isInfinite(minStepSize)) {
      problems.add(Param.MIN_STEP_SIZE.problem("must be a non-negative number, got "
          + minStepSize));
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      problems.add(Param.TOL.problem("must be a non-negative number, got " + tol));
    }
    if (evalEvery < 1) {
      problems.add(Param.EVAL_EVERY.problem("must be positive, got " + evalEvery));
    }
    if (aggregationDepth < 0) {
      problems.add(Param.AGGREGATION_DEPTH.problem("must be at least 1 (or 0 for automatic), got "
          + aggregationDepth));
    }
    if (!(regL1 >= 0) || Double.isInfinite(regL1)) {
      problems.add(ConfigProblem.of(Param.REG_L1, "the L1 penalty (" + Param.REG.ref() + " × "
          + Param.ELASTIC_NET.ref() + ") must be a non-negative number, got " + regL1));
    }
    boolean secondOrder = optimizer != null && OptimizerConfig.OPTIONS.containsKey(optimizer.name())
        && optimizer.create(1).isSecondOrder();
    if (regL1 > 0 && secondOrder) {
      problems.add(ConfigProblem.of(Param.ELASTIC_NET, "an L1 penalty (" + Param.ELASTIC_NET.ref()
          + " > 0) needs a first-order optimizer: its soft threshold follows each gradient step; "
          + Param.OPTIMIZER.ref() + " " + optimizer.name() + " would need OWL-QN"));
    }
    if (clipValue != null && !(clipValue > 0 && clipValue < Double.POSITIVE_INFINITY)) {
      problems.add(Param.CLIP_VALUE.problem("must be a positive number, got " + clipValue));
    }
    if (clipNorm != null && !(clipNorm > 0 && clipNorm < Double.POSITIVE_INFINITY)) {
      problems.add(Param.CLIP_NORM.problem("must be a positive number, got " + clipNorm));
    }
    if ((clipValue != null || clipNorm != null) && secondOrder) {
      problems.add(ConfigProblem.of(clipValue != null ? Param.CLIP_VALUE : Param.CLIP_NORM,
          Param.CLIP_VALUE.ref() + " and " + Param.CLIP_NORM.ref() + " apply to first-order"
              + " optimizers; " + Param.OPTIMIZER.ref() + " " + optimizer.name()
              + " takes the exact gradient into its line search"));
    }
    problems.addAll(averagingProblems());
    problems.addAll(localSteps.problems(optimizer));
    problems.addAll(equalityProblems(secondOrder));
    if (!(gradTol >= 0) || Double.isInfinite(gradTol)) {
      problems.add(Param.GRAD_TOL.problem("must be a non-negative number, got " + gradTol));
    }
    if (patience != null && patience < 1) {
      problems.add(Param.PATIENCE.problem("must be positive, got " + patience));
    }
    if (initialParams != null) {
      for (double v : initialParams) {
        if (!Double.isFinite(v)) {
          problems.add(ConfigProblem.of(Param.INITIAL_PARAMS,
              "initial parameters must be finite, got " + v));
          break;
        }
      }
    }
    problems.addAll(boundsProblems());
    if (problems.isEmpty() && schedule != null) {
      try {
        schedule.build(learningRate);
      } catch (InvalidConfigException e) {
        problems.addAll(e.problems());
      }
    }
    InvalidConfigException.throwIfAny(problems);
    return this;
  }

  /**
   * Problems with the equality constraints: their settings, and what they cannot combine with.
   * Each inner problem needs a criterion that ends it ({@code tol}, {@code gradTol},
   * {@code minStepSize}, or a second-order optimizer's no-progress test); an iterate average or
   * the best parameters on validation data would mix iterates of different multipliers, and a
   * round of local steps moves the parameters on the workers, which do not see them.
   */
  private List<ConfigProblem> equalityProblems(boolean secondOrder) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (equality == null) {
      return problems;
    }
    problems.addAll(equality.problems());
    String eq = Param.EQUALITY.ref();
    if (!secondOrder && !(tol > 0) && !(gradTol > 0) && !(minStepSize > 0)) {
      problems.add(ConfigProblem.of(Param.EQUALITY, eq + " needs a criterion that ends each"
          + " inner problem of the augmented Lagrangian: " + Param.TOL.ref() + ", "
          + Param.GRAD_TOL.ref() + " or " + Param.MIN_STEP_SIZE.ref() + ", or "
          + Param.OPTIMIZER.ref() + " newton or lbfgs (which stop when they cannot descend)"));
    }
    if (average != null && !average.equals("none")) {
      problems.add(ConfigProblem.of(Param.AVERAGE, Param.AVERAGE.ref() + " cannot be combined"
          + " with " + eq + ": an average of iterates taken under different multipliers does"
          + " not satisfy the constraints"));
    }
    if (patience != null) {
      problems.add(ConfigProblem.of(Param.PATIENCE, Param.PATIENCE.ref() + " cannot be"
          + " combined with " + eq + ": the best parameters on validation data may come from"
          + " an inner problem whose constraints are not yet met"));
    }
    if (localSteps.enabled()) {
      problems.add(ConfigProblem.of(Param.LOCAL_STEPS, Param.LOCAL_STEPS.ref() + " cannot be"
          + " combined with " + eq + ": the augmented term is added to each step's gradient on"
          + " the driver, and the workers' local steps would not see it"));
    }
    return problems;
  }

  /**
   * The problems of greedy layer-wise pre-training ({@link Pretraining}): it applies to a
   * network of at least two hidden layers (with one, its only stage would train the whole
   * network, which is the run itself), and not with given starting parameters (they already
   * set every layer) or rounds of local steps (the workers' inner steps would move the layers a
   * stage keeps frozen).
   */
  private List<ConfigProblem> pretrainProblems() {
    List<ConfigProblem> problems = new ArrayList<>();
    String pre = Param.PRETRAIN_EPOCHS.ref();
    if (pretrainEpochs < 0) {
      problems.add(Param.PRETRAIN_EPOCHS.problem("must be 0 (no pre-training) or more, got "
          + pretrainEpochs));
    }
    if (pretrainEpochs <= 0) {
      return problems;
    }
    if (modelType != null && !modelType.isNetwork()) {
      problems.add(ConfigProblem.of(Param.PRETRAIN_EPOCHS, pre + " applies to "
          + Param.MODEL_TYPE.ref() + " mlp only; a " + modelType.id() + " model has no layers"
          + " to pre-train"));
      return problems;
    }
    int[] widths = network == null ? null : network.hidden();
    if (widths != null && widths.length == 1) {
      problems.add(ConfigProblem.of(Param.PRETRAIN_EPOCHS, pre + " needs at least two hidden"
          + " layers; with one (" + Param.HIDDEN.ref() + " " + widths[0] + ") its only stage"
          + " would train the whole network, which is the training itself: give the epochs to "
          + Param.EPOCHS.ref() + " instead"));
    }
    if (initialParams != null) {
      problems.add(ConfigProblem.of(Param.PRETRAIN_EPOCHS, pre + " cannot be combined with "
          + Param.INITIAL_PARAMS.ref() + ": the starting parameters already set every layer,"
          + " which pre-training would replace"));
    }
    if (localSteps.enabled()) {
      problems.add(ConfigProblem.of(Param.PRETRAIN_EPOCHS, pre + " needs synchronous steps:"
          + " the inner steps of rounds of local steps (" + Param.LOCAL_STEPS.ref() + " "
          + localSteps.steps() + ") would move the layers a stage keeps frozen; use "
          + Param.LOCAL_STEPS.ref() + " 1"));
    }
    if (network != null && network.batchNorm()) {
      problems.add(ConfigProblem.of(Param.PRETRAIN_EPOCHS, pre + " cannot be combined with "
          + Param.BATCH_NORM.ref() + ": the stages train networks without normalization, whose"
          + " layers a normalized network cannot take over as they are"));
    }
    return problems;
  }

  /**
   * The problems of a network's layout: {@code --model mlp} needs one, other models take none,
   * and Newton's method, which needs a convex objective's Hessian, does not apply.
   */
  private List<ConfigProblem> networkProblems() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (modelType == null) {
      return problems;
    }
    if (!modelType.isNetwork()) {
      if (network != null) {
        problems.add(ConfigProblem.of(Param.HIDDEN, Param.HIDDEN.ref() + ", "
            + Param.ACTIVATION.ref() + (network.batchNorm() ? ", " + Param.OUTPUT_LOSS.ref()
                + " and " + Param.BATCH_NORM.ref() : " and " + Param.OUTPUT_LOSS.ref())
            + " apply to " + Param.MODEL_TYPE.ref() + " mlp only"));
      }
      return problems;
    }
    if (network == null) {
      problems.add(Param.HIDDEN.problem("is required for " + Param.MODEL_TYPE.ref()
          + " mlp: the hidden layers' widths, e.g. 128,64"));
      return problems;
    }
    problems.addAll(network.problems());
    if (optimizer != null && optimizer.problems().isEmpty()
        && optimizer.create(1).usesHessian()) {
      problems.add(ConfigProblem.of(Param.OPTIMIZER, Param.OPTIMIZER.ref() + " "
          + optimizer.name() + " needs the Hessian of a convex objective; a network's objective"
          + " is not convex and descent does not form its Hessian: use " + Param.OPTIMIZER.ref()
          + " lbfgs or a first-order optimizer"));
    }
    if (bounds != null) {
      problems.add(ConfigProblem.of(Param.LOWER_BOUNDS, "bounds (" + Param.LOWER_BOUNDS.ref()
          + ", " + Param.UPPER_BOUNDS.ref() + ", " + Param.NON_NEGATIVE.ref() + ") apply to"
          + " linear models only; a network's weights take no constraints"));
    }
    if (equality != null) {
      problems.add(ConfigProblem.of(Param.EQUALITY, Param.EQUALITY.ref() + " applies to linear"
          + " models only; a network's weights take no constraints"));
    }
    if (network.batchNorm() && localSteps.enabled()) {
      problems.add(ConfigProblem.of(Param.BATCH_NORM, Param.BATCH_NORM.ref() + " normalizes"
          + " with the statistics of each step's whole mini-batch; the inner steps of rounds of"
          + " local steps (" + Param.LOCAL_STEPS.ref() + " " + localSteps.steps() + ") see one"
          + " partition's rows only: use " + Param.LOCAL_STEPS.ref() + " 1"));
    }
    return problems;
  }

  /**
   * The bounds' own problems, and rounds of local steps, which cannot keep them (the workers'
   * inner steps are not projected). Newton's method on the hinge loss is refused with or
   * without bounds (the loss has no second derivative).
   */
  private List<ConfigProblem> boundsProblems() {
    if (bounds == null) {
      return List.of();
    }
    List<ConfigProblem> problems = new ArrayList<>(bounds.problems(fitIntercept));
    String names = Param.LOWER_BOUNDS.ref() + ", " + Param.UPPER_BOUNDS.ref() + ", "
        + Param.LOWER_INTERCEPT.ref() + " and " + Param.UPPER_INTERCEPT.ref();
    if (localSteps.enabled()) {
      problems.add(ConfigProblem.of(Param.LOCAL_STEPS, names + " need synchronous steps: the"
          + " inner steps of rounds of local steps (" + Param.LOCAL_STEPS.ref() + " "
          + localSteps.steps() + ") are not projected onto the box; use "
          + Param.LOCAL_STEPS.ref() + " 1"));
    }
    if (equality != null) {
      problems.add(ConfigProblem.of(Param.EQUALITY, names + " cannot be combined with "
          + Param.EQUALITY.ref() + ": the augmented Lagrangian's multiplier update is built for"
          + " inner problems without bounds"));
    }
    return problems;
  }

  /** Whether this is a network with a softmax output (which takes K like a softmax model). */
  public boolean isSoftmaxNetwork() {
    return modelType != null && modelType.isNetwork() && network != null
        && network.output() == descent.core.OutputLoss.SOFTMAX;
  }

  /**
   * Whether the run learns the class count K from the labels: a softmax model or network
   * without {@code numClasses}.
   */
  public boolean learnsClasses() {
    return numClasses == null && modelType != null
        && (modelType.isMulticlass() || isSoftmaxNetwork());
  }

  /**
   * The linear model whose loss the outputs have: the model type itself, or a network's
   * {@link NetworkSpec#outputType()}.
   */
  public ModelType outputType() {
    return modelType.isNetwork() && network != null ? network.outputType() : modelType;
  }

  private List<ConfigProblem> averagingProblems() {
    List<ConfigProblem> problems = new ArrayList<>();
    String kind = average == null ? "none" : average;
    String start = Param.AVERAGE_START.ref();
    String last = Param.AVERAGE_LAST.ref();
    String decay = Param.AVERAGE_DECAY.ref();
    String avg = Param.AVERAGE.ref();
    switch (kind) {
      case "none" -> {
        if (averageStart != null || averageLast != null || averageDecay != null) {
          problems.add(ConfigProblem.of(Param.AVERAGE, start + ", " + last + " and " + decay
              + " need " + avg));
        }
      }
      case "polyak" -> {
        if (averageLast != null || averageDecay != null) {
          problems.add(ConfigProblem.of(Param.AVERAGE, avg + " polyak takes " + start + " only"));
        }
        if (averageStart != null && averageStart < 1) {
          problems.add(Param.AVERAGE_START.problem("must be >= 1, got " + averageStart));
        }
      }
      case "tail" -> {
        if (averageStart != null || averageDecay != null) {
          problems.add(ConfigProblem.of(Param.AVERAGE, avg + " tail takes " + last + " only"));
        }
        if (averageLast == null || averageLast < 1) {
          problems.add(ConfigProblem.of(Param.AVERAGE_LAST, avg + " tail needs " + last
              + " N >= 1, got " + averageLast));
        }
      }
      case "ema" -> {
        if (averageStart != null || averageLast != null) {
          problems.add(ConfigProblem.of(Param.AVERAGE, avg + " ema takes " + decay + " only"));
        }
        if (averageDecay != null && !(averageDecay > 0 && averageDecay < 1)) {
          problems.add(Param.AVERAGE_DECAY.problem("must be in (0, 1), got " + averageDecay));
        }
      }
      default -> problems.add(Param.AVERAGE.problem("'" + kind + "' is not available; use none,"
          + " polyak, tail or ema"));
    }
    return problems;
  }

  /** Default decay of {@code --average ema}. */
  public static final double DEFAULT_AVERAGE_DECAY = 0.999;

  /**
   * The iterate average this run keeps, or null: Polyak from {@code averageStart} (default 1),
   * tail = Polyak over the last {@code averageLast} of {@code maxSteps}, or the EMA.
   */
  public ParameterAverage averaging(long resolvedMaxSteps) {
    String kind = average == null ? "none" : average;
    return switch (kind) {
      case "polyak" -> ParameterAverage.polyak(averageStart != null ? averageStart : 1);
      case "tail" -> ParameterAverage.polyak(Math.max(1, resolvedMaxSteps - averageLast + 1));
      case "ema" -> ParameterAverage.exponential(
          averageDecay != null ? averageDecay : DEFAULT_AVERAGE_DECAY);
      default -> null;
    };
  }

  /**
   * What a checkpoint must agree on to be resumed: every option that shapes the sequence of
   * steps. The step and epoch budgets and the stop criteria are left out, so a finished or
   * interrupted run can be continued with a larger budget.
   */
  public Map<String, String> fingerprint() {
    Map<String, String> f = new TreeMap<>();
    f.put("config.model", String.valueOf(modelType));
    f.put("config.fitIntercept", Boolean.toString(fitIntercept));
    f.put("config.optimizer", optimizer == null ? "null" : optimizer.create(1).toString());
    f.put("config.learningRate", Double.toString(learningRate));
    f.put("config.schedule", scheduleDescription());
    f.put("config.batchSize", String.valueOf(batchSize));
    f.put("config.batchFraction", String.valueOf(batchFraction));
    f.put("config.regL1", Double.toString(regL1));
    f.put("config.regL2", Double.toString(regL2));
    f.put("config.seed", Long.toString(seed));
    f.put("config.clipping", clipper().toString());
    f.put("config.average", average + "/" + averageStart + "/" + averageLast + "/" + averageDecay);
    f.put("config.standardize", Boolean.toString(standardize));
    f.put("config.numClasses", String.valueOf(numClasses));
    f.put("config.huberDelta", Double.toString(huberDelta));
    f.put("config.sparseUpdate", String.valueOf(sparseUpdate));
    f.put("config.initialParams", initialParams == null ? "none"
        : Integer.toHexString(java.util.Arrays.hashCode(initialParams)));
    if (localSteps.enabled()) {
      f.put("config.localSteps", localSteps.toString());
    }
    if (equality != null) {
      f.put("config.equality", equality.fingerprint());
    }
    if (bounds != null) {
      f.put("config.bounds", bounds.fingerprint());
    }
    if (network != null) {
      f.put("config.network", network.toString());
    }
    if (pretrainEpochs > 0) {
      f.put("config.pretrainEpochs", Integer.toString(pretrainEpochs));
    }
    return f;
  }

  /**
   * This configuration for {@code k} classes (softmax), validated: for a front end that learns
   * K from the data once the configuration is built.
   */
  public TrainingConfig withNumClasses(Integer k) {
    return new TrainingConfig(modelType, fitIntercept, optimizer, learningRate, batchSize,
        batchFraction, regL2, seed, maxSteps, epochs, minStepSize, tol, evalEvery,
        aggregationDepth, initialParams, schedule, regL1, clipValue, clipNorm, average,
        averageStart, averageLast, averageDecay, gradTol, patience, standardize, k, huberDelta,
        sparseUpdate, localSteps, equality, bounds, network, pretrainEpochs).validate();
  }

  /**
   * A fresh learning-rate schedule for a run of {@code stepsPerEpoch} steps an epoch: the
   * {@link #schedule()} spec built from {@link #learningRate()} (the constant rate when there is
   * none), with the defaults that depend on the data filled in. Stateful schedules start anew.
   */
  public LearningRateSchedule newSchedule(long stepsPerEpoch) {
    return (schedule != null ? schedule.build(learningRate) : new ConstantSchedule(learningRate))
        .resolve(stepsPerEpoch);
  }

  /** The schedule as built from the learning rate, described; "null" without a schedule. */
  public String scheduleDescription() {
    return String.valueOf(schedule == null ? null : schedule.build(learningRate));
  }

  /** The penalty: {@code regL1·||w||₁ + (regL2/2)||w||²}. */
  public Regularizer regularizer() {
    return Regularizer.of(regL1, regL2);
  }

  /** The gradient clipping of this run. */
  public GradientClipper clipper() {
    return GradientClipper.of(clipValue, clipNorm);
  }

  /** The batch size for {@code totalRows} rows: full batch when neither option is set. */
  public long resolveBatchSize(long totalRows) {
    long b;
    if (batchSize != null) {
      b = batchSize;
    } else if (batchFraction != null) {
      b = Math.max(1, Math.round(batchFraction * totalRows));
    } else {
      b = totalRows;
    }
    if (b > totalRows) {
      throw Param.BATCH_SIZE.invalid(b + " is larger than the " + totalRows + " rows of the data");
    }
    return b;
  }

  /**
   * The number of steps to run: the tighter of maxSteps and epochs·N/B; with local steps, the
   * steps are rounds and epochs·N/B plan steps make {@link LocalSteps#roundsFor} rounds.
   */
  public long resolveMaxSteps(long totalRows, long resolvedBatch) {
    long steps = maxSteps != null ? maxSteps : (epochs != null ? Long.MAX_VALUE : DEFAULT_MAX_STEPS);
    if (epochs != null) {
      steps = Math.min(steps, epochSteps(totalRows, resolvedBatch));
    }
    return steps;
  }

  /**
   * The loss of this run; {@code dataClasses} is the class count the data shows (max label + 1),
   * used for softmax when {@code numClasses} is not set.
   */
  public descent.core.Loss loss(int dataClasses) {
    int k = numClasses != null ? numClasses : dataClasses;
    return modelType.isNetwork() ? network.loss(k) : modelType.loss(k, huberDelta);
  }

  /** The labels to accept when reading data for this run. */
  public descent.core.LabelDomain labelDomain() {
    return outputType().labelDomain(numClasses != null ? numClasses : 0);
  }

  /**
   * The {@code treeAggregate} depth for {@code partitions} partial sums of
   * {@code valuesPerPartial} doubles each: the configured depth, or when it is 0 (automatic),
   * 1 while all partials together are at most {@link #DIRECT_AGGREGATION_BYTES}, else 2. Depth 2
   * adds a shuffle stage as soon as there are 6 or more partitions, and that stage costs more
   * than it saves when the partials are small (measured: 0.1 s a step on 8 partitions of
   * 1M × 100 rows in local[2], against a step of 0.14 s).
   */
  public int aggregationDepth(int partitions, long valuesPerPartial) {
    return aggregationDepth(aggregationDepth, partitions, valuesPerPartial);
  }

  /** {@link #aggregationDepth(int, long)} for a given configured depth (0: automatic). */
  public static int aggregationDepth(int configured, int partitions, long valuesPerPartial) {
    if (configured > 0) {
      return configured;
    }
    return 8.0 * partitions * valuesPerPartial <= DIRECT_AGGREGATION_BYTES ? 1 : 2;
  }

  /**
   * Steps that make {@code epochs} passes: {@code ceil(epochs·N/B)}; with local steps, the rounds
   * that cover those plan steps.
   */
  long epochSteps(long totalRows, long resolvedBatch) {
    long steps = Math.max(1, (long) Math.ceil(epochs * totalRows / resolvedBatch - 1e-9));
    return localSteps.enabled() ? localSteps.roundsFor(steps) : steps;
  }

  /** A mutable builder of {@link TrainingConfig} that starts from the defaults. */
  public static final class Builder {
    private ModelType modelType;
    private boolean fitIntercept;
    private OptimizerConfig optimizer = OptimizerConfig.named("sgd");
    private Double learningRate;
    private Long batchSize;
    private Double batchFraction;
    private double regL2;
    private long seed = DEFAULT_SEED;
    private Long maxSteps;
    private Double epochs;
    private double minStepSize;
    private double tol;
    private int evalEvery = DEFAULT_EVAL_EVERY;
    private int aggregationDepth = DEFAULT_AGGREGATION_DEPTH;
    private double[] initialParams;
    private ScheduleSpec schedule;
    private double regL1;
    private Double clipValue;
    private Double clipNorm;
    private String average;
    private Long averageStart;
    private Long averageLast;
    private Double averageDecay;
    private double gradTol;
    private Integer patience;
    private boolean standardize;
    private Integer numClasses;
    private double huberDelta = ModelType.DEFAULT_HUBER_DELTA;
    private SparseUpdate sparseUpdate = SparseUpdate.EXACT;
    private int localSteps = 1;
    private Long localStepsAfter;
    private String innerOptimizer;
    private Double innerLearningRate;
    private Double innerMomentum;
    private ScheduleSpec innerSchedule;
    private EqualityConstraints equality;
    private BoxConstraints bounds;
    private int[] hidden;
    private descent.core.Activation activation;
    private descent.core.OutputLoss outputLoss;
    private boolean batchNorm;
    private int pretrainEpochs;

    public Builder modelType(ModelType v) { modelType = v; return this; }
    public Builder fitIntercept(boolean v) { fitIntercept = v; return this; }
    public Builder optimizer(String v) { optimizer = OptimizerConfig.named(v); return this; }
    public Builder optimizer(OptimizerConfig v) { optimizer = v; return this; }
    public Builder learningRate(double v) { learningRate = v; return this; }
    public Builder batchSize(Long v) { batchSize = v; return this; }
    public Builder batchFraction(Double v) { batchFraction = v; return this; }
    public Builder regL2(double v) { regL2 = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder maxSteps(Long v) { maxSteps = v; return this; }
    public Builder epochs(Double v) { epochs = v; return this; }
    public Builder minStepSize(double v) { minStepSize = v; return this; }
    public Builder tol(double v) { tol = v; return this; }
    public Builder evalEvery(int v) { evalEvery = v; return this; }
    public Builder aggregationDepth(int v) { aggregationDepth = v; return this; }
    /** The schedule, starting from {@link #learningRate(double)}; null: the constant rate. */
    public Builder schedule(ScheduleSpec v) { schedule = v; return this; }
    /**
     * A schedule given as an object, which carries its own rates (the learning rate does not
     * reach it): for tests and benchmarks; {@link #schedule(ScheduleSpec)} is the general form.
     */
    public Builder schedule(LearningRateSchedule v) {
      schedule = v == null ? null : ScheduleSpec.of(v);
      return this;
    }
    public Builder regL1(double v) { regL1 = v; return this; }
    public Builder clipValue(Double v) { clipValue = v; return this; }
    public Builder clipNorm(Double v) { clipNorm = v; return this; }
    public Builder average(String v) { average = v; return this; }
    public Builder averageStart(Long v) { averageStart = v; return this; }
    public Builder averageLast(Long v) { averageLast = v; return this; }
    public Builder averageDecay(Double v) { averageDecay = v; return this; }
    public Builder gradTol(double v) { gradTol = v; return this; }
    public Builder patience(Integer v) { patience = v; return this; }
    public Builder standardize(boolean v) { standardize = v; return this; }
    public Builder numClasses(Integer v) { numClasses = v; return this; }
    public Builder huberDelta(double v) { huberDelta = v; return this; }
    /** How a step on sparse data treats untouched coordinates; by default {@code exact}. */
    public Builder sparseUpdate(SparseUpdate v) { sparseUpdate = v; return this; }
    /** {@link #sparseUpdate(SparseUpdate)} by its name on the command line: exact or lazy. */
    public Builder sparseUpdate(String v) {
      for (SparseUpdate u : SparseUpdate.values()) {
        if (u.flag().equals(v)) {
          sparseUpdate = u;
          return this;
        }
      }
      throw Param.SPARSE_UPDATE.invalid("must be exact or lazy, not '" + v + "'");
    }
    /** H, inner steps a round ({@link LocalSteps}); 1, the default, is the synchronous step. */
    public Builder localSteps(int v) { localSteps = v; return this; }
    public Builder localStepsAfter(Long v) { localStepsAfter = v; return this; }
    public Builder innerOptimizer(String v) { innerOptimizer = v; return this; }
    public Builder innerLearningRate(Double v) { innerLearningRate = v; return this; }
    public Builder innerMomentum(Double v) { innerMomentum = v; return this; }
    public Builder innerSchedule(ScheduleSpec v) { innerSchedule = v; return this; }
    /** Linear equality constraints with their settings; null (the default): none. */
    public Builder equality(EqualityConstraints v) { equality = v; return this; }
    /** Box constraints on the coefficients and intercepts; null (the default): none. */
    public Builder bounds(BoxConstraints v) { bounds = v; return this; }
    /** A network's hidden layers' widths ({@link ModelType#MLP}). */
    public Builder hidden(int[] v) { hidden = v == null ? null : v.clone(); return this; }
    /**
     * Epochs of each stage of greedy layer-wise pre-training of a network ({@link Pretraining});
     * 0, the default: none.
     */
    public Builder pretrainEpochs(int v) { pretrainEpochs = v; return this; }
    /** A network's activation; by default {@link NetworkSpec#DEFAULT_ACTIVATION}. */
    public Builder activation(descent.core.Activation v) { activation = v; return this; }
    /** {@link #activation(descent.core.Activation)} by name: relu, tanh or sigmoid. */
    public Builder activation(String v) {
      try {
        activation = v == null ? null : descent.core.Activation.parse(v);
      } catch (IllegalArgumentException e) {
        throw Param.ACTIVATION.invalid("must be relu, tanh or sigmoid, not '" + v + "'");
      }
      return this;
    }
    /** Batch-normalizes a network's hidden layers with each mini-batch's statistics. */
    public Builder batchNorm(boolean v) { batchNorm = v; return this; }
    /** A network's output loss; by default {@link NetworkSpec#DEFAULT_OUTPUT}. */
    public Builder outputLoss(descent.core.OutputLoss v) { outputLoss = v; return this; }
    /** {@link #outputLoss(descent.core.OutputLoss)} by name: softmax, logistic or squared. */
    public Builder outputLoss(String v) {
      try {
        outputLoss = v == null ? null : descent.core.OutputLoss.parse(v);
      } catch (IllegalArgumentException e) {
        throw Param.OUTPUT_LOSS.invalid("must be softmax, logistic or squared, not '" + v + "'");
      }
      return this;
    }
    /** The elastic net {@code reg·(α||w||₁ + (1−α)/2·||w||²)} as Spark ML's regParam/elasticNetParam. */
    public Builder elasticNet(double reg, double alpha) {
      regL1 = reg * alpha;
      regL2 = reg * (1 - alpha);
      return this;
    }
    public Builder initialParams(double[] v) { initialParams = v == null ? null : v.clone(); return this; }

    /**
     * The configuration; an unset learning rate is the optimizer's default (the one place it is
     * resolved): {@link OptimizerConfig#defaultLearningRate()}, or with local steps the outer
     * rate {@link LocalSteps#DEFAULT_OUTER_LEARNING_RATE}.
     */
    public TrainingConfig build() {
      LocalSteps local = new LocalSteps(localSteps, localStepsAfter, innerOptimizer,
          innerLearningRate, innerMomentum, innerSchedule);
      double lr = learningRate != null ? learningRate
          : local.enabled() ? LocalSteps.DEFAULT_OUTER_LEARNING_RATE
          : optimizer != null ? optimizer.defaultLearningRate() : DEFAULT_LEARNING_RATE;
      return new TrainingConfig(modelType, fitIntercept, optimizer, lr, batchSize,
          batchFraction, regL2, seed, maxSteps, epochs, minStepSize, tol, evalEvery,
          aggregationDepth, initialParams, schedule, regL1, clipValue, clipNorm, average,
          averageStart, averageLast, averageDecay, gradTol, patience, standardize, numClasses,
          huberDelta, sparseUpdate, local, equality, bounds == null ? null : bounds.orNull(),
          network(), pretrainEpochs);
    }

    /** The network's layout when the model is one or any layout option is set, else null. */
    private NetworkSpec network() {
      boolean any = hidden != null || activation != null || outputLoss != null || batchNorm;
      return any || modelType == ModelType.MLP
          ? new NetworkSpec(hidden, activation, outputLoss, batchNorm) : null;
    }
  }
}
