package descent.driver;

import descent.core.HingeLoss;
import descent.core.HuberLoss;
import descent.core.LabelDomain;
import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.core.SoftmaxLoss;
import descent.core.SquaredHingeLoss;
import descent.core.SquaredLoss;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The models descent trains, each with its loss; the name is what the CLI and model.json use.
 * Every objective is the mean loss over the rows (weighted by the rows' weights when they have
 * them) plus {@code (regL2/2)||w||²}; the intercept b is never penalized.
 */
public enum ModelType {
  /** Linear regression, objective {@code (1/(2n)) Σ (w·x_i + b − y_i)² + (regL2/2)||w||²}. */
  LINEAR("linear") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      return new SquaredLoss();
    }
  },
  /** Binary logistic regression, objective {@code mean_i log(1+exp(−y_i(w·x_i+b))) + (regL2/2)||w||²}. */
  LOGISTIC("logistic") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      return new LogisticLoss();
    }
  },
  /**
   * Multinomial logistic regression over K classes, objective
   * {@code mean_i (log Σ_k exp(z_ik) − z_{i,y_i}) + (regL2/2)||W||²_F}, {@code z_i = W x_i + b}.
   */
  SOFTMAX("softmax") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      if (numClasses < 2) {
        throw new IllegalArgumentException("a softmax model needs the number of classes"
            + " (--num-classes, or labels 0..K-1 in the data), got " + numClasses);
      }
      return new SoftmaxLoss(numClasses);
    }

    @Override
    public LabelDomain labelDomain(int numClasses) {
      return LabelDomain.classes(numClasses);
    }
  },
  /**
   * Linear support vector machine, objective
   * {@code mean_i max(0, 1 − y_i(w·x_i+b)) + (regL2/2)||w||²}; not differentiable, so trained
   * with subgradient steps (best with a decaying rate and {@code --average}), not Newton.
   */
  HINGE("hinge") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      return new HingeLoss();
    }
  },
  /**
   * L2-loss linear support vector machine (LIBLINEAR's {@code L2R_L2LOSS_SVC}), objective
   * {@code mean_i max(0, 1 − y_i(w·x_i+b))² + (regL2/2)||w||²}.
   */
  SQUARED_HINGE("squared-hinge") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      return new SquaredHingeLoss();
    }
  },
  /**
   * Robust linear regression, objective {@code mean_i H_δ(w·x_i + b − y_i) + (regL2/2)||w||²}
   * with Huber's {@code H_δ(r) = ½r²} for {@code |r| ≤ δ}, else {@code δ(|r| − ½δ)}.
   */
  HUBER("huber") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      return new HuberLoss(huberDelta);
    }

    @Override
    public boolean usesHuberDelta() {
      return true;
    }
  },
  /**
   * A multilayer perceptron ({@link descent.core.MlpLoss}): hidden layers of one activation and
   * the loss of a linear model on its output layer ({@link NetworkSpec}), objective
   * {@code mean_i ℓ(f(x_i), y_i) + (regL2/2)||W||²} over every layer's weights W, never the
   * biases. Its loss, labels and predictions follow the layout, which
   * {@link TrainingConfig#loss(int)} and {@link LinearModel#loss()} know.
   */
  MLP("mlp") {
    @Override
    public Loss loss(int numClasses, double huberDelta) {
      throw new IllegalStateException("an mlp model's loss needs its layers (--hidden,"
          + " --activation, --output-loss): ask the configuration or the saved model for it");
    }

    @Override
    public LabelDomain labelDomain(int numClasses) {
      throw new IllegalStateException("an mlp model's labels follow its --output-loss");
    }

    @Override
    public boolean isBinaryClassifier() {
      return false;
    }
  };

  /** Huber's δ when none is given (PyTorch's {@code HuberLoss(delta=1.0)}). */
  public static final double DEFAULT_HUBER_DELTA = 1.0;

  private final String id;

  ModelType(String id) {
    this.id = id;
  }

  /**
   * The model's loss: {@code numClasses} is K for softmax (ignored otherwise), {@code huberDelta}
   * the threshold of the Huber loss (ignored otherwise).
   */
  public abstract Loss loss(int numClasses, double huberDelta);

  /** The loss of a model with one output and default options. */
  public Loss loss() {
    return loss(0, DEFAULT_HUBER_DELTA);
  }

  /**
   * The labels to accept when reading data for this model; {@code numClasses} 0 lets a softmax
   * model take any class index and learn K from the data.
   */
  public LabelDomain labelDomain(int numClasses) {
    return loss().labelDomain();
  }

  /**
   * Whether the model separates two classes (labels ±1 or 0/1): logistic regression and the
   * support vector machines.
   */
  public boolean isBinaryClassifier() {
    return labelDomain(0) == LabelDomain.BINARY;
  }

  /**
   * Whether a binary classifier's prediction ({@link Loss#predict}) says the positive class:
   * {@code P(y=+1) > ½} for logistic regression, a margin above 0 for the SVMs.
   */
  public boolean isPositive(double prediction) {
    return this == LOGISTIC ? prediction > 0.5 : prediction > 0.0;
  }

  /** Whether the model has one output per class (and a coefficient matrix). */
  public boolean isMulticlass() {
    return this == SOFTMAX;
  }

  /** Whether the model is a network ({@link #MLP}), whose layout {@link NetworkSpec} gives. */
  public boolean isNetwork() {
    return this == MLP;
  }

  /** Whether the loss takes Huber's δ (model.json then records it). */
  public boolean usesHuberDelta() {
    return false;
  }

  /** The name used on the command line and in model.json. */
  public String id() {
    return id;
  }

  /**
   * Every model's name, for messages: "linear, logistic, softmax, hinge, squared-hinge or huber".
   */
  public static String names() {
    String[] ids = Arrays.stream(values()).map(ModelType::id).toArray(String[]::new);
    return ids.length == 1 ? ids[0] : Arrays.stream(ids, 0, ids.length - 1)
        .collect(Collectors.joining(", ")) + " or " + ids[ids.length - 1];
  }

  /** The model type named {@code name}, or an error listing the known ones. */
  public static ModelType parse(String name) {
    for (ModelType t : values()) {
      if (t.id.equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown model '" + name + "'; use " + names());
  }
}
