package descent.driver;

import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.core.SquaredLoss;
import java.util.Locale;

/** The models descent trains, each with its loss; the name is what the CLI and model.json use. */
public enum ModelType {
  /** Linear regression, objective {@code (1/(2n)) Σ (w·x_i + b − y_i)² + (regL2/2)||w||²}. */
  LINEAR("linear") {
    @Override
    public Loss loss() {
      return new SquaredLoss();
    }
  },
  /** Binary logistic regression, objective {@code mean_i log(1+exp(−y_i(w·x_i+b))) + (regL2/2)||w||²}. */
  LOGISTIC("logistic") {
    @Override
    public Loss loss() {
      return new LogisticLoss();
    }
  };

  private final String id;

  ModelType(String id) {
    this.id = id;
  }

  /** The model's loss. */
  public abstract Loss loss();

  /** The name used on the command line and in model.json. */
  public String id() {
    return id;
  }

  /** The model type named {@code name}, or an error listing the known ones. */
  public static ModelType parse(String name) {
    for (ModelType t : values()) {
      if (t.id.equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown model '" + name + "'; use linear or logistic");
  }
}
