package descent.driver;

/**
 * A network's objective as a function of the parameters of its top layers only: the lower
 * layers' weights and biases are held fixed, so an optimizer given this function trains the
 * top layers on the features the frozen layers compute. A stage of greedy layer-wise
 * pre-training ({@link Pretraining}) trains its new hidden layer and its output layer this way.
 *
 * <p>In the network's layout {@code [W_1 .. W_{L+1}, b_1 .. b_{L+1}]}, layers {@code from ..
 * L+1} are the two ranges {@code [W_from .. W_{L+1}]} and {@code [b_from .. b_{L+1}]}; the
 * trainable vector is the first range followed by the second, so it too has its weights (the
 * coefficients the penalty, the L1 proximal step and decoupled weight decay address) first and
 * its biases after. The value is the whole network's objective, the frozen weights' penalty
 * included (a constant); the gradient is its restriction to the trainable parameters.
 */
final class FrozenLayers implements ObjectiveFunction {
  private final BatchObjective network;
  private final double[] full;
  private final int weightsFrom;
  private final int numCoefficients;
  private final int biasesFrom;
  private final int trainableWeights;

  /**
   * @param network the whole network's objective, over {@code full.length} parameters
   * @param full the network's parameters; the frozen entries are read from it and kept, the
   *     others are overwritten by each evaluation
   * @param weightsFrom where the first trainable weight matrix starts
   * @param numCoefficients the network's weights (where its biases start)
   * @param biasesFrom where the first trainable bias vector starts
   */
  FrozenLayers(BatchObjective network, double[] full, int weightsFrom, int numCoefficients,
      int biasesFrom) {
    if (weightsFrom < 0 || weightsFrom > numCoefficients || biasesFrom < numCoefficients
        || biasesFrom > full.length || network.dimension() != full.length) {
      throw new IllegalArgumentException("trainable ranges [" + weightsFrom + ", "
          + numCoefficients + ") and [" + biasesFrom + ", " + full.length + ") do not fit "
          + network.dimension() + " parameters");
    }
    this.network = network;
    this.full = full;
    this.weightsFrom = weightsFrom;
    this.numCoefficients = numCoefficients;
    this.biasesFrom = biasesFrom;
    this.trainableWeights = numCoefficients - weightsFrom;
  }

  /** The trainable weights, which come first in the trainable vector. */
  int numCoefficients() {
    return trainableWeights;
  }

  @Override
  public int dimension() {
    return trainableWeights + full.length - biasesFrom;
  }

  /** The trainable parameters as they are in the network's parameters now. */
  double[] trainable() {
    double[] x = new double[dimension()];
    System.arraycopy(full, weightsFrom, x, 0, trainableWeights);
    System.arraycopy(full, biasesFrom, x, trainableWeights, full.length - biasesFrom);
    return x;
  }

  /** The network's parameters with the trainable ones set to {@code x}; the frozen ones kept. */
  double[] embed(double[] x) {
    if (x.length != dimension()) {
      throw new IllegalArgumentException("the top layers have " + dimension()
          + " parameters, got " + x.length);
    }
    System.arraycopy(x, 0, full, weightsFrom, trainableWeights);
    System.arraycopy(x, trainableWeights, full, biasesFrom, full.length - biasesFrom);
    return full;
  }

  @Override
  public Evaluation evaluate(double[] x) {
    Evaluation e = network.evaluate(embed(x));
    double[] g = new double[x.length];
    System.arraycopy(e.gradient(), weightsFrom, g, 0, trainableWeights);
    System.arraycopy(e.gradient(), biasesFrom, g, trainableWeights, full.length - biasesFrom);
    return new Evaluation(e.value(), g, null, e.rows());
  }

  /** Not available: a network's Hessian is not formed (Newton's method is refused for it). */
  @Override
  public Evaluation evaluateWithHessian(double[] x) {
    throw new UnsupportedOperationException("a network's Hessian is not formed");
  }

  @Override
  public double value(double[] x) {
    return network.value(embed(x));
  }
}
