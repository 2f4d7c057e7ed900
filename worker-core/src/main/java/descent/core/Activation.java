package descent.core;

/**
 * The activation of a hidden layer of a {@link MlpLoss} network, applied to each unit's
 * pre-activation {@code z}: {@code relu(z) = max(0, z)}, {@code tanh(z)} and
 * {@code sigmoid(z) = 1/(1 + exp(−z))}. Each derivative is written in terms of the activation's
 * output {@code a}, so the backward pass needs only the stored activations: {@code relu' = [a > 0]}
 * (0 at the kink), {@code tanh' = 1 − a²}, {@code sigmoid' = a(1 − a)}.
 */
public enum Activation {
  RELU("relu") {
    @Override
    double apply(double z) {
      return z > 0 ? z : 0.0;
    }

    @Override
    double derivative(double a) {
      return a > 0 ? 1.0 : 0.0;
    }
  },
  TANH("tanh") {
    @Override
    double apply(double z) {
      return Math.tanh(z);
    }

    @Override
    double derivative(double a) {
      return 1.0 - a * a;
    }
  },
  SIGMOID("sigmoid") {
    @Override
    double apply(double z) {
      return 1.0 / (1.0 + Math.exp(-z));
    }

    @Override
    double derivative(double a) {
      return a * (1.0 - a);
    }
  };

  private final String id;

  Activation(String id) {
    this.id = id;
  }

  /** The activation of a pre-activation {@code z}. */
  abstract double apply(double z);

  /** The derivative at the point whose activation is {@code a}. */
  abstract double derivative(double a);

  /**
   * Whether a layer of this activation starts from He's initialization (ReLU) rather than
   * Glorot's (tanh, sigmoid).
   */
  public boolean heInitialized() {
    return this == RELU;
  }

  /** The name on the command line and in model.json. */
  public String id() {
    return id;
  }

  /** The activation named {@code name} (relu, tanh or sigmoid). */
  public static Activation parse(String name) {
    for (Activation a : values()) {
      if (a.id.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name + "'; use relu, tanh or"
        + " sigmoid");
  }
}
