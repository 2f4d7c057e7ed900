package descent.driver;

/**
 * An average of the iterates θ_t that a run returns instead of the last one: noisy
 * constant-rate SGD bounces around the minimum, and the average of where it bounced is closer.
 * {@link AveragedOptimizer} feeds it after every step of any optimizer; its {@link State} goes
 * into the checkpoint.
 *
 * <ul>
 *   <li>{@link #polyak(long)}: {@code θ̄ = mean(θ_t, t ≥ start)} (Polyak and Juditsky, SIAM J.
 *       Control Optim. 30, 1992); tail averaging of the last N steps is Polyak from
 *       {@code maxSteps − N + 1}.
 *   <li>{@link #exponential(double)}: {@code θ̄_t = decay·θ̄_{t−1} + (1 − decay)·θ_t},
 *       {@code θ̄} starting at the first θ (an EMA of the weights, as in
 *       {@code torch.optim.swa_utils.AveragedModel} with an EMA function).
 * </ul>
 */
public interface ParameterAverage {

  /**
   * What an average needs to continue bit for bit: the iterates averaged so far and, once there
   * is one, the average itself (null before the first).
   */
  record State(long count, double[] average) {
    public State {
      if (count < 0 || (count > 0) != (average != null)) {
        throw new IllegalArgumentException("an averaging state holds a count >= 0 and, when it"
            + " is positive, the average; got count " + count + " and "
            + (average == null ? "no average" : "an average"));
      }
      average = average == null ? null : average.clone();
    }
  }

  /** The running mean of θ_t for 1-based steps {@code t ≥ start}. */
  static ParameterAverage polyak(long start) {
    return new Polyak(start);
  }

  /** The exponential moving average with weight {@code decay} on the past. */
  static ParameterAverage exponential(double decay) {
    return new Exponential(decay);
  }

  /** Adds the parameters after 1-based step {@code step}. */
  void add(long step, double[] params);

  /** The average so far, a copy; null when no step was added yet. */
  double[] average();

  /** Iterates averaged so far. */
  long count();

  /** What the saved model holds, e.g. {@code polyak from step 901 over 100 iterates}. */
  String describe();

  /** A copy of the state. */
  State state();

  /** Takes back a state from {@link #state()}. */
  void restore(State state);

  /** The common part: the count and the running average, updated by {@link #blend}. */
  abstract class Running implements ParameterAverage {
    private final long start;
    private double[] average;
    private long count;

    Running(long start) {
      this.start = start;
    }

    /** Folds {@code params} into {@code average} as the {@code count}-th iterate. */
    abstract void blend(double[] average, double[] params, long count);

    @Override
    public final void add(long step, double[] params) {
      if (step < start) {
        return;
      }
      if (average == null) {
        average = params.clone();
        count = 1;
        return;
      }
      count++;
      blend(average, params, count);
    }

    @Override
    public final double[] average() {
      return average == null ? null : average.clone();
    }

    @Override
    public final long count() {
      return count;
    }

    @Override
    public final State state() {
      return new State(count, average);
    }

    @Override
    public final void restore(State state) {
      if (state == null) {
        throw new IllegalArgumentException("the averaging state to restore is null");
      }
      count = state.count();
      average = state.average() == null ? null : state.average().clone();
    }

    long start() {
      return start;
    }
  }

  /** {@code θ̄ ← θ̄ + (θ_t − θ̄)/count}. */
  final class Polyak extends Running {
    Polyak(long start) {
      super(start);
      if (start < 1) {
        throw Param.AVERAGE_START.invalid("must be >= 1, got " + start);
      }
    }

    @Override
    void blend(double[] average, double[] params, long count) {
      double w = 1.0 / count;
      for (int j = 0; j < average.length; j++) {
        average[j] += w * (params[j] - average[j]);
      }
    }

    @Override
    public String describe() {
      return "polyak from step " + start() + " over " + count() + " iterates";
    }

    @Override
    public String toString() {
      return "polyak(start=" + start() + ")";
    }
  }

  /** {@code θ̄ ← decay·θ̄ + (1 − decay)·θ_t}. */
  final class Exponential extends Running {
    private final double decay;

    Exponential(double decay) {
      super(1);
      if (!(decay > 0 && decay < 1)) {
        throw Param.AVERAGE_DECAY.invalid("must be in (0, 1), got " + decay);
      }
      this.decay = decay;
    }

    @Override
    void blend(double[] average, double[] params, long count) {
      for (int j = 0; j < average.length; j++) {
        average[j] = decay * average[j] + (1 - decay) * params[j];
      }
    }

    @Override
    public String describe() {
      return "ema decay " + decay + " over " + count() + " iterates";
    }

    @Override
    public String toString() {
      return "ema(decay=" + decay + ")";
    }
  }
}
