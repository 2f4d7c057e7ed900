package descent.jobs.bench;

import descent.driver.ModelType;
import descent.driver.StepReport;
import descent.driver.Trainer;
import descent.driver.TrainingConfig;
import descent.driver.TrainingData;
import descent.driver.TrainingListener;
import descent.driver.TrainingResult;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * {@code bench --soak N}: a long run (N steps of 1 % mini-batch SGD with Adam and a cosine
 * schedule) that measures the driver's heap after a full GC once the Spark UI's job and stage
 * retention is full (after {@link #SETTLE_STEPS} steps) and again at the end. Every step
 * broadcasts and destroys its parameters; the heap must not grow with the step count.
 */
final class SoakRun {
  /** Steps before the first measurement: past Spark's default 1000 retained jobs and stages. */
  static final long SETTLE_STEPS = 1500;
  /** Growth allowed for noise: 10 % plus 16 MiB. */
  static final double GROWTH_FACTOR = 1.10;
  static final long GROWTH_SLACK = 16L << 20;

  private SoakRun() {}

  /** The heap in use after two full collections. */
  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Runs the soak on {@code data}; returns true when the heap did not grow. */
  static boolean run(TrainingData data, long steps, PrintStream out) {
    long settle = Math.min(SETTLE_STEPS, steps / 2);
    long[] start = {-1};
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        if (r.step() == settle) {
          start[0] = heapAfterGc();
        }
        if (r.step() % 5000 == 0) {
          out.printf(Locale.ROOT, "soak step %d/%d, %.1f s%n", r.step(), steps,
              r.elapsedSeconds());
        }
      }
    };
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
        .optimizer("adam").learningRate(0.01)
        .schedule(descent.driver.schedule.ScheduleSpec.parse("cosine(t-max=" + steps + ")"))
        .batchFraction(0.01).maxSteps(steps).build();
    TrainingResult result = new Trainer(config, listener).train(data);
    long end = heapAfterGc();
    boolean ok = end <= GROWTH_FACTOR * start[0] + GROWTH_SLACK;
    out.printf(Locale.ROOT, "soak: %d steps in %.1f s; driver heap after GC at step %d: %.1f MiB,"
        + " at the end: %.1f MiB (%+.1f %%): %s%n", result.steps(), result.seconds(), settle,
        start[0] / 1048576.0, end / 1048576.0, 100.0 * (end - start[0]) / start[0],
        ok ? "no growth" : "GROWS");
    return ok;
  }
}
