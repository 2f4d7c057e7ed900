package descent.driver.ml;

import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;

/**
 * The params of descent's network estimators and models ({@link DescentMLPClassifier},
 * {@link DescentMLPRegressor}): descent's params plus the layout, {@code hiddenLayers} (required,
 * the hidden widths only: the input width is the features' and the output width follows the
 * output loss), {@code activation} ({@code relu}, {@code tanh} or {@code sigmoid}) and
 * {@code batchNorm}, and {@code pretrainEpochs}.
 */
public interface NetworkParams<S extends NetworkParams<S>> extends DescentParams<S> {
  /** The hidden layers' widths {@code n_1 .. n_L}; no default. */
  default IntArrayParam hiddenLayers() {
    return descentParams().hiddenLayers;
  }

  default int[] getHiddenLayers() {
    return getOrDefault(hiddenLayers());
  }

  default S setHiddenLayers(int... value) {
    set(hiddenLayers(), value.clone());
    return self();
  }

  /** The hidden layers' activation: {@code relu} (default), {@code tanh} or {@code sigmoid}. */
  default Param<String> activation() {
    return descentParams().activation;
  }

  default String getActivation() {
    return getOrDefault(activation());
  }

  default S setActivation(String value) {
    set(activation(), value);
    return self();
  }

  /**
   * Whether every hidden layer is batch-normalized with the statistics of each step's whole
   * mini-batch (default false), as the command line's {@code --batch-norm}.
   */
  default org.apache.spark.ml.param.BooleanParam batchNorm() {
    return descentParams().batchNorm;
  }

  default boolean getBatchNorm() {
    return (Boolean) getOrDefault(batchNorm());
  }

  default S setBatchNorm(boolean value) {
    set(batchNorm(), value);
    return self();
  }

  /**
   * Epochs of each stage of greedy layer-wise pre-training before the fit (default 0: none), as
   * the command line's {@code --pretrain-epochs}.
   */
  default org.apache.spark.ml.param.IntParam pretrainEpochs() {
    return descentParams().pretrainEpochs;
  }

  default int getPretrainEpochs() {
    return (Integer) getOrDefault(pretrainEpochs());
  }

  default S setPretrainEpochs(int value) {
    set(pretrainEpochs(), value);
    return self();
  }

  /** The hidden widths when set, else null (fit then names the missing param). */
  default int[] hiddenLayersOrNull() {
    return isDefined(hiddenLayers()) ? getHiddenLayers() : null;
  }
}
