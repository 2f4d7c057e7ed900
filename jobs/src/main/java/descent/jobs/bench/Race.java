package descent.jobs.bench;

import descent.core.DataBlock;
import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.driver.Objective;
import descent.driver.StepReport;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * The race to Spark ML's objective: each {@code --race} optimizer trains from zero at full batch
 * until its objective is within 1e-6 relative of what Spark ML's {@code LogisticRegression}
 * reached, and the wall time until then is compared with the fit's. It answers how long descent
 * takes to the same model, where the step tables answer how long a step takes. {@link #toTarget}
 * is the same race for any configuration, mini-batch and rounds of local steps included, judged
 * by the full objective evaluated off the clock.
 */
final class Race {
  private Race() {}

  /**
   * Trains {@code entry} from zero at full batch until the step's objective (the full objective
   * at the parameters the step starts from) is within 1e-6 relative of {@code target}, or for
   * {@code maxSteps}; the time is the wall time until that evaluation returned.
   *
   * @return the race's JSON object: optimizer, learningRate, stepsToTarget, secondsToTarget
   *     (both null where the target was not reached) and finalGapToMl
   */
  static Map<String, Object> run(RaceEntry entry, TrainingData td, double target,
      long maxSteps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", entry.optimizer());
    m.put("learningRate", entry.lr());
    double bound = target + 1e-6 * Math.abs(target);
    long[] reached = {-1};
    double[] at = {Double.NaN, Double.NaN};
    long start = System.nanoTime();
    TrainingListener listener = r -> {
      at[1] = r.loss();
      if (r.loss() <= bound) {
        reached[0] = r.step();
        at[0] = (System.nanoTime() - start) / 1e9 - r.stepSeconds();
        throw new StopRun();
      }
    };
    TrainingResult result = null;
    try {
      result = new Trainer(entry.config(1e-4, maxSteps), listener).train(td);
    } catch (StopRun e) {
      // The objective met the target.
    }
    if (reached[0] > 0) {
      // The step that evaluated the target objective started from parameters of step k−1.
      m.put("stepsToTarget", reached[0] - 1);
      m.put("secondsToTarget", at[0]);
      m.put("finalGapToMl", (at[1] - target) / Math.abs(target));
    } else {
      m.put("stepsToTarget", null);
      m.put("secondsToTarget", null);
      m.put("finalGapToMl", (result.objective() - target) / Math.abs(target));
    }
    return m;
  }

  /**
   * One point of a run's way to the target: seconds of training (evaluations excluded), the
   * steps (rounds) and rows so far, and the relative gap {@code (f − f*)/|f*|} of the full
   * objective there.
   */
  record Point(double seconds, long steps, long rows, double gap) {}

  /**
   * A run's way to the target: the first point within the tolerance ({@code reached} null where
   * none was), the last point, and every point evaluated.
   */
  record Approach(Point reached, Point last, List<Point> curve) {
    /** Seconds to the target, or null. */
    Double seconds() {
      return reached == null ? null : reached.seconds();
    }
  }

  /**
   * Trains {@code config} on {@code td} from zero until the full objective (logistic loss, L2
   * {@code regL2}, no intercept) is within {@code tolerance} relative of {@code optimum}. The
   * objective is evaluated on {@code evalBlocks} after the step that brings the rows read since
   * the last evaluation to {@code evalRows} (after every full-batch step) and after the last
   * step; its time is taken off the clock, so the seconds are training alone, from the
   * trainer's start, with a granularity of one evaluation interval.
   */
  static Approach toTarget(TrainingConfig config, TrainingData td, JavaRDD<DataBlock> evalBlocks,
      double optimum, double tolerance, double regL2, long evalRows) {
    return toTarget(config, td, evalBlocks, new LogisticLoss(), false, optimum, tolerance, regL2,
        evalRows, Double.POSITIVE_INFINITY);
  }

  /**
   * {@link #toTarget(TrainingConfig, TrainingData, JavaRDD, double, double, double, long)} for
   * any model: the full objective is {@code loss}'s mean over {@code evalBlocks} plus the L2
   * penalty on the coefficients (every parameter but {@code loss}'s biases); a run whose
   * training seconds pass {@code maxSeconds} at an evaluation ends there without the target.
   */
  static Approach toTarget(TrainingConfig config, TrainingData td, JavaRDD<DataBlock> evalBlocks,
      Loss loss, boolean fitIntercept, double optimum, double tolerance, double regL2,
      long evalRows, double maxSeconds) {
    List<Point> curve = new ArrayList<>();
    Point[] reached = {null};
    long start = System.nanoTime();
    TrainingListener listener = new TrainingListener() {
      private long rows;
      private long sinceEval;
      private long evalNanos;

      @Override
      public boolean wantsParameters() {
        return true;
      }

      @Override
      public void onParameters(StepReport r, double[] gradient, double[] previous,
          double[] params) {
        rows += r.rows();
        sinceEval += r.rows();
        if (sinceEval < evalRows && r.step() < r.maxSteps()) {
          return;
        }
        sinceEval = 0;
        long t0 = System.nanoTime();
        double seconds = (t0 - start - evalNanos) / 1e9;
        double f = Objective.full(evalBlocks, loss, params.clone(), fitIntercept, regL2, 2);
        evalNanos += System.nanoTime() - t0;
        Point p = new Point(seconds, r.step(), rows, (f - optimum) / Math.abs(optimum));
        curve.add(p);
        if (p.gap() <= tolerance) {
          reached[0] = p;
          throw new StopRun();
        }
        if (seconds > maxSeconds) {
          throw new StopRun();
        }
      }

      @Override
      public void onStep(StepReport r) {}
    };
    try {
      new Trainer(config, listener).train(td);
    } catch (StopRun e) {
      // Within the tolerance.
    }
    return new Approach(reached[0], curve.isEmpty() ? null : curve.get(curve.size() - 1),
        List.copyOf(curve));
  }
}
