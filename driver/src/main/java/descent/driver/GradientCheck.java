package descent.driver;

import descent.core.DataBlock;
import descent.core.Loss;
import descent.core.MlpLoss;
import descent.core.MiniBatchPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A finite-difference check of the analytic gradient of a training objective
 * {@code F(θ) = mean loss + (regL2/2)||W||²}: at a seeded random point θ, for each checked
 * direction u (a coordinate {@code e_j}, or a random unit vector) it compares the analytic
 * directional derivative {@code a = ∇F(θ)·u} with the centred difference
 * {@code n = (F(θ + h·u) − F(θ − h·u)) / 2h}, by the relative error
 * {@code |a − n| / max(|a|, |n|, tiny)} with {@code tiny = 1e-3·max_j |∂F/∂θ_j|}: the
 * rounding noise of the difference, about {@code ε|F|/h}, is the same for every component, so a
 * component a thousand times smaller than the largest is measured against that scale instead
 * of its own (else a coefficient of a feature that is zero in every row, whose gradient is the
 * penalty's {@code regL2·θ_j} alone, shows its noise as an error).
 *
 * <p>Why: a wrong gradient still trains, only worse, so no optimizer test catches it reliably;
 * the centred difference is independent of the gradient code. On data, {@link #onData} uses the
 * same distributed evaluation as training (a {@link BatchObjective} over a full-batch plan), so
 * it checks the kernels, the aggregation, the averaging and the penalty together.
 *
 * <p>Accuracy: with {@code h = 1e-5·max(1, |θ·u|)} the truncation error of the centred
 * difference is {@code h²/6·F'''} (about 1e-10 relative here) and the rounding error about
 * {@code ε|F|/h} ≈ 1e-11·|F|, so for a smooth loss in double precision the relative error of a
 * correct gradient is about 1e-7 or better: the worst on the real data sets of the tests is
 * 5e-10 to 1.3e-9, and 2.6e-7 for a component of 1.4e-4 at |F| = 4 (squared loss on lpsa without
 * intercept), where the rounding noise dominates; a gradient 1 % off in one coordinate shows 1e-2.
 *
 * <p>Kinks: a loss that is not differentiable everywhere (hinge at {@code y·m = 1}, Huber's
 * second derivative at {@code |m − y| = δ}) has a correct gradient off its kinks, but the centred
 * difference is wrong when a row's kink lies within ±h of θ along u. θ is drawn with moderate
 * margins (standard deviation about 1) and h is small, which makes that rare; when it happens
 * the error depends on the step, so a direction whose error exceeds the tolerance is checked
 * again with {@code h/16} and keeps the smaller error, marked {@link Check#stepDependent()}. A
 * wrong gradient is wrong at every step and still fails.
 */
public final class GradientCheck {
  /** The relative error a correct gradient stays below (smooth losses reach about 1e-9). */
  public static final double DEFAULT_TOLERANCE = 1e-6;
  /** Every coordinate is checked up to this many parameters; beyond, a random subset this size. */
  public static final int DEFAULT_COORDINATES = 50;
  /** Random directions added when only a subset of the coordinates is checked. */
  public static final int RANDOM_DIRECTIONS = 3;
  /** {@code h = RELATIVE_STEP·max(1, |θ·u|)}. */
  public static final double RELATIVE_STEP = 1e-5;
  /** The factor by which the step shrinks for a second look at a direction that failed. */
  public static final double SECOND_STEP_DIVISOR = 16;
  /** The floor of the relative error's denominator, relative to the largest gradient entry. */
  public static final double TINY = 1e-3;

  /**
   * One checked direction: the coordinate j (or -1 for the random direction {@code direction}),
   * the analytic and numeric derivatives along it, their relative error, the step h that gave
   * it, and whether a second, smaller step was needed (the error depended on the step).
   */
  public record Check(int coordinate, int direction, double analytic, double numeric,
      double relativeError, double step, boolean stepDependent, double firstError) {

    /** Whether this check is of a coordinate (else of a random direction). */
    public boolean isCoordinate() {
      return coordinate >= 0;
    }
  }

  /**
   * The outcome: {@code F(θ)}, the point θ, every check in the order made (coordinates
   * ascending, then the directions), and the distributed passes it took (from {@link #onData};
   * 0 from {@link #check}, which does not know what its objective runs).
   */
  public record Result(double value, double[] point, List<Check> checks, long passes) {

    /** The check with the largest relative error. */
    public Check worst() {
      return checks.stream().max(Comparator.comparingDouble(Check::relativeError)).orElseThrow();
    }

    /** The worst relative error. */
    public double worstError() {
      return worst().relativeError();
    }

    /** The {@code n} checks of largest relative error, worst first. */
    public List<Check> worstFirst(int n) {
      return checks.stream()
          .sorted(Comparator.comparingDouble(Check::relativeError).reversed())
          .limit(n).toList();
    }

    /** The number of coordinates checked. */
    public long coordinates() {
      return checks.stream().filter(Check::isCoordinate).count();
    }

    /** The number of random directions checked. */
    public long directions() {
      return checks.size() - coordinates();
    }
  }

  private final ObjectiveFunction objective;
  private final double tolerance;

  /**
   * @param objective the function to check (its {@code evaluate} gives the analytic gradient,
   *     its {@code value} the differences)
   * @param tolerance the relative error above which a direction gets a second, smaller step
   */
  public GradientCheck(ObjectiveFunction objective, double tolerance) {
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("the tolerance must be positive, got " + tolerance);
    }
    this.objective = objective;
    this.tolerance = tolerance;
  }

  /**
   * Checks the objective of {@code loss} with the L2 penalty {@code regL2} on every row of
   * {@code data}, at a random point drawn with {@code seed}: every coordinate when the model has
   * at most {@code maxCoordinates} parameters, else {@code maxCoordinates} of them drawn with
   * {@code seed} and {@value #RANDOM_DIRECTIONS} random directions. For a network
   * ({@link MlpLoss}) the count applies to each layer's weights and biases, so that every layer
   * is checked, at the point {@link #networkPoint}.
   */
  public static Result onData(TrainingData data, Loss loss, boolean fitIntercept, double regL2,
      long seed, int maxCoordinates, double tolerance, int depth) {
    if (maxCoordinates < 1) {
      throw new IllegalArgumentException("--coordinates must be positive, got " + maxCoordinates);
    }
    int d = data.numFeatures();
    int p = loss.numParams(d, fitIntercept);
    BatchObjective f = new BatchObjective(data.blocks(),
        new MiniBatchPlan(data.partitionRows(), data.totalRows()), loss, fitIntercept,
        Regularizer.of(0.0, regL2), null, depth, p);
    data.blocks().context().setJobDescription("descent gradcheck: row norms");
    Random random = new Random(seed);
    double[] theta;
    int[] coordinates;
    boolean subset;
    if (loss instanceof MlpLoss network) {
      theta = networkPoint(random, network, d, seed);
      coordinates = perLayer(random, network, d, maxCoordinates);
      subset = coordinates.length < p;
    } else {
      double meanSquaredNorm = meanSquaredNorm(data) + (fitIntercept ? 1.0 : 0.0);
      theta = randomPoint(random, p, meanSquaredNorm);
      subset = p > maxCoordinates;
      coordinates = subset ? sample(random, p, maxCoordinates) : allCoordinates(p);
    }
    double[][] directions = subset ? randomDirections(random, p, RANDOM_DIRECTIONS)
        : new double[0][];
    data.blocks().context().setJobDescription("descent gradcheck");
    try {
      Result r = new GradientCheck(f, tolerance).check(theta, coordinates, directions);
      return new Result(r.value(), r.point(), r.checks(), f.passes());
    } finally {
      data.blocks().context().setJobDescription(null);
    }
  }

  /**
   * Compares the gradient at {@code theta} with centred differences along each coordinate in
   * {@code coordinates} and each (unit) vector in {@code directions}.
   */
  public Result check(double[] theta, int[] coordinates, double[][] directions) {
    int p = objective.dimension();
    if (theta.length != p) {
      throw new IllegalArgumentException("the point has " + theta.length + " values; the"
          + " objective takes " + p);
    }
    Evaluation at = objective.evaluate(theta);
    double[] g = at.gradient().clone();
    double largest = 0.0;
    for (double v : g) {
      largest = Math.max(largest, Math.abs(v));
    }
    double tiny = Math.max(TINY * largest, Double.MIN_NORMAL);
    List<Check> checks = new ArrayList<>();
    for (int j : coordinates) {
      double[] u = new double[p];
      u[j] = 1.0;
      checks.add(along(theta, u, g[j], j, -1, tiny));
    }
    for (int k = 0; k < directions.length; k++) {
      double[] u = directions[k];
      if (u.length != p) {
        throw new IllegalArgumentException("direction " + k + " has " + u.length + " values; the"
            + " objective takes " + p);
      }
      double a = 0.0;
      for (int j = 0; j < p; j++) {
        a += g[j] * u[j];
      }
      checks.add(along(theta, u, a, -1, k, tiny));
    }
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("nothing to check: no coordinate and no direction");
    }
    return new Result(at.value(), theta.clone(), List.copyOf(checks), 0);
  }

  private Check along(double[] theta, double[] u, double analytic, int coordinate,
      int direction, double tiny) {
    double thetaU = 0.0;
    for (int j = 0; j < u.length; j++) {
      thetaU += theta[j] * u[j];
    }
    double h = RELATIVE_STEP * Math.max(1.0, Math.abs(thetaU));
    double numeric = centred(theta, u, h);
    double error = relativeError(analytic, numeric, tiny);
    if (!(error <= tolerance)) {
      double h2 = h / SECOND_STEP_DIVISOR;
      double numeric2 = centred(theta, u, h2);
      double error2 = relativeError(analytic, numeric2, tiny);
      if (error2 < error) {
        return new Check(coordinate, direction, analytic, numeric2, error2, h2, true, error);
      }
    }
    return new Check(coordinate, direction, analytic, numeric, error, h, false, error);
  }

  /** {@code (F(θ + h·u) − F(θ − h·u)) / 2h}, with the step as actually represented. */
  private double centred(double[] theta, double[] u, double h) {
    double[] plus = theta.clone();
    double[] minus = theta.clone();
    for (int j = 0; j < u.length; j++) {
      if (u[j] != 0.0) {
        plus[j] += h * u[j];
        minus[j] -= h * u[j];
      }
    }
    double fPlus = objective.value(plus);
    double fMinus = objective.value(minus);
    // For a coordinate, divide by the distance the rounded points lie apart, not 2h.
    double width = 2 * h;
    for (int j = 0; j < u.length; j++) {
      if (u[j] == 1.0) {
        width = plus[j] - minus[j];
      }
    }
    return (fPlus - fMinus) / width;
  }

  /** {@code |a − n| / max(|a|, |n|, tiny)}. */
  public static double relativeError(double analytic, double numeric, double tiny) {
    double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), tiny);
    return Math.abs(analytic - numeric) / scale;
  }

  /**
   * θ with independent normal entries of standard deviation {@code 1/sqrt(meanSquaredNorm)}, so
   * a margin {@code θ·x̃} has standard deviation about 1: moderate, away from saturation.
   */
  static double[] randomPoint(Random random, int p, double meanSquaredNorm) {
    double sigma = 1.0 / Math.sqrt(Math.max(meanSquaredNorm, 1e-12));
    double[] theta = new double[p];
    for (int j = 0; j < p; j++) {
      theta[j] = sigma * random.nextGaussian();
    }
    return theta;
  }

  /**
   * A network's point: its initial weights from {@code seed} (He or Glorot, so activations are
   * neither saturated nor vanishing), biases of standard deviation 0.5, so that no ReLU unit
   * sits at its kink on a row of zeros, and batch-normalization scales γ around 1.
   */
  static double[] networkPoint(Random random, MlpLoss network, int d, long seed) {
    double[] theta = network.initialParams(d, true, seed);
    int gammas = network.batchNorm() ? network.gammaOffset(1, d) : theta.length;
    for (int j = network.numCoefficients(d); j < theta.length; j++) {
      theta[j] = j < gammas ? 0.5 * random.nextGaussian() : 1.0 + 0.3 * random.nextGaussian();
    }
    return theta;
  }

  /**
   * The coordinates to check in each layer of a network (its weights, its biases and its
   * batch-normalization scales γ): all of a layer's when it has at most {@code max}, else
   * {@code max} of them drawn; ascending.
   */
  static int[] perLayer(Random random, MlpLoss network, int d, int max) {
    List<Integer> chosen = new ArrayList<>();
    for (int l = 1; l <= network.numLayers(); l++) {
      int weights = network.width(l, d) * network.width(l - 1, d);
      int biases = network.width(l, d);
      int w0 = network.weightOffset(l, d);
      int b0 = network.biasOffset(l, d);
      int gammas = network.batchNorm() && l < network.numLayers() ? biases : 0;
      int g0 = gammas > 0 ? network.gammaOffset(l, d) : 0;
      int n = weights + biases + gammas;
      int[] picks = n <= max ? allCoordinates(n) : sample(random, n, max);
      for (int i : picks) {
        chosen.add(i < weights ? w0 + i : i < weights + biases ? b0 + i - weights
            : g0 + i - weights - biases);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static int[] allCoordinates(int p) {
    int[] c = new int[p];
    for (int j = 0; j < p; j++) {
      c[j] = j;
    }
    return c;
  }

  /** {@code n} distinct coordinates of {@code [0, p)}, ascending (a partial Fisher–Yates). */
  static int[] sample(Random random, int p, int n) {
    int[] all = allCoordinates(p);
    for (int i = 0; i < n; i++) {
      int k = i + random.nextInt(p - i);
      int t = all[i];
      all[i] = all[k];
      all[k] = t;
    }
    int[] c = Arrays.copyOf(all, n);
    Arrays.sort(c);
    return c;
  }

  private static double[][] randomDirections(Random random, int p, int n) {
    double[][] u = new double[n][p];
    for (double[] v : u) {
      double s = 0.0;
      for (int j = 0; j < p; j++) {
        v[j] = random.nextGaussian();
        s += v[j] * v[j];
      }
      double norm = Math.sqrt(s);
      for (int j = 0; j < p; j++) {
        v[j] /= norm;
      }
    }
    return u;
  }

  /** {@code mean_i ||x_i||²} over the rows (one small job). */
  private static double meanSquaredNorm(TrainingData data) {
    double sum = data.blocks().map(GradientCheck::squaredValues).fold(0.0, Double::sum);
    return sum / data.totalRows();
  }

  private static double squaredValues(DataBlock b) {
    double s = 0.0;
    for (double v : b.values()) {
      s += v * v;
    }
    return s;
  }

  /**
   * Where coefficient j of {@code [W (K×d), b_0..b_{K−1}]} belongs, for messages:
   * "coefficient 17 (class 2, feature 5)", "coefficient 5 (feature 5)", "the intercept",
   * "intercept 2 (class 2)". Features count from 0, as in model.json's arrays (LIBSVM index j+1).
   */
  public static String describe(int j, int numFeatures, int numOutputs) {
    int coefficients = numFeatures * numOutputs;
    if (j >= coefficients) {
      int k = j - coefficients;
      return numOutputs == 1 ? "the intercept" : "intercept " + k + " (class " + k + ")";
    }
    if (numOutputs == 1) {
      return "coefficient " + j + " (feature " + j + ")";
    }
    return String.format(Locale.ROOT, "coefficient %d (class %d, feature %d)", j,
        j / numFeatures, j % numFeatures);
  }

  /** Where a check was made, for messages: a coefficient, or "random direction k". */
  public static String describe(Check c, int numFeatures, int numOutputs) {
    return c.isCoordinate() ? describe(c.coordinate(), numFeatures, numOutputs)
        : "random direction " + c.direction();
  }
}
