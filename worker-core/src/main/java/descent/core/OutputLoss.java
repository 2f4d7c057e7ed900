package descent.core;

/**
 * The loss on the output layer of a {@link MlpLoss} network, named like the linear model whose
 * loss it is: softmax cross-entropy over K class scores (labels 0..K−1), the logistic loss of one
 * score (labels ±1 or 0/1), or the squared loss {@code ½(f − y)²} of one output (regression).
 */
public enum OutputLoss {
  SOFTMAX("softmax"),
  LOGISTIC("logistic"),
  SQUARED("squared");

  private final String id;

  OutputLoss(String id) {
    this.id = id;
  }

  /** The name on the command line and in model.json. */
  public String id() {
    return id;
  }

  /** The output loss named {@code name} (softmax, logistic or squared). */
  public static OutputLoss parse(String name) {
    for (OutputLoss o : values()) {
      if (o.id.equals(name)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown output loss '" + name + "'; use softmax,"
        + " logistic or squared");
  }
}
