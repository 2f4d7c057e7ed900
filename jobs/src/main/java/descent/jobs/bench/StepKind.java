package descent.jobs.bench;

import descent.driver.BatchObjective;

/**
 * The kinds of step the comparison times in every round, each with the name its row has in the
 * table, the CSV and the JSON, and the body that runs {@code --steps} of it once. The order of the
 * constants is the order the rounds' shuffles permute ({@link Rounds#order}): a new kind goes
 * last, or the same {@code --seed} no longer repeats a run's orders.
 */
enum StepKind {
  /** MLlib's full-batch step: one {@code runMiniBatchSGD} call at fraction 1.0. */
  MLLIB_FULL("mllib_sgd_full_step") {
    @Override
    void run(StepBodies s) {
      s.mllib(1.0);
    }
  },
  /** MLlib's 1 % step: one call at fraction 0.01. */
  MLLIB_1PCT("mllib_sgd_1pct_step") {
    @Override
    void run(StepBodies s) {
      s.mllib(0.01);
    }
  },
  /** descent's full-batch step. */
  DESCENT_FULL("descent_full_step") {
    @Override
    void run(StepBodies s) {
      s.descent(false, BatchObjective.CLOSURE_LIMIT);
    }
  },
  /** descent's 1 % step. */
  DESCENT_1PCT("descent_1pct_step") {
    @Override
    void run(StepBodies s) {
      s.descent(true, BatchObjective.CLOSURE_LIMIT);
    }
  },
  /**
   * descent's 1 % step with the parameters in a broadcast of their own: the difference to
   * {@link #DESCENT_1PCT} is what the broadcast costs a step.
   */
  DESCENT_1PCT_BROADCAST("descent_1pct_step_broadcast") {
    @Override
    void run(StepBodies s) {
      s.descent(true, 0);
    }
  },
  /** The floor: a pass reading every cached array ({@link FloorJobs#floorPass}). */
  FLOOR("floor_pass") {
    @Override
    void run(StepBodies s) {
      s.floor();
    }
  },
  /** Spark's empty job ({@link FloorJobs#emptyJob}). */
  EMPTY_JOB("spark_empty_job") {
    @Override
    void run(StepBodies s) {
      s.emptyJobs();
    }
  },
  /** The {@code data.count()} MLlib runs once a call, timed alone to be taken out of its steps. */
  MLLIB_COUNT("mllib_sgd_count_per_call") {
    @Override
    void run(StepBodies s) {
      s.mllibCount();
    }
  },
  /** descent's 1 % step through the Trainer ({@link TrainerSteps}). */
  TRAINER_1PCT("descent_1pct_trainer_step") {
    @Override
    void run(StepBodies s) {
      s.trainer();
    }
  };

  private final String reportName;

  StepKind(String reportName) {
    this.reportName = reportName;
  }

  /** The kind's row name in the table, the CSV and the JSON. */
  String reportName() {
    return reportName;
  }

  /** Runs the kind's body once: {@code --steps} steps, or one call of them. */
  abstract void run(StepBodies s) throws Exception;

  /** Every kind's body, in the order of the constants. */
  static Rounds.Body[] bodies(StepBodies s) {
    StepKind[] kinds = values();
    Rounds.Body[] bodies = new Rounds.Body[kinds.length];
    for (StepKind k : kinds) {
      bodies[k.ordinal()] = () -> k.run(s);
    }
    return bodies;
  }
}
