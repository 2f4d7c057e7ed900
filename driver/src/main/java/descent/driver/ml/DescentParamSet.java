package descent.driver.ml;

import descent.core.Activation;
import descent.core.OutputLoss;
import descent.driver.NetworkSpec;
import descent.driver.OptimizerConfig;
import descent.driver.TrainingConfig;
import descent.driver.schedule.ScheduleSpec;
import java.io.Serializable;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import scala.Function1;

/**
 * The params every descent estimator and model declares, owned by one stage (their parent is the
 * stage's uid). Spark ML's own names and docs where Spark has the param; descent's for the
 * optimizer. {@link #setDefaults} writes each default once.
 */
public final class DescentParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Spark ML's default {@code maxIter}; for descent it is the step budget. */
  public static final int DEFAULT_MAX_ITER = 100;
  /** Spark ML's default {@code tol}. */
  public static final double DEFAULT_TOL = 1e-6;
  /** L-BFGS, Spark ML's own solver for these models; any descent optimizer can be named. */
  public static final String DEFAULT_OPTIMIZER = "lbfgs";

  final IntParam maxIter;
  final DoubleParam regParam;
  final DoubleParam elasticNetParam;
  final BooleanParam fitIntercept;
  final BooleanParam standardization;
  final DoubleParam tol;
  final IntParam aggregationDepth;
  final Param<String> weightCol;
  final Param<String> optimizer;
  final DoubleParam learningRate;
  final LongParam batchSize;
  final IntParam localSteps;
  final Param<String> sparseUpdate;
  final Param<String> schedule;
  final LongParam seed;
  final Param<String> family;
  final Param<Matrix> lowerBoundsOnCoefficients;
  final Param<Matrix> upperBoundsOnCoefficients;
  final Param<Vector> lowerBoundsOnIntercepts;
  final Param<Vector> upperBoundsOnIntercepts;
  final IntArrayParam hiddenLayers;
  final Param<String> activation;
  final Param<String> outputLoss;
  final BooleanParam batchNorm;
  final org.apache.spark.ml.param.IntParam pretrainEpochs;

  DescentParamSet(Identifiable owner) {
    maxIter = new IntParam(owner, "maxIter",
        "maximum number of iterations (>= 0): descent's step budget", ParamValidators.gtEq(0));
    regParam = new DoubleParam(owner, "regParam", "regularization parameter (>= 0)",
        ParamValidators.gtEq(0));
    elasticNetParam = new DoubleParam(owner, "elasticNetParam", "the ElasticNet mixing"
        + " parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. For"
        + " alpha = 1, it is an L1 penalty (which needs a first-order optimizer)",
        ParamValidators.inRange(0, 1));
    fitIntercept = new BooleanParam(owner, "fitIntercept",
        "whether to fit an intercept term");
    standardization = new BooleanParam(owner, "standardization", "whether to standardize the"
        + " training features before fitting the model (the coefficients are returned in the"
        + " original scale)");
    tol = new DoubleParam(owner, "tol", "the convergence tolerance for iterative algorithms"
        + " (>= 0): relative change of the full objective", ParamValidators.gtEq(0));
    aggregationDepth = new IntParam(owner, "aggregationDepth",
        "depth for treeAggregate (>= 1), or 0 (descent's default): 1 while the partial sums"
            + " of all partitions fit in 32 MiB, else 2", ParamValidators.gtEq(0));
    weightCol = new Param<>(owner, "weightCol", "weight column name. If this is not set or"
        + " empty, we treat all instance weights as 1.0");
    optimizer = new Param<>(owner, "optimizer", "descent's optimizer: one of "
        + String.join(", ", OptimizerConfig.names()),
        ParamValidators.inArray(OptimizerConfig.names()));
    learningRate = new DoubleParam(owner, "learningRate", "the (first) learning rate (> 0);"
        + " unset: the optimizer's own (1 for lbfgs and newton, the first trial step of their"
        + " line search, " + TrainingConfig.DEFAULT_LEARNING_RATE + " otherwise)",
        ParamValidators.gt(0));
    batchSize = new LongParam(owner, "batchSize", "rows per mini-batch step across the cluster"
        + " (>= 0); 0 means full batch", ParamValidators.gtEq(0));
    localSteps = new IntParam(owner, "localSteps", "inner steps each task takes over its"
        + " partition's mini-batches before the driver averages the workers' changes (>= 1);"
        + " 1 is the synchronous step. Above 1 needs a first-order optimizer (the outer one, at"
        + " learningRate, default 1: model averaging); the inner one is sgd at rate "
        + descent.driver.LocalSteps.DEFAULT_INNER_LEARNING_RATE, ParamValidators.gtEq(1));
    sparseUpdate = new Param<>(owner, "sparseUpdate", "on sparse vectors, how a mini-batch step"
        + " treats the coordinates its batch did not touch: exact (the dense step's model, where"
        + " the optimizer has an exact sparse form; otherwise the step stays dense) or lazy (only"
        + " the touched coordinates move: LazyAdam, cumulative L1)",
        ParamValidators.inArray(new String[] {"exact", "lazy"}));
    schedule = new Param<>(owner, "schedule", "learning-rate schedule, starting from"
        + " learningRate: NAME or NAME(key=value, ...), or stages in sequence as"
        + " STAGE@STEPS, ..., STAGE (for example 'cosine', 'step(step-size=10, gamma=0.5)',"
        + " 'linear(tau=100)@100, plateau(patience=5)'); NAME is one of "
        + String.join(", ", ScheduleSpec.names()) + "; a cosine or linear without its length"
        + " lasts maxIter steps", validator(DescentParamSet::isSchedule));
    seed = new LongParam(owner, "seed", "random seed (the shuffle of each partition's rows, and"
        + " a network's initial weights)");
    family = new Param<>(owner, "family", "The name of family which is a description of the"
        + " label distribution to be used in the model. Supported options: auto, binomial,"
        + " multinomial.", ParamValidators.inArray(new String[] {"auto", "binomial",
            "multinomial"}));
    // Spark ML LogisticRegression's names and texts; unset: that side is free.
    lowerBoundsOnCoefficients = new Param<>(owner, "lowerBoundsOnCoefficients", "The lower"
        + " bounds on coefficients if fitting under bound constrained optimization. The bound"
        + " matrix must be compatible with the shape (1, number of features) for binomial"
        + " regression, or (number of classes, number of features) for multinomial regression.");
    upperBoundsOnCoefficients = new Param<>(owner, "upperBoundsOnCoefficients", "The upper"
        + " bounds on coefficients if fitting under bound constrained optimization. The bound"
        + " matrix must be compatible with the shape (1, number of features) for binomial"
        + " regression, or (number of classes, number of features) for multinomial regression.");
    lowerBoundsOnIntercepts = new Param<>(owner, "lowerBoundsOnIntercepts", "The lower bounds on"
        + " intercepts if fitting under bound constrained optimization. The bounds vector size"
        + " must be equal with 1 for binomial regression, or the number of classes for"
        + " multinomial regression.");
    upperBoundsOnIntercepts = new Param<>(owner, "upperBoundsOnIntercepts", "The upper bounds on"
        + " intercepts if fitting under bound constrained optimization. The bounds vector size"
        + " must be equal with 1 for binomial regression, or the number of classes for"
        + " multinomial regression.");
    // A network's layout (NetworkParams): the hidden widths only, unlike Spark ML's
    // MultilayerPerceptronClassifier's layers, which also name the input and output widths.
    hiddenLayers = new IntArrayParam((Params) owner, "hiddenLayers", "the hidden layers' widths"
        + " n_1..n_L, at least one layer of at least one unit (the input width is the features',"
        + " the output width the classes' or 1)");
    activation = new Param<>(owner, "activation", "the hidden layers' activation: "
        + ACTIVATIONS, ParamValidators.inArray(ACTIVATIONS.split(", ")));
    outputLoss = new Param<>(owner, "outputLoss", "the loss on the network's output layer:"
        + " softmax (K class scores, labels 0..K-1) or logistic (one score, labels 0 and 1)",
        ParamValidators.inArray(new String[] {OutputLoss.SOFTMAX.id(),
            OutputLoss.LOGISTIC.id()}));
    batchNorm = new BooleanParam(owner, "batchNorm", "whether to normalize every hidden layer"
        + " with the mean and variance of each step's whole mini-batch (the model keeps the"
        + " training rows' statistics for inference)");
    pretrainEpochs = new org.apache.spark.ml.param.IntParam(owner, "pretrainEpochs", "epochs of"
        + " each stage of greedy layer-wise pre-training before the fit (0: none); stage s trains"
        + " the first s hidden layers and a fresh output layer, the layers below s frozen",
        ParamValidators.gtEq(0));
  }

  /** The activations a network's hidden layers take, by name. */
  private static final String ACTIVATIONS = java.util.Arrays.stream(Activation.values())
      .map(Activation::id).collect(java.util.stream.Collectors.joining(", "));

  /** Writes the defaults into {@code owner}'s default param map. */
  void setDefaults(Params owner) {
    owner.setDefault(maxIter, DEFAULT_MAX_ITER);
    owner.setDefault(regParam, 0.0);
    owner.setDefault(elasticNetParam, 0.0);
    owner.setDefault(fitIntercept, true);
    owner.setDefault(standardization, true);
    owner.setDefault(tol, DEFAULT_TOL);
    owner.setDefault(aggregationDepth, TrainingConfig.DEFAULT_AGGREGATION_DEPTH);
    owner.setDefault(optimizer, DEFAULT_OPTIMIZER);
    owner.setDefault(batchSize, 0L);
    owner.setDefault(localSteps, 1);
    owner.setDefault(sparseUpdate, "exact");
    owner.setDefault(schedule, "constant");
    owner.setDefault(seed, TrainingConfig.DEFAULT_SEED);
    if (owner instanceof LogisticParams) {
      owner.setDefault(family, "auto");
    }
    if (owner instanceof NetworkParams) {
      owner.setDefault(activation, NetworkSpec.DEFAULT_ACTIVATION.id());
      owner.setDefault(batchNorm, false);
      owner.setDefault(pretrainEpochs, 0);
    }
    if (owner instanceof MlpClassifierParams) {
      owner.setDefault(outputLoss, NetworkSpec.DEFAULT_OUTPUT.id());
    }
  }

  /** Whether {@code text} is in the schedule grammar (its values' ranges are checked by fit). */
  private static boolean isSchedule(String text) {
    try {
      ScheduleSpec.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A serializable validator (params travel in closures with their model). */
  private interface Check extends Function1<String, Object>, Serializable {
    boolean test(String value);

    @Override
    default Object apply(String value) {
      return value != null && test(value);
    }
  }

  private static Function1<String, Object> validator(Check check) {
    return check;
  }
}
