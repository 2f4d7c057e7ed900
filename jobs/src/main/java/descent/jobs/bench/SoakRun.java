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

  /**
   * The driver heap over a run: after GC once Spark's UI retention is full ({@code settledAt}),
   * at {@code samples} points after it, and at the end.
   *
   * @param settledMib the heap after GC at step {@code settledAt}, MiB
   * @param endMib the heap after GC at the end, MiB
   * @param maxMib the largest sample, MiB
   */
  record Heap(long steps, double seconds, long settledAt, double settledMib, double endMib,
      double maxMib, double[] samplesMib) {
    /** Whether the heap stayed flat: the end within 10 % plus 16 MiB of the settled heap. */
    boolean flat() {
      return endMib <= GROWTH_FACTOR * settledMib + GROWTH_SLACK / 1048576.0;
    }

    /** The end over the settled heap. */
    double growth() {
      return endMib / settledMib;
    }

    /** The line that reports it. */
    String describe(String what) {
      return String.format(Locale.ROOT, "%s: %d steps in %.1f s; driver heap after GC at step"
          + " %d: %.1f MiB, at the end: %.1f MiB (%+.1f %%), largest sample %.1f MiB: %s", what,
          steps, seconds, settledAt, settledMib, endMib, 100.0 * (endMib - settledMib)
              / settledMib, maxMib, flat() ? "no growth" : "GROWS");
    }

    java.util.Map<String, Object> toJson() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("steps", steps);
      m.put("seconds", seconds);
      m.put("settledAtStep", settledAt);
      m.put("settledMib", settledMib);
      m.put("endMib", endMib);
      m.put("maxMib", maxMib);
      m.put("samplesMib", samplesMib);
      m.put("flat", flat());
      return m;
    }
  }

  /** Runs the soak on {@code data}; returns true when the heap did not grow. */
  static boolean run(TrainingData data, long steps, PrintStream out) {
    Heap heap = measure(data, steps, 0, out);
    out.println(heap.describe("soak"));
    return heap.flat();
  }

  /**
   * {@code steps} 1 % steps of Adam with a cosine schedule through the {@link Trainer}, the
   * driver heap after GC measured once settled, at {@code samples} evenly spaced steps after
   * that, and at the end.
   */
  static Heap measure(TrainingData data, long steps, int samples, PrintStream out) {
    long settle = Math.min(SETTLE_STEPS, steps / 2);
    long every = samples > 0 ? Math.max(1, (steps - settle) / samples) : Long.MAX_VALUE;
    long[] start = {-1};
    java.util.List<Double> sampled = new java.util.ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(StepReport r) {
        if (r.step() == settle) {
          start[0] = heapAfterGc();
        } else if (r.step() > settle && (r.step() - settle) % every == 0) {
          sampled.add(heapAfterGc() / 1048576.0);
        }
        if (r.step() % 5000 == 0) {
          out.printf(Locale.ROOT, "heap run: step %d/%d, %.1f s%n", r.step(), steps,
              r.elapsedSeconds());
        }
      }
    };
    TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
        .optimizer("adam").learningRate(0.01)
        .schedule(descent.driver.schedule.ScheduleSpec.parse("cosine(t-max=" + steps + ")"))
        .batchFraction(0.01).maxSteps(steps)
        // On sparse data lazy Adam keeps the sparse step (exact Adam has no sparse form).
        .sparseUpdate(descent.driver.optim.SparseUpdate.LAZY).build();
    TrainingResult result = new Trainer(config, listener).train(data);
    out.printf(Locale.ROOT, "heap run: driver step %s%n", result.driverStep());
    long end = heapAfterGc();
    double settled = start[0] / 1048576.0;
    double endMib = end / 1048576.0;
    double max = Math.max(settled, endMib);
    double[] samplesMib = new double[sampled.size()];
    for (int i = 0; i < samplesMib.length; i++) {
      samplesMib[i] = sampled.get(i);
      max = Math.max(max, samplesMib[i]);
    }
    return new Heap(result.steps(), result.seconds(), settle, settled, endMib, max, samplesMib);
  }
}
