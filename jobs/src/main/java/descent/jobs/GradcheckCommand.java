package descent.jobs;

import descent.core.Loss;
import descent.core.MlpLoss;
import descent.driver.GradientCheck;
import descent.driver.ModelType;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code descent gradcheck}: compares the analytic gradient of a model's objective on a data set
 * with the centred finite difference at a random point (see {@link GradientCheck}), prints the
 * worst few coordinates and the worst relative error, and exits 1 when that exceeds
 * {@code --tolerance}. For checking a loss, old or new, on the data it will train on.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
    description = "Compare the analytic gradient with the centred finite difference"
        + " (f(x+h)-f(x-h))/2h at a random point; print the worst relative error.")
final class GradcheckCommand implements Callable<Integer> {
  /** Rows of the table of worst checks. */
  static final int TABLE_ROWS = 5;

  @Mixin DataOptions dataOptions;
  @Mixin SparkOptions sparkOptions;

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "the model type, as for train: "
      + "linear, logistic, softmax, ...")
  String model;

  @Option(names = "--intercept", description = "the model fits an intercept")
  boolean intercept;

  @Option(names = "--num-classes", description = "softmax: the number of classes K (default:"
      + " the largest label + 1)")
  Integer numClasses;

  @Option(names = "--hidden", split = ",", paramLabel = "N1,N2,...", description = "mlp: the"
      + " hidden layers' widths")
  int[] hidden;

  @Option(names = "--activation", description = "mlp: relu, tanh or sigmoid (default relu)")
  String activation;

  @Option(names = "--output-loss", description = "mlp: softmax, logistic or squared (default"
      + " softmax)")
  String outputLoss;

  @Option(names = "--batch-norm", description = "mlp: batch-normalize every hidden layer (the"
      + " objective of one batch of every row, its statistics computed pass by pass)")
  boolean batchNorm;

  @Option(names = "--huber-delta", description = "huber: where the loss turns from quadratic"
      + " to linear (default 1.0)")
  Double huberDelta;

  @Option(names = "--reg-l2", defaultValue = "0",
      description = "L2 penalty (regL2/2)||w||² of the objective (default: 0)")
  double regL2;

  @Option(names = "--seed", description = "seed of the point and of the coordinates checked"
      + " (default: " + TrainingConfig.DEFAULT_SEED + ")")
  long seed = TrainingConfig.DEFAULT_SEED;

  @Option(names = "--coordinates", description = "check every coordinate up to this many"
      + " parameters, else this many random ones and " + GradientCheck.RANDOM_DIRECTIONS
      + " random directions (default: " + GradientCheck.DEFAULT_COORDINATES + ")")
  int coordinates = GradientCheck.DEFAULT_COORDINATES;

  @Option(names = "--tolerance", description = "the largest relative error that passes"
      + " (default: " + GradientCheck.DEFAULT_TOLERANCE + ")")
  double tolerance = GradientCheck.DEFAULT_TOLERANCE;

  @Override
  public Integer call() throws Exception {
    ModelType type = ModelType.parse(model);
    boolean intercept = this.intercept || type.isNetwork();
    TrainingConfig.Builder builder = TrainingConfig.builder()
        .modelType(type)
        .fitIntercept(intercept)
        .hidden(hidden)
        .activation(activation)
        .outputLoss(outputLoss)
        .batchNorm(batchNorm)
        .regL2(regL2)
        .seed(seed)
        .numClasses(numClasses);
    if (huberDelta != null) {
      builder.huberDelta(huberDelta);
    }
    TrainingConfig config = builder.build().validate();
    if (coordinates < 1) {
      throw new IllegalArgumentException("--coordinates must be positive, got " + coordinates);
    }
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("--tolerance must be a positive number, got "
          + tolerance);
    }
    DataReader.Spec dataSpec = dataOptions.spec(0);
    DataReader.requireExists(dataSpec.path());
    SparkOptions.Session session = sparkOptions.session("descent gradcheck");
    try {
      TrainingData data = DataReader.load(session.spark(), dataSpec, config.labelDomain(),
          config.seed(), false, "--num-features");
      try {
        Loss loss = config.loss(config.learnsClasses() ? Math.max(2, data.labelClasses()) : 0);
        int d = data.numFeatures();
        int k = loss.numOutputs();
        int p = loss.numParams(d, intercept);
        System.out.printf(Locale.ROOT, "data: %s, %d rows x %d features; %s model, %d"
            + " parameters%s%n", dataSpec.path(), data.totalRows(), d, config.modelType().id(),
            p, k > 1 ? " (" + k + " classes)" : "");
        GradientCheck.Result r = GradientCheck.onData(data, loss, intercept, regL2, seed,
            coordinates, tolerance, config.aggregationDepth(data.partitionRows().length, p));
        print(r, d, k, loss);
        GradientCheck.Check worst = r.worst();
        if (!(worst.relativeError() <= tolerance)) {
          spec.commandLine().getErr().printf(Locale.ROOT,
              "descent: gradient check failed: the analytic gradient of the %s objective"
                  + " differs from the centred difference by %.1e at %s (--tolerance %.1e)%s%n",
              config.modelType().id(), worst.relativeError(),
              describe(worst, d, k, loss), tolerance, worst.stepDependent()
                  ? "; the error changed with the step, so a row may lie at a kink of the loss:"
                      + " try another --seed" : "");
          return 1;
        }
        return 0;
      } finally {
        data.unpersist();
      }
    } catch (Exception e) {
      throw Errors.unwrap(e);
    } finally {
      session.close();
    }
  }

  /** The worst few checks as a table, a summary and the final line with the worst error. */
  private void print(GradientCheck.Result r, int d, int k, Loss loss) {
    System.out.printf(Locale.ROOT, "checked %d coordinates%s at a random point (seed %d),"
        + " F = %.15g, h = %.0e·max(1, |θ·u|), %d passes%n", r.coordinates(),
        r.directions() > 0 ? " and " + r.directions() + " random directions" : "", seed,
        r.value(), GradientCheck.RELATIVE_STEP, r.passes());
    System.out.printf(Locale.ROOT, "%-40s %23s %23s %10s%n", "worst", "analytic", "numeric",
        "rel.error");
    for (GradientCheck.Check c : r.worstFirst(TABLE_ROWS)) {
      System.out.printf(Locale.ROOT, "%-40s %23.15e %23.15e %10.2e%s%n",
          describe(c, d, k, loss), c.analytic(), c.numeric(), c.relativeError(),
          c.stepDependent() ? String.format(Locale.ROOT, "  (h/%.0f; %.1e at h: a kink?)",
              GradientCheck.SECOND_STEP_DIVISOR, c.firstError()) : "");
    }
    if (loss instanceof MlpLoss network) {
      printLayers(r, d, network);
    }
    GradientCheck.Check worst = r.worst();
    System.out.printf(Locale.ROOT, "worst relative error %.1e at %s%n", worst.relativeError(),
        describe(worst, d, k, loss));
  }

  /** A line per layer of a network: its shape, the coordinates checked, the worst error. */
  private static void printLayers(GradientCheck.Result r, int d, MlpLoss network) {
    System.out.printf(Locale.ROOT, "%-7s %-28s %8s %10s  %s%n", "layer", "shape", "checked",
        "rel.error", "worst at");
    for (int l = 1; l <= network.numLayers(); l++) {
      int layer = l;
      List<GradientCheck.Check> checks = r.checks().stream()
          .filter(c -> c.isCoordinate() && network.layerOf(c.coordinate(), d) == layer)
          .toList();
      GradientCheck.Check worst = checks.stream()
          .max(java.util.Comparator.comparingDouble(GradientCheck.Check::relativeError))
          .orElseThrow();
      boolean normalized = network.batchNorm() && l < network.numLayers();
      String shape = network.width(l, d) + "x" + network.width(l - 1, d) + " weights + "
          + network.width(l, d) + (normalized ? " β + " + network.width(l, d) + " γ"
              : " biases");
      System.out.printf(Locale.ROOT, "%-7d %-28s %8d %10.2e  %s%n", l, shape, checks.size(),
          worst.relativeError(), network.describe(worst.coordinate(), d));
    }
  }

  /** Where a check was made: a network's layer and unit, a linear model's coefficient. */
  private static String describe(GradientCheck.Check c, int d, int k, Loss loss) {
    if (loss instanceof MlpLoss network && c.isCoordinate()) {
      return network.describe(c.coordinate(), d);
    }
    return GradientCheck.describe(c, d, k);
  }
}
