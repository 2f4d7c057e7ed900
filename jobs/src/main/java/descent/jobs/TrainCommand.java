package descent.jobs;

import descent.driver.BoxConstraints;
import descent.driver.Checkpoints;
import descent.driver.ConfigProblem;
import descent.driver.InvalidConfigException;
import descent.driver.Param;
import descent.driver.LinearModel;
import descent.driver.ModelType;
import descent.driver.OutputDir;
import descent.driver.OptimizerConfig;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import descent.driver.TrainingSummary;
import descent.driver.optim.Adagrad;
import descent.driver.optim.Adam;
import descent.driver.optim.DeltaBarDelta;
import descent.driver.optim.Lbfgs;
import descent.driver.optim.MomentumSgd;
import descent.driver.optim.RmsProp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent train}: reads the data, trains a linear model (see {@link ModelType}), and writes
 * {@code model.json}, {@code metrics.csv} and {@code metrics.jsonl} (and with {@code --report}
 * the HTML report) to the output directory, a local path or a Hadoop URI ({@code hdfs://...}),
 * each file under a temporary name first and then renamed. Options are validated before Spark
 * starts; the model and the metrics files are written only when training succeeded.
 * {@code --initial-model} starts from a saved model's parameters (a warm start), once it is
 * checked to fit the run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a linear, logistic, softmax, SVM or Huber model, or a multilayer"
        + " perceptron, with mini-batch gradient descent.")
final class TrainCommand implements Callable<Integer> {
  /** Steps between checkpoints when --checkpoint-every is not given. */
  static final long DEFAULT_CHECKPOINT_EVERY = 100;
  /** Checkpoints kept when --keep-checkpoints is not given. */
  static final int DEFAULT_KEEP_CHECKPOINTS = 3;

  @Mixin DataOptions dataOptions;
  @Mixin SparkOptions sparkOptions;
  @Mixin ScheduleOptions scheduleOptions;

  @Option(names = "--model", required = true, description = "linear, logistic, softmax, hinge"
      + " (linear SVM), squared-hinge (L2-loss SVM), huber (robust regression) or mlp (a"
      + " multilayer perceptron: --hidden, --activation, --output-loss, --batch-norm)")
  String model;

  // A network's layout (--model mlp).
  @Option(names = "--hidden", split = ",", paramLabel = "N1,N2,...", description = "mlp: the"
      + " hidden layers' widths, e.g. 128,64")
  int[] hidden;

  @Option(names = "--activation", description = "mlp: the hidden layers' activation, relu, tanh"
      + " or sigmoid (default relu)")
  String activation;

  @Option(names = "--output-loss", description = "mlp: the output layer's loss, softmax (K"
      + " classes, labels 0..K-1), logistic (labels ±1 or 0/1) or squared (regression)"
      + " (default softmax)")
  String outputLoss;

  @Option(names = "--batch-norm", description = "mlp: normalize every hidden layer with the"
      + " statistics of each step's whole mini-batch (2L + 1 jobs a step for L hidden layers);"
      + " the model keeps the training rows' statistics for inference")
  boolean batchNorm;
  @Option(names = "--pretrain-epochs", paramLabel = "N", description = "mlp: greedy layer-wise"
      + " pre-training before the run: stage s trains the first s hidden layers and a fresh"
      + " output layer for N epochs, the layers below s frozen (default 0: none)")
  int pretrainEpochs;

  @Option(names = "--num-classes", description = "softmax (and mlp with a softmax output): the"
      + " number of classes K, labels 0..K-1 (default: the largest label + 1)")
  Integer numClasses;

  @Option(names = "--huber-delta", description = "huber: where the loss turns from quadratic"
      + " to linear (default " + ModelType.DEFAULT_HUBER_DELTA + ")")
  Double huberDelta;

  @Option(names = "--intercept", description = "fit an intercept (never regularized)")
  boolean intercept;

  @Option(names = "--optimizer", defaultValue = "sgd",
      description = "sgd, adagrad, rmsprop, adam, adamw, lamb, delta-bar-delta, newton or lbfgs"
          + " (default: sgd)")
  String optimizer;

  @Option(names = "--momentum", description = "sgd, rmsprop: momentum factor (default "
      + MomentumSgd.MOMENTUM + ")")
  Double momentum;

  @Option(names = "--dampening", description = "sgd: dampening of the momentum (default "
      + MomentumSgd.DAMPENING + ")")
  Double dampening;

  @Option(names = "--nesterov", description = "sgd: Nesterov momentum")
  Boolean nesterov;

  @Option(names = "--beta1", description = "adam, adamw, lamb: first-moment decay"
      + " (default " + Adam.BETA1 + ")")
  Double beta1;

  @Option(names = "--beta2", description = "adam, adamw, lamb: second-moment"
      + " decay (default " + Adam.BETA2 + ")")
  Double beta2;

  @Option(names = "--eps", description = "adagrad, rmsprop, adam, adamw, lamb: term added to the denominator")
  Double eps;

  @Option(names = "--amsgrad", description = "adam, adamw: the AMSGrad variant")
  Boolean amsgrad;

  @Option(names = "--weight-decay", description = "adamw, lamb: decoupled weight decay (not on the intercept)")
  Double weightDecay;

  @Option(names = {"--alpha", "--rho"}, description = "rmsprop: smoothing constant"
      + " (default " + RmsProp.ALPHA + ")")
  Double alpha;

  @Option(names = "--centered", description = "rmsprop: normalize by the centered second moment")
  Boolean centered;

  @Option(names = "--lr-decay", description = "adagrad: learning-rate decay (default "
      + Adagrad.LR_DECAY + ")")
  Double lrDecay;

  @Option(names = "--initial-accumulator", description = "adagrad: initial accumulator"
      + " value (default " + Adagrad.INITIAL_ACCUMULATOR_VALUE + ")")
  Double initialAccumulator;

  @Option(names = "--kappa", description = "delta-bar-delta: additive gain"
      + " increase (default " + DeltaBarDelta.KAPPA + ")")
  Double kappa;

  @Option(names = "--phi", description = "delta-bar-delta: multiplicative gain"
      + " decrease (default " + DeltaBarDelta.PHI + ")")
  Double phi;

  @Option(names = "--theta", description = "delta-bar-delta: smoothing of the"
      + " gradient trace (default " + DeltaBarDelta.THETA + ")")
  Double theta;

  @Option(names = "--history", description = "lbfgs: correction pairs kept (default "
      + Lbfgs.HISTORY + ")")
  Integer history;

  @Option(names = "--lr", description = "learning rate (default: "
      + TrainingConfig.DEFAULT_LEARNING_RATE + "; 1 for newton and lbfgs, where it is the first"
      + " trial step of the line search)")
  Double lr;

  @Option(names = "--batch-size", description = "rows per step across the cluster (default: full batch)")
  Long batchSize;

  @Option(names = "--batch-fraction", description = "fraction of the rows per step, in (0, 1]")
  Double batchFraction;

  @Option(names = "--reg-l2", defaultValue = "0", description = "L2 penalty (regL2/2)||w||² (default: 0)")
  double regL2;

  @Option(names = "--reg", description = "elastic-net strength λ: λ(α||w||₁ + (1−α)/2·||w||²),"
      + " as Spark ML's regParam (instead of --reg-l2)")
  Double reg;

  @Option(names = "--elastic-net", description = "elastic-net mixing α in [0, 1] with --reg: 0 is"
      + " L2, 1 is L1 (soft threshold after each step; first-order optimizers) (default 0)")
  Double elasticNet;

  @Option(names = "--standardize", description = "train on features scaled by their standard"
      + " deviation (one distributed pass; the penalty applies to the scaled coefficients);"
      + " the model is written in the original scale")
  boolean standardize;

  @Option(names = "--sparse-update", paramLabel = "MODE", description = "on sparse data, how a"
      + " step treats the coordinates its batch did not touch: exact (the dense step's model,"
      + " where the optimizer has an exact sparse form; otherwise the step stays dense) or lazy"
      + " (only the touched coordinates move: LazyAdam, cumulative L1) (default exact)")
  String sparseUpdate;

  @Option(names = "--clip-value", description = "clip each gradient entry to [-v, v]")
  Double clipValue;

  @Option(names = "--clip-norm", description = "rescale the gradient to this L2 norm when larger")
  Double clipNorm;

  @Option(names = "--average", description = "none, polyak, tail or ema: the model holds the"
      + " average of the iterates (default: none)")
  String average;

  @Option(names = "--average-start", description = "polyak: first step averaged (default 1)")
  Long averageStart;

  @Option(names = "--average-last", description = "tail: the last N steps are averaged")
  Long averageLast;

  @Option(names = "--average-decay", description = "ema: weight of the past (default "
      + TrainingConfig.DEFAULT_AVERAGE_DECAY + ")")
  Double averageDecay;

  // Box constraints (docs/constraints.md).
  @Option(names = "--lower-bounds", paramLabel = "VALUES", description = "lower bounds on the"
      + " coefficients: one value for all, a comma list of one per coefficient (inf, -inf: free),"
      + " or a file of one value a line; every optimizer keeps its iterates in the box")
  String lowerBounds;

  @Option(names = "--upper-bounds", paramLabel = "VALUES", description = "upper bounds on the"
      + " coefficients, as --lower-bounds")
  String upperBounds;

  @Option(names = "--lower-intercept", paramLabel = "VALUES", description = "lower bound on the"
      + " intercept (softmax: one value, or one per class)")
  String lowerIntercept;

  @Option(names = "--upper-intercept", paramLabel = "VALUES", description = "upper bound on the"
      + " intercept (softmax: one value, or one per class)")
  String upperIntercept;

  @Option(names = "--non-negative", description = "every coefficient >= 0 (--lower-bounds 0)")
  boolean nonNegative;

  @Option(names = "--grad-tol", defaultValue = "0",
      description = "stop when the gradient's L2 norm is at most this (default: 0, off)")
  double gradTol;

  @Option(names = "--validation-fraction", description = "hold out this fraction of the rows"
      + " (drawn with --seed) as validation data")
  Double validationFraction;

  @Option(names = "--test", description = "validation data file (same format and feature count)")
  String test;

  @Option(names = "--checkpoint-dir", description = "directory (any Hadoop file system path)"
      + " for checkpoints of the whole training state")
  String checkpointDir;

  @Option(names = "--checkpoint-every", description = "steps between checkpoints (default "
      + DEFAULT_CHECKPOINT_EVERY + ")")
  Long checkpointEvery;

  @Option(names = "--keep-checkpoints", description = "checkpoints kept (default "
      + DEFAULT_KEEP_CHECKPOINTS + ")")
  Integer keepCheckpoints;

  @Option(names = "--resume", description = "continue from the newest valid checkpoint in"
      + " --checkpoint-dir of this configuration and data (a fresh start when there is none)")
  boolean resume;

  @Option(names = "--patience", description = "stop after this many validation evaluations"
      + " (every --eval-every steps) without a new best, keeping the best parameters")
  Integer patience;

  @Option(names = "--seed", description = "seed of the shuffle (default: " + TrainingConfig.DEFAULT_SEED + ")")
  long seed = TrainingConfig.DEFAULT_SEED;

  @Option(names = "--max-steps", description = "step budget (default: "
      + TrainingConfig.DEFAULT_MAX_STEPS + " unless --epochs is given)")
  Long maxSteps;

  @Option(names = "--epochs", description = "passes over the data")
  Double epochs;

  @Option(names = "--min-step-size", defaultValue = "0",
      description = "stop when ||lr·g|| falls below this (default: 0, off)")
  double minStepSize;

  @Option(names = "--tol", defaultValue = "0",
      description = "stop when the full objective changes by less than this fraction (default: 0, off)")
  double tol;

  @Option(names = "--eval-every", description = "steps between full-objective evaluations for --tol (default: "
      + TrainingConfig.DEFAULT_EVAL_EVERY + ")")
  int evalEvery = TrainingConfig.DEFAULT_EVAL_EVERY;

  @Option(names = "--local-steps", paramLabel = "H", description = "rounds of local SGD: each"
      + " task takes H inner steps over its partition's windows, then the driver averages the"
      + " workers' changes and --optimizer steps along them (default: 1, synchronous steps)")
  int localSteps = 1;

  @Option(names = "--local-steps-after", paramLabel = "STEP", description = "post-local SGD:"
      + " the first STEP steps are synchronous rounds of one step, then rounds of H")
  Long localStepsAfter;

  @Option(names = "--inner-optimizer", description = "local steps: sgd, momentum or adam,"
      + " fresh each round (default: sgd)")
  String innerOptimizer;

  @Option(names = "--inner-lr", description = "local steps: the inner learning rate (default: "
      + descent.driver.LocalSteps.DEFAULT_INNER_LEARNING_RATE + ")")
  Double innerLr;

  @Option(names = "--inner-momentum", description = "--inner-optimizer momentum: μ (default: "
      + descent.driver.LocalSteps.DEFAULT_INNER_MOMENTUM + ")")
  Double innerMomentum;

  @Option(names = "--inner-schedule", paramLabel = "SPEC", description = "local steps: the"
      + " inner rate's schedule in the --schedule-chain grammar, counted in steps, held for a"
      + " round (default: constant)")
  String innerSchedule;

  // Linear equality constraints A w = c (augmented Lagrangian); see docs/equality-constraints.md.
  @Option(names = "--equality", paramLabel = "FILE", description = "linear equality"
      + " constraints A w = c, one a line as 'index:value ... = c' (LIBSVM indices from 1; not"
      + " the intercept), met by the augmented Lagrangian method; the multipliers go to"
      + " model.json")
  java.nio.file.Path equality;

  @Option(names = "--constraint-tol", description = "--equality: the run ends once ||A w - c||"
      + " is at most this after an inner problem converged (default "
      + descent.driver.EqualityConstraints.DEFAULT_TOL + ")")
  Double constraintTol;

  @Option(names = "--equality-penalty", paramLabel = "RHO", description = "--equality: the"
      + " first penalty ρ on ||A w - c||²/2, multiplied by 10 whenever an outer iteration did"
      + " not shrink the residual to a quarter (default "
      + descent.driver.EqualityConstraints.DEFAULT_PENALTY + ")")
  Double equalityPenalty;

  @Option(names = "--aggregation-depth", description = "treeAggregate depth; 0 picks 1 while"
      + " the partial sums of all partitions fit in 32 MiB, else 2 (default: 0)")
  int aggregationDepth = TrainingConfig.DEFAULT_AGGREGATION_DEPTH;

  @Option(names = "--output", required = true,
      description = "directory for model.json, metrics.csv and metrics.jsonl: a local path or a"
          + " Hadoop URI (hdfs://...)")
  String output;

  @Option(names = "--progress-seconds", defaultValue = "5",
      description = "seconds between progress lines when not on a terminal"
          + " (default: ${DEFAULT-VALUE})")
  double progressSeconds;

  @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
      description = "auto (one updating line on a terminal, else a line every --progress-seconds),"
          + " update, lines or off (default: ${DEFAULT-VALUE}; off under --trace)")
  String progress;

  @Option(names = "--trace", description = "print every step's derivatives, step sizes and new"
      + " parameters (the first " + TraceListener.MAX_ROWS + " parameters)")
  boolean trace;

  @Option(names = "--report", description = "write report.html and its PNG charts to --output at"
      + " the end (as descent report)")
  boolean report;

  @Option(names = "--initial-params", split = ",", paramLabel = "W1,...[,B]",
      description = "starting parameters: one per feature, then the intercept with --intercept"
          + " (default: all 0)")
  double[] initialParams;

  @Option(names = "--initial-model", paramLabel = "DIR",
      description = "warm start: begin from the parameters of this model (a train output"
          + " directory or its model.json, local or a Hadoop URI) of the same model type,"
          + " features, classes and intercept setting")
  String initialModel;

  /** The model of --initial-model once read and checked against the options, else null. */
  private LinearModel startModel;

  /**
   * The problems with the options that only the command line has (validation data, warm start,
   * checkpoints, the elastic net's pair of options); thrown before anything is read.
   */
  void checkOptions() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (huberDelta != null && !ModelType.parse(model).usesHuberDelta()) {
      throw Param.HUBER_DELTA.invalid("applies to " + Param.MODEL_TYPE.ref() + " huber only");
    }
    if (reg != null || elasticNet != null) {
      if (reg == null) {
        problems.add(ConfigProblem.of(Param.ELASTIC_NET, Param.ELASTIC_NET.ref() + " needs "
            + Param.REG.ref()));
      } else if (!(reg >= 0) || Double.isInfinite(reg)) {
        problems.add(Param.REG.problem("must be a non-negative number, got " + reg));
      }
      if (elasticNet != null && !(elasticNet >= 0 && elasticNet <= 1)) {
        problems.add(Param.ELASTIC_NET.problem("must be in [0, 1], got " + elasticNet));
      }
      if (regL2 != 0) {
        problems.add(ConfigProblem.of(Param.REG, "give " + Param.REG.ref() + " (with "
            + Param.ELASTIC_NET.ref() + ") or " + Param.REG_L2.ref() + ", not both"));
      }
      InvalidConfigException.throwIfAny(problems);
    }
    if (equality == null && (constraintTol != null || equalityPenalty != null)) {
      throw new InvalidConfigException(ConfigProblem.of(constraintTol != null
          ? Param.CONSTRAINT_TOL : Param.EQUALITY_PENALTY, (constraintTol != null
              ? Param.CONSTRAINT_TOL.ref() : Param.EQUALITY_PENALTY.ref()) + " needs "
              + Param.EQUALITY.ref()));
    }
    if (pretrainEpochs > 0 && initialModel != null) {
      throw new InvalidConfigException(ConfigProblem.of(Param.PRETRAIN_EPOCHS,
          Param.PRETRAIN_EPOCHS.ref() + " cannot be combined with --initial-model: the warm"
              + " start already gives every layer, which pre-training would replace"));
    }
    List<String> validationProblems = new ArrayList<>();
    if (initialParams != null && initialModel != null) {
      validationProblems.add("give --initial-params or --initial-model, not both");
    }
    if (validationFraction != null && test != null) {
      validationProblems.add("give --validation-fraction or --test, not both");
    }
    if (validationFraction != null && !(validationFraction > 0 && validationFraction < 1)) {
      validationProblems.add("--validation-fraction must be in (0, 1), got " + validationFraction);
    }
    if (patience != null && validationFraction == null && test == null) {
      validationProblems.add("--patience needs validation data: --validation-fraction or --test");
    }
    if (checkpointDir == null && (checkpointEvery != null || keepCheckpoints != null || resume)) {
      validationProblems.add("--checkpoint-every, --keep-checkpoints and --resume need"
          + " --checkpoint-dir");
    }
    if (checkpointEvery != null && checkpointEvery < 1) {
      validationProblems.add("--checkpoint-every must be positive, got " + checkpointEvery);
    }
    if (keepCheckpoints != null && keepCheckpoints < 1) {
      validationProblems.add("--keep-checkpoints must be positive, got " + keepCheckpoints);
    }
    if (!validationProblems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", validationProblems));
    }
  }

  /**
   * The run's configuration, built once from the options (and the --initial-model's parameters
   * and classes when one is given, after {@link #checkOptions()}) and validated; nothing is
   * defaulted here that the driver defaults (the learning rate is the optimizer's unless --lr
   * is given).
   */
  TrainingConfig config() {
    OptimizerConfig optimizerConfig = new OptimizerConfig(optimizer, momentum, dampening,
        nesterov, beta1, beta2, eps, amsgrad, weightDecay, alpha, centered, lrDecay,
        initialAccumulator, kappa, phi, theta, history);
    TrainingConfig.Builder builder = TrainingConfig.builder()
        .modelType(ModelType.parse(model))
        .fitIntercept(fitsIntercept())
        .hidden(hidden)
        .activation(activation)
        .outputLoss(outputLoss)
        .batchNorm(batchNorm)
        .pretrainEpochs(pretrainEpochs)
        .optimizer(optimizerConfig)
        .batchSize(batchSize)
        .batchFraction(batchFraction)
        .regL2(regL2)
        .seed(seed)
        .maxSteps(maxSteps)
        .epochs(epochs)
        .minStepSize(minStepSize)
        .tol(tol)
        .evalEvery(evalEvery)
        .aggregationDepth(aggregationDepth)
        .clipValue(clipValue)
        .clipNorm(clipNorm)
        .average(average)
        .averageStart(averageStart)
        .averageLast(averageLast)
        .averageDecay(averageDecay)
        .gradTol(gradTol)
        .patience(patience)
        .standardize(standardize)
        .numClasses(numClasses)
        .initialParams(startModel != null ? startModel.params() : initialParams)
        .schedule(scheduleOptions.spec())
        .localSteps(localSteps)
        .localStepsAfter(localStepsAfter)
        .innerOptimizer(innerOptimizer)
        .innerLearningRate(innerLr)
        .innerMomentum(innerMomentum)
        .innerSchedule(innerSchedule == null ? null
            : descent.driver.schedule.ScheduleSpec.parse(innerSchedule))
        .bounds(bounds());
    if (sparseUpdate != null) {
      builder.sparseUpdate(sparseUpdate);
    }
    if (lr != null) {
      builder.learningRate(lr);
    }
    if (huberDelta != null) {
      builder.huberDelta(huberDelta);
    }
    if (reg != null) {
      builder.elasticNet(reg, elasticNet == null ? 0.0 : elasticNet);
    }
    if (equality != null) {
      descent.driver.EqualityConstraints constraints =
          descent.driver.EqualityConstraints.read(equality);
      if (constraintTol != null) {
        constraints = constraints.withTol(constraintTol);
      }
      if (equalityPenalty != null) {
        constraints = constraints.withPenalty(equalityPenalty);
      }
      builder.equality(constraints);
    }
    return builder.build().validate();
  }

  /**
   * The box of --lower-bounds, --upper-bounds, --lower-intercept, --upper-intercept and
   * --non-negative, or null when none is given; a bound's values are read here (a file too).
   */
  BoxConstraints bounds() {
    if (nonNegative && lowerBounds != null) {
      throw new InvalidConfigException(ConfigProblem.of(Param.NON_NEGATIVE, "give "
          + Param.NON_NEGATIVE.ref() + " or " + Param.LOWER_BOUNDS.ref() + ", not both"));
    }
    double[] lower = nonNegative ? new double[] {0.0} : values(lowerBounds, Param.LOWER_BOUNDS);
    return new BoxConstraints(lower, values(upperBounds, Param.UPPER_BOUNDS),
        values(lowerIntercept, Param.LOWER_INTERCEPT),
        values(upperIntercept, Param.UPPER_INTERCEPT)).orNull();
  }

  private static double[] values(String text, Param param) {
    return text == null ? null : BoxConstraints.parseValues(text, param);
  }

  /**
   * With --num-features (and the classes of a softmax model) known, the bounds' counts are
   * checked against the model before Spark starts; otherwise the trainer checks them once the
   * data gives the feature count, before its first job.
   */
  private void checkBoundsCounts(TrainingConfig config, int numFeatures) {
    if (config.bounds() == null || numFeatures <= 0) {
      return;
    }
    int outputs = config.modelType().isMulticlass()
        ? (config.numClasses() == null ? 0 : config.numClasses()) : 1;
    if (outputs > 0) {
      config.bounds().resolve(numFeatures, outputs, config.fitIntercept());
    }
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    if (initialModel != null) {
      startModel = loadInitialModel(ModelType.parse(model));
      if (startModel.outputType().isMulticlass() && numClasses == null) {
        // The model's K, so that its parameters fit; labels beyond K−1 are then an input error.
        numClasses = startModel.numOutputs();
      }
    }
    TrainingConfig config = config();
    ProgressListener.Mode mode = progressMode();
    DataReader.Spec spec = dataOptions.spec(startModel == null ? 0 : startModel.numFeatures(),
        dataOptions.hashBitsFor(startModel, initialModel == null ? null : modelFile(initialModel)));
    checkBoundsCounts(config, spec.numFeatures());
    DataReader.requireExists(spec.path());
    if (test != null) {
      DataReader.requireExists(test);
    }
    OutputDir out = OutputDir.of(output);
    if (out.exists() && !out.isDirectory()) {
      throw new IllegalArgumentException(Errors.redact(out.toString())
          + ": --output exists and is not a directory");
    }
    SparkOptions.Session session = sparkOptions.session("descent train");
    try {
      SparkSession spark = session.spark();
      TrainingData[] loaded = DataReader.load(spark, spec, config.labelDomain(), config.seed(),
          true, startModel != null && dataOptions.numFeatures == 0
              ? "the feature count of the --initial-model" : "--num-features",
          validationFraction == null ? 0.0 : validationFraction);
      TrainingData data = loaded[0];
      TrainingData validation = loaded[1];
      if (startModel != null && data.numFeatures() != startModel.numFeatures()) {
        throw new IllegalArgumentException(modelFile(initialModel) + ": the initial model has "
            + startModel.numFeatures() + " features; the data has " + data.numFeatures());
      }
      if (config.learnsClasses()) {
        // K from the labels of every row read (both parts of a split); the test file is then
        // held to labels 0..K-1 as it is read.
        numClasses = Math.max(2, Math.max(data.labelClasses(),
            validation == null ? 0 : validation.labelClasses()));
        config = config.withNumClasses(numClasses);
        System.out.printf(Locale.ROOT, "classes: %d (labels 0..%d)%n", numClasses,
            numClasses - 1);
      }
      if (test != null) {
        validation = DataReader.load(spark, new DataReader.Spec(test, spec.format(),
            data.numFeatures(), spec.partitions(), spec.labelColumn(), spec.labelCol(),
            spec.featuresCol(), spec.weightColumn(), spec.weightCol(), spec.hashBits()),
            config.labelDomain(),
            config.seed(), true,
            "the training data's feature count");
      }
      if (validation != null) {
        System.out.printf(Locale.ROOT, "validation: %s, %d rows%n", Errors.redact(validation.source()),
            validation.totalRows());
      }
      System.out.printf(Locale.ROOT, "data: %s, %d rows x %d features%s in %d partitions%n",
          Errors.redact(spec.path()), data.totalRows(), data.numFeatures(),
          spec.hashBits() > 0 ? " (indices hashed into 2^" + spec.hashBits() + ")" : "",
          data.partitionRows().length);
      out.create();
      ProgressListener progressLine = new ProgressListener(System.out, mode, progressSeconds,
          config.localSteps().enabled());
      TrainingResult result;
      boolean rounds = config.localSteps().enabled();
      MetricsWriter metrics = new MetricsWriter(out, config.localSteps());
      try {
        TrainingListener resumeNote = new TrainingListener() {
          @Override
          public void onStep(descent.driver.StepReport report) {}

          @Override
          public void onResume(long step) {
            System.out.println("resumed from " + (rounds ? "round " : "step ") + step
                + " (checkpoints in " + checkpointDir + ")"
                + (pretrainEpochs > 0 ? "; pre-training ran before it" : ""));
          }

          @Override
          public void onStageStart(int stage, int stages, int[] widths, long steps,
              double[] params) {
            System.out.printf(Locale.ROOT, "pre-training stage %d/%d: network %s, training"
                + " layers %d-%d%s, %d steps (%d epochs)%n", stage, stages,
                descent.driver.Pretraining.network(widths), stage, stage + 1,
                stage == 1 ? "" : stage == 2 ? " on layer 1 frozen"
                    : " on layers 1-" + (stage - 1) + " frozen", steps,
                pretrainEpochs);
          }

          @Override
          public void onStageEnd(descent.driver.Pretraining.Stage stage, double[] params) {
            System.out.printf(Locale.ROOT, "pre-training stage %d done: objective %.6g in %.1f"
                + " s%n", stage.stage(), stage.objective(), stage.seconds());
          }
        };
        if (config.pretrainEpochs() > 0 && checkpointDir != null) {
          System.out.println("checkpoints are taken after pre-training; a run stopped during it"
              + " pre-trains again on --resume");
        }
        TrainingListener listener = trace
            ? TrainingListener.all(new TraceListener(System.out, config.fitIntercept()), metrics,
                progressLine, resumeNote)
            : TrainingListener.all(metrics, progressLine, resumeNote);
        Trainer trainer = new Trainer(config, listener);
        if (checkpointDir != null) {
          trainer.withCheckpoints(new Checkpoints(checkpointDir,
              checkpointEvery != null ? checkpointEvery : DEFAULT_CHECKPOINT_EVERY,
              keepCheckpoints != null ? keepCheckpoints : DEFAULT_KEEP_CHECKPOINTS, resume,
              dataFingerprint(spec.path(), test, spec.hashBits()), System.err));
        }
        try {
          result = trainer.train(data, validation);
        } catch (Exception e) {
          throw Errors.unwrap(e);
        } finally {
          progressLine.finish();
        }
      } catch (Exception e) {
        metrics.discard();
        throw e;
      }
      TrainingSummary summary = TrainingSummary.of(config, data, result)
          .withData(Errors.redact(spec.path()), spec.format().name().toLowerCase(Locale.ROOT));
      if (startModel != null) {
        Object steps = startModel.training().get("steps");
        summary = summary.withInitialModel(Errors.redact(LinearModel.modelFile(initialModel,
            true)), steps instanceof Number n ? n.longValue() : null);
      }
      LinearModel trained = LinearModel.of(config, data.numFeatures(), result, summary.toMap())
          .withFeatureHashing(spec.hashBits());
      metrics.commit();
      trained.save(out);
      if (!"dense".equals(result.driverStep())) {
        System.out.println("driver step: " + result.driverStep());
      }
      System.out.printf(Locale.ROOT,
          "trained %s model: %d %s (%.2f epochs), objective %.15g, stopped by %s in %.1f s%n"
              + "wrote %s, %s and %s%n",
          config.modelType().id(), result.steps(), rounds ? "rounds" : "steps", result.epochs(),
          result.objective(),
          result.stopReason().id(), result.seconds(),
          Errors.redact(out.file(LinearModel.FILE)), Errors.redact(out.file(MetricsWriter.CSV)),
          Errors.redact(out.file(MetricsWriter.JSONL)));
      if (result.equality() != null) {
        printEquality(result.equality());
      }
      if (report) {
        List<String> written = Report.write(List.of(out), out, "report.html");
        System.out.println("wrote " + Errors.redact(written.get(0)) + " and " + (written.size() - 1)
            + " PNG charts");
      }
      data.unpersist();
      if (validation != null) {
        validation.unpersist();
      }
      return 0;
    } finally {
      session.close();
    }
  }

  /**
   * The outcome of the equality constraints: whether they are met, and each one's multiplier
   * λ_i (with {@code ∇f + Aᵀλ = 0}, so the optimum falls by λ_i per unit increase of c_i) and
   * residual.
   */
  private static void printEquality(descent.driver.AugmentedLagrangian.Report e) {
    System.out.printf(Locale.ROOT, "equality constraints: ||A w - c|| = %.3g %s --constraint-tol"
        + " %.3g after %d outer iterations (penalty %.3g)%n", e.residualNorm(),
        e.satisfied() ? "<=" : "> (NOT met within the step budget)", e.tol(),
        e.outerIterations(), e.penalty());
    for (int i = 0; i < e.lines().length; i++) {
      System.out.printf(Locale.ROOT, "  line %d: = %.6g, multiplier %.9g, residual %.3g%n",
          e.lines()[i], e.targets()[i], e.multipliers()[i], e.residuals()[i]);
    }
  }

  /**
   * Reads --initial-model and checks that it fits this run: the same model type, intercept
   * setting, and (when given) --num-features and --num-classes. One line names the file and
   * every mismatch; no Spark job has run yet.
   */
  private LinearModel loadInitialModel(ModelType modelType) throws IOException {
    LinearModel m = LinearModel.load(initialModel);
    List<String> mismatches = new ArrayList<>();
    if (m.modelType() != modelType) {
      mismatches.add("it is a " + m.modelType().id() + " model; this run trains "
          + modelType.id());
    } else if (m.outputType().isMulticlass() && numClasses != null
        && numClasses != m.numOutputs()) {
      mismatches.add("it has " + m.numOutputs() + " classes; --num-classes is " + numClasses);
    }
    if (m.network() != null && modelType == m.modelType()) {
      descent.driver.NetworkSpec wanted = config().network();
      if (!m.network().equals(wanted)) {
        mismatches.add("its layers are " + m.network() + "; this run has " + wanted);
      }
    }
    if (dataOptions.numFeatures > 0 && dataOptions.numFeatures != m.numFeatures()) {
      mismatches.add("it has " + m.numFeatures() + " features; --num-features is "
          + dataOptions.numFeatures);
    }
    if (m.fitIntercept() != fitsIntercept()) {
      mismatches.add(m.fitIntercept() ? "it has an intercept; this run fits none (add"
          + " --intercept)" : "it has no intercept; this run fits one (drop --intercept)");
    }
    if (!mismatches.isEmpty()) {
      throw new IllegalArgumentException(modelFile(initialModel) + ": the --initial-model does"
          + " not fit this run: " + String.join("; ", mismatches));
    }
    return m;
  }

  /** Whether the run fits intercepts: with --intercept, and always for a network's biases. */
  private boolean fitsIntercept() {
    return intercept || ModelType.parse(model).isNetwork();
  }

  /** The model.json that {@code location} (a directory or the file) names, for messages. */
  private static String modelFile(String location) throws IOException {
    return Errors.redact(LinearModel.modelFile(location, false));
  }

  /** The progress mode: --progress, with auto resolved by whether the JVM has a console. */
  ProgressListener.Mode progressMode() {
    ProgressListener.Mode mode = ProgressListener.Mode.parse(progress);
    if (trace && mode == ProgressListener.Mode.AUTO) {
      return ProgressListener.Mode.OFF;
    }
    return mode.resolve(System.console() != null);
  }

  /**
   * Path, size and modification time of each input, for the checkpoint fingerprint, and the bits
   * of {@code --hash-features} when the run hashes (another hashing makes other features of the
   * same file).
   */
  static Map<String, String> dataFingerprint(String path, String test, int hashBits)
      throws IOException {
    Map<String, String> f = new TreeMap<>();
    if (hashBits > 0) {
      f.put("data.hashFeatures", Integer.toString(hashBits));
    }
    f.put("data.path", Errors.redact(path));
    f.put("data.files", files(path));
    if (test != null) {
      f.put("test.path", Errors.redact(test));
      f.put("test.files", files(test));
    }
    return f;
  }

  private static String files(String path) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
    StringBuilder b = new StringBuilder();
    org.apache.hadoop.fs.FileStatus[] matches = fs.globStatus(p);
    if (matches != null) {
      for (org.apache.hadoop.fs.FileStatus s : matches) {
        b.append(s.getPath().getName()).append(':').append(s.getLen()).append(':')
            .append(s.getModificationTime()).append(' ');
      }
    }
    return b.toString().trim();
  }
}
