package descent.driver;

/**
 * Plain stochastic gradient descent with a given learning rate: {@code θ ← θ − lr·g}
 * (Robbins and Monro, 1951). Stateless.
 */
public final class Sgd implements Optimizer {

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    for (int j = 0; j < params.length; j++) {
      params[j] -= lr * gradient[j];
    }
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public String toString() {
    return "Sgd()";
  }
}
