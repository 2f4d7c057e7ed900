package descent.driver.schedule;

/**
 * Ramps the learning rate up linearly over the first {@code warmupSteps} steps, then hands over
 * to any inner schedule, which starts after the warmup (its step 0 is step warmupSteps):
 * <pre>
 *   lr(t) = inner(t) · (t + 1) / warmupSteps      for t &lt; warmupSteps
 *   lr(t) = inner(t − warmupSteps)                for t ≥ warmupSteps
 * </pre>
 * Large initial steps can blow up adaptive optimizers and large-batch SGD; warmup avoids that
 * (Goyal et al., "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour", 2017). A
 * decorator, so it wraps any schedule rather than being a flag on each.
 */
public final class LinearWarmup implements LearningRateSchedule {

  private final LearningRateSchedule inner;
  private final long warmupSteps;

  /**
   * @param inner the schedule after warmup, not null
   * @param warmupSteps the length of the ramp, >= 0 (0: the inner schedule unchanged)
   */
  public LinearWarmup(LearningRateSchedule inner, long warmupSteps) {
    if (inner == null) {
      throw new IllegalArgumentException("inner must not be null; wrap a ConstantSchedule "
          + "for a constant rate after warmup");
    }
    this.inner = inner;
    this.warmupSteps = Checks.atLeast("warmupSteps", warmupSteps, 0);
  }

  @Override
  public double rate(long step) {
    if (Checks.step(step) < warmupSteps) {
      return inner.rate(step) * (step + 1) / warmupSteps;
    }
    return inner.rate(step - warmupSteps);
  }

  @Override
  public String toString() {
    return "LinearWarmup(" + inner + ", warmupSteps=" + warmupSteps + ")";
  }
}
