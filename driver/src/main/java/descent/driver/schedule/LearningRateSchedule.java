package descent.driver.schedule;

/**
 * The learning rate as a function of the optimizer step: {@code lr = rate(t)}, where t is
 * 0-based (the first optimizer step is step 0). The trainer asks for the rate before each step
 * and passes it to {@code Optimizer.step}; decaying it lets SGD settle instead of bouncing
 * around the minimum.
 *
 * <p>A schedule is a pure function of the step and keeps no state, so a checkpoint needs only
 * the step count to resume it bit for bit. Warmup wraps any schedule ({@link LinearWarmup})
 * instead of being a flag on each one. Names and formulas follow PyTorch's
 * {@code torch.optim.lr_scheduler}.
 */
public interface LearningRateSchedule {

  /**
   * The learning rate for step {@code step} (0-based).
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  double rate(long step);
}
