package descent.driver;

import descent.core.Activation;
import descent.core.MlpLoss;
import descent.core.OutputLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The layout of a {@link ModelType#MLP} network besides its input and output widths: the hidden
 * layers' widths, their activation and the loss on the output layer. The output loss names the
 * linear model whose loss the network's last layer has ({@link #outputType()}), which also decides
 * the labels it takes and what it predicts. Problems are reported against {@link Param#HIDDEN},
 * {@link Param#ACTIVATION} and {@link Param#OUTPUT_LOSS}.
 *
 * @param hidden the hidden layers' widths {@code n_1 .. n_L}, or null when not given
 * @param activation the hidden layers' activation (default {@link #DEFAULT_ACTIVATION})
 * @param output the output layer's loss (default {@link #DEFAULT_OUTPUT})
 * @param batchNorm whether every hidden layer is batch-normalized ({@link Param#BATCH_NORM})
 */
public record NetworkSpec(int[] hidden, Activation activation, OutputLoss output,
    boolean batchNorm) {
  public static final Activation DEFAULT_ACTIVATION = Activation.RELU;
  public static final OutputLoss DEFAULT_OUTPUT = OutputLoss.SOFTMAX;

  /** A layout without batch normalization. */
  public NetworkSpec(int[] hidden, Activation activation, OutputLoss output) {
    this(hidden, activation, output, false);
  }

  public NetworkSpec {
    hidden = hidden == null ? null : hidden.clone();
    activation = activation == null ? DEFAULT_ACTIVATION : activation;
    output = output == null ? DEFAULT_OUTPUT : output;
  }

  @Override
  public int[] hidden() {
    return hidden == null ? null : hidden.clone();
  }

  /** The problems with this layout, none when it is valid. */
  List<ConfigProblem> problems() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (hidden == null || hidden.length == 0) {
      problems.add(Param.HIDDEN.problem("is required for " + Param.MODEL_TYPE.ref()
          + " mlp: the hidden layers' widths, e.g. 128,64"));
    } else if (Arrays.stream(hidden).anyMatch(h -> h < 1)) {
      problems.add(Param.HIDDEN.problem("must be positive widths, got " + describeHidden()));
    }
    return problems;
  }

  /**
   * The linear model whose loss and labels the output layer has: softmax, logistic, or linear
   * for the squared loss.
   */
  public ModelType outputType() {
    return switch (output) {
      case SOFTMAX -> ModelType.SOFTMAX;
      case LOGISTIC -> ModelType.LOGISTIC;
      case SQUARED -> ModelType.LINEAR;
    };
  }

  /** The network's loss; {@code numClasses} is K for a softmax output, ignored otherwise. */
  public MlpLoss loss(int numClasses) {
    if (output == OutputLoss.SOFTMAX && numClasses < 2) {
      throw new IllegalArgumentException("a softmax network needs the number of classes"
          + " (--num-classes, or labels 0..K-1 in the data), got " + numClasses);
    }
    return new MlpLoss(hidden, activation, output, numClasses, batchNorm);
  }

  /** The widths as written on the command line: "128,64". */
  public String describeHidden() {
    return hidden == null ? "none" : Arrays.stream(hidden).mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }

  /** The layout for fingerprints and messages: "hidden 128,64, relu, softmax output". */
  @Override
  public String toString() {
    return "hidden " + describeHidden() + ", " + activation.id() + ", " + output.id()
        + " output" + (batchNorm ? ", batch-norm" : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec n && Arrays.equals(hidden, n.hidden)
        && activation == n.activation && output == n.output && batchNorm == n.batchNorm;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hidden) * 31 + activation.hashCode() * 7 + output.hashCode()
        + (batchNorm ? 1 : 0);
  }
}
