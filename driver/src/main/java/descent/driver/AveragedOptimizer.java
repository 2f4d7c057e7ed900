package descent.driver;

/**
 * Adds iterate averaging to any optimizer: after each step of the wrapped optimizer the new
 * parameters go into a {@link ParameterAverage}, and {@link #finalise} hands back the average
 * instead of the last iterate. The average's state is the checkpoint's, beside the optimizer's.
 */
final class AveragedOptimizer extends OptimizerDecorator {
  private final ParameterAverage average;
  private long step;

  AveragedOptimizer(Optimizer inner, ParameterAverage average, long firstStep) {
    super(inner);
    this.average = average;
    this.step = firstStep;
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    inner().step(params, at, f, lr);
    average.add(++step, params);
  }

  @Override
  public String finalise(double[] params) {
    double[] mean = average.average();
    if (mean == null) {
      return inner().finalise(params);
    }
    System.arraycopy(mean, 0, params, 0, params.length);
    return average.describe();
  }
}
