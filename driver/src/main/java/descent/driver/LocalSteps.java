package descent.driver;

import descent.core.LocalRound;
import descent.driver.schedule.LearningRateSchedule;
import descent.driver.schedule.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Rounds of local steps: each task takes {@code steps} (H) inner steps over its own partition's
 * windows of consecutive plan steps before the driver averages the workers' changes and lets the
 * run's optimizer (the outer one) step along that pseudo-gradient. A round is one Spark job, so
 * scheduling costs 1/H of what synchronous steps cost. H = 1 without {@code after} is the
 * synchronous step itself (this configuration is then off).
 *
 * <p>Post-local SGD: with {@code after} = A, the first A rounds take one inner step each (a
 * synchronous step when the outer optimizer is SGD at rate 1), then every round takes H. So round
 * r (0-based) covers plan steps {@code [first(r), first(r) + stepsIn(r))} with
 * {@code first(r) = r} for r &lt; A, else {@code A + (r − A)·H}.
 *
 * <p>The inner optimizer ({@code sgd}, heavy-ball {@code momentum} μ, or {@code adam} with
 * PyTorch's defaults) starts fresh each round; its rate is {@code innerLearningRate} under
 * {@code innerSchedule} (counted in plan steps, the rate of a round's first step held for the
 * round). Outer SGD at rate 1 is model averaging (Stich 2019); outer Nesterov momentum is DiLoCo
 * (Douillard et al. 2023).
 *
 * @param steps H, inner steps a round (≥ 1)
 * @param after null, or A: plan steps taken synchronously before the local rounds start
 * @param innerOptimizer {@code sgd}, {@code momentum} or {@code adam}; null: sgd
 * @param innerLearningRate null: {@link #DEFAULT_INNER_LEARNING_RATE}
 * @param innerMomentum null: {@link #DEFAULT_INNER_MOMENTUM} (momentum only)
 * @param innerSchedule null: the constant inner rate
 */
public record LocalSteps(int steps, Long after, String innerOptimizer, Double innerLearningRate,
    Double innerMomentum, ScheduleSpec innerSchedule) {

  /** Synchronous steps: no rounds. */
  public static final LocalSteps OFF = new LocalSteps(1, null, null, null, null, null);
  /** The inner rate when none is given: descent's first-order default. */
  public static final double DEFAULT_INNER_LEARNING_RATE = TrainingConfig.DEFAULT_LEARNING_RATE;
  /** μ of the inner momentum when none is given. */
  public static final double DEFAULT_INNER_MOMENTUM = 0.9;
  /** The outer rate when none is given: 1, plain averaging of the workers' models. */
  public static final double DEFAULT_OUTER_LEARNING_RATE = 1.0;

  /** Whether the run takes rounds of local steps (H &gt; 1, or post-local SGD). */
  public boolean enabled() {
    return steps != 1 || after != null;
  }

  public LocalRound.Inner inner() {
    return LocalRound.Inner.of(innerOptimizer == null ? "sgd" : innerOptimizer);
  }

  public double innerRate() {
    return innerLearningRate != null ? innerLearningRate : DEFAULT_INNER_LEARNING_RATE;
  }

  public double momentum() {
    return innerMomentum != null ? innerMomentum : DEFAULT_INNER_MOMENTUM;
  }

  private long syncSteps() {
    return after == null ? 0 : after;
  }

  /** The first plan step of 0-based round {@code round}. */
  public long firstStep(long round) {
    long a = syncSteps();
    return round < a ? round : Math.addExact(a, Math.multiplyExact(round - a, (long) steps));
  }

  /** Inner steps (plan steps) of 0-based round {@code round}. */
  public int stepsIn(long round) {
    return round < syncSteps() ? 1 : steps;
  }

  /** Plan steps covered by the first {@code rounds} rounds. */
  public long planSteps(long rounds) {
    return firstStep(rounds);
  }

  /** Rounds that cover {@code planSteps} plan steps (the last one may reach past them). */
  public long roundsFor(long planSteps) {
    long a = syncSteps();
    return planSteps <= a ? planSteps : a + (planSteps - a + steps - 1) / steps;
  }

  /** The inner rate's schedule, built from {@link #innerRate()}. */
  LearningRateSchedule newInnerSchedule(long stepsPerEpoch) {
    return (innerSchedule != null ? innerSchedule.build(innerRate())
        : new descent.driver.schedule.ConstantSchedule(innerRate())).resolve(stepsPerEpoch);
  }

  /** Problems with these settings, given the run's outer optimizer. */
  List<ConfigProblem> problems(OptimizerConfig outer) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (steps < 1) {
      problems.add(Param.LOCAL_STEPS.problem("must be at least 1 (1: synchronous steps), got "
          + steps));
      return problems;
    }
    if (!enabled()) {
      for (Param p : new Param[] {Param.INNER_OPTIMIZER, Param.INNER_LEARNING_RATE,
          Param.INNER_MOMENTUM, Param.INNER_SCHEDULE}) {
        if (given(p)) {
          problems.add(ConfigProblem.of(p, p.ref() + " needs " + Param.LOCAL_STEPS.ref()
              + " above 1"));
        }
      }
      return problems;
    }
    if (after != null && after < 0) {
      problems.add(Param.LOCAL_STEPS_AFTER.problem("must be >= 0, got " + after));
    }
    if (after != null && steps == 1) {
      problems.add(ConfigProblem.of(Param.LOCAL_STEPS_AFTER, Param.LOCAL_STEPS_AFTER.ref()
          + " needs " + Param.LOCAL_STEPS.ref() + " above 1"));
    }
    if (innerOptimizer != null && LocalRound.Inner.of(innerOptimizer) == null) {
      boolean hessian = innerOptimizer.equals("newton") || innerOptimizer.equals("lbfgs");
      problems.add(Param.INNER_OPTIMIZER.problem("'" + innerOptimizer + "' is not available"
          + (hessian ? " for local steps: " + innerOptimizer + " needs the Hessian or a line"
              + " search over the whole data, not a partition's window;" : ";")
          + " use sgd, momentum or adam"));
    }
    if (innerLearningRate != null
        && !(innerLearningRate > 0 && innerLearningRate < Double.POSITIVE_INFINITY)) {
      problems.add(Param.INNER_LEARNING_RATE.problem("must be a positive number, got "
          + innerLearningRate));
    }
    if (innerMomentum != null && inner() != LocalRound.Inner.MOMENTUM) {
      problems.add(ConfigProblem.of(Param.INNER_MOMENTUM, Param.INNER_MOMENTUM.ref()
          + " applies to " + Param.INNER_OPTIMIZER.ref() + " momentum"));
    }
    if (innerMomentum != null && !(innerMomentum >= 0 && innerMomentum < 1)) {
      problems.add(Param.INNER_MOMENTUM.problem("must be in [0, 1), got " + innerMomentum));
    }
    if (innerSchedule != null) {
      for (ScheduleSpec.Stage stage : innerSchedule.stages()) {
        if (stage.name().equals("plateau")) {
          problems.add(Param.INNER_SCHEDULE.problem("cannot be plateau: the inner rate is"
              + " fixed before the round's losses are known"));
        }
      }
    }
    if (outer != null && OptimizerConfig.OPTIONS.containsKey(outer.name())
        && outer.problems().isEmpty() && outer.create(1).isSecondOrder()) {
      problems.add(ConfigProblem.of(Param.LOCAL_STEPS, Param.LOCAL_STEPS.ref() + " needs a"
          + " first-order outer optimizer: " + Param.OPTIMIZER.ref() + " " + outer.name()
          + " searches along its direction with exact evaluations of the objective, which a"
          + " round's averaged change is not"));
    }
    if (problems.isEmpty() && innerSchedule != null) {
      try {
        innerSchedule.build(innerRate());
      } catch (InvalidConfigException e) {
        for (ConfigProblem p : e.problems()) {
          problems.add(ConfigProblem.of(Param.INNER_SCHEDULE, Param.INNER_SCHEDULE.ref() + ": "
              + p.problem()));
        }
      }
    }
    return problems;
  }

  private boolean given(Param p) {
    return switch (p) {
      case INNER_OPTIMIZER -> innerOptimizer != null;
      case INNER_LEARNING_RATE -> innerLearningRate != null;
      case INNER_MOMENTUM -> innerMomentum != null;
      case INNER_SCHEDULE -> innerSchedule != null;
      default -> false;
    };
  }

  /**
   * These settings as model.json's {@code training.localSteps} writes them: {@code steps} (H),
   * {@code after} (when post-local), {@code innerOptimizer}, {@code innerLearningRate},
   * {@code innerMomentum} (momentum only) and {@code innerSchedule}.
   */
  public java.util.Map<String, Object> toMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("steps", steps);
    if (after != null) {
      m.put("after", after);
    }
    m.put("innerOptimizer", inner().id());
    m.put("innerLearningRate", innerRate());
    if (inner() == LocalRound.Inner.MOMENTUM) {
      m.put("innerMomentum", momentum());
    }
    m.put("innerSchedule", innerSchedule == null ? "constant"
        : innerSchedule.build(innerRate()).toString());
    return m;
  }

  /** How the fingerprint describes these settings. */
  @Override
  public String toString() {
    return "LocalSteps(steps=" + steps + ", after=" + after + ", inner=" + inner().id()
        + ", innerLr=" + innerRate() + (inner() == LocalRound.Inner.MOMENTUM ? ", innerMomentum="
            + momentum() : "") + ", innerSchedule=" + (innerSchedule == null ? "constant"
                : innerSchedule.build(innerRate())) + ")";
  }
}
