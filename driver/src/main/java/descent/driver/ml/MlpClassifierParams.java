package descent.driver.ml;

import org.apache.spark.ml.param.Param;

/**
 * The params of {@link DescentMLPClassifier} and its model: the network's plus
 * {@code outputLoss}, {@code softmax} (default: K class scores) or {@code logistic} (one score,
 * two classes).
 */
public interface MlpClassifierParams<S extends MlpClassifierParams<S>> extends NetworkParams<S> {
  /** The loss on the output layer: {@code softmax} or {@code logistic}. */
  default Param<String> outputLoss() {
    return descentParams().outputLoss;
  }

  default String getOutputLoss() {
    return getOrDefault(outputLoss());
  }

  default S setOutputLoss(String value) {
    set(outputLoss(), value);
    return self();
  }
}
