package descent.driver;

import descent.driver.schedule.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run needs besides the data, validated by {@link #validate()} before any Spark job
 * runs. Build one with {@link #builder()}; unset options keep the defaults written here once.
 *
 * <p>Batch: {@code batchSize} rows per step across the cluster, or {@code batchFraction} of the
 * rows; neither means full batch. Stopping: {@code maxSteps} and {@code epochs} bound the run
 * (the default is {@value #DEFAULT_MAX_STEPS} steps when neither is set; {@code null} means unset); {@code minStepSize}
 * stops when {@code ||lr·g||} falls below it; {@code tol} stops when the full objective, evaluated
 * every {@code evalEvery} steps, changes by less than that fraction. The learning rate of step t
 * is {@code schedule.rate(t)}, or the constant {@code learningRate} when no schedule is set
 * (by default {@link OptimizerConfig#defaultLearningRate()}).
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
    LearningRateSchedule schedule) {

  public static final long DEFAULT_MAX_STEPS = 1000;
  public static final double DEFAULT_LEARNING_RATE = 0.1;
  public static final int DEFAULT_EVAL_EVERY = 10;
  public static final int DEFAULT_AGGREGATION_DEPTH = 2;
  public static final long DEFAULT_SEED = 42;

  public static Builder builder() {
    return new Builder();
  }

  /** Throws an {@link IllegalArgumentException} listing every invalid option. */
  public TrainingConfig validate() {
    List<String> problems = new ArrayList<>();
    if (modelType == null) {
      problems.add("--model is required (linear or logistic)");
    }
    if (optimizer == null) {
      problems.add("--optimizer is required");
    } else {
      problems.addAll(optimizer.problems());
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      problems.add("--lr must be a positive number, got " + learningRate);
    }
    if (batchSize != null && batchSize < 1) {
      problems.add("--batch-size must be positive, got " + batchSize);
    }
    if (batchFraction != null && !(batchFraction > 0 && batchFraction <= 1)) {
      problems.add("--batch-fraction must be in (0, 1], got " + batchFraction);
    }
    if (batchSize != null && batchFraction != null) {
      problems.add("give --batch-size or --batch-fraction, not both");
    }
    if (!(regL2 >= 0) || Double.isInfinite(regL2)) {
      problems.add("--reg-l2 must be a non-negative number, got " + regL2);
    }
    if (maxSteps != null && maxSteps < 1) {
      problems.add("--max-steps must be positive, got " + maxSteps);
    }
    if (epochs != null && !(epochs > 0 && epochs < Double.POSITIVE_INFINITY)) {
      problems.add("--epochs must be positive, got " + epochs);
    }
    if (!(minStepSize >= 0) || Double.isInfinite(minStepSize)) {
      problems.add("--min-step-size must be a non-negative number, got " + minStepSize);
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      problems.add("--tol must be a non-negative number, got " + tol);
    }
    if (evalEvery < 1) {
      problems.add("--eval-every must be positive, got " + evalEvery);
    }
    if (aggregationDepth < 1) {
      problems.add("--aggregation-depth must be at least 1, got " + aggregationDepth);
    }
    if (initialParams != null) {
      for (double v : initialParams) {
        if (!Double.isFinite(v)) {
          problems.add("initial parameters must be finite, got " + v);
          break;
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return this;
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
      throw new IllegalArgumentException(
          "--batch-size " + b + " is larger than the " + totalRows + " rows of the data");
    }
    return b;
  }

  /** The number of steps to run: the tighter of maxSteps and epochs·N/B. */
  public long resolveMaxSteps(long totalRows, long resolvedBatch) {
    long steps = maxSteps != null ? maxSteps : (epochs != null ? Long.MAX_VALUE : DEFAULT_MAX_STEPS);
    if (epochs != null) {
      steps = Math.min(steps, epochSteps(totalRows, resolvedBatch));
    }
    return steps;
  }

  /** Steps that make {@code epochs} passes: {@code ceil(epochs·N/B)}. */
  long epochSteps(long totalRows, long resolvedBatch) {
    return Math.max(1, (long) Math.ceil(epochs * totalRows / resolvedBatch - 1e-9));
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
    private LearningRateSchedule schedule;

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
    public Builder schedule(LearningRateSchedule v) { schedule = v; return this; }
    public Builder initialParams(double[] v) { initialParams = v == null ? null : v.clone(); return this; }

    public TrainingConfig build() {
      double lr = learningRate != null ? learningRate
          : optimizer != null ? optimizer.defaultLearningRate() : DEFAULT_LEARNING_RATE;
      return new TrainingConfig(modelType, fitIntercept, optimizer, lr, batchSize,
          batchFraction, regL2, seed, maxSteps, epochs, minStepSize, tol, evalEvery,
          aggregationDepth, initialParams, schedule);
    }
  }
}
