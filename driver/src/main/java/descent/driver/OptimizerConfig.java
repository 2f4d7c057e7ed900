package descent.driver;

import descent.driver.optim.Adagrad;
import descent.driver.optim.Adam;
import descent.driver.optim.AdamW;
import descent.driver.optim.DeltaBarDelta;
import descent.driver.optim.Lamb;
import descent.driver.optim.Lbfgs;
import descent.driver.optim.MomentumSgd;
import descent.driver.optim.Newton;
import descent.driver.optim.RmsProp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optimizer a run uses, by name, with the hyperparameters the user set (null = the
 * optimizer's own default, PyTorch's). A hyperparameter that the chosen optimizer does not take
 * is an error, not silently ignored.
 */
public record OptimizerConfig(String name, Double momentum, Double dampening, Boolean nesterov,
    Double beta1, Double beta2, Double eps, Boolean amsgrad, Double weightDecay, Double alpha,
    Boolean centered, Double lrDecay, Double initialAccumulator, Double kappa, Double phi,
    Double theta, Integer history) {

  /** The optimizers by name, each with the hyperparameters it takes. */
  static final Map<String, Set<Param>> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("sgd", Set.of(Param.MOMENTUM, Param.DAMPENING, Param.NESTEROV));
    OPTIONS.put("adagrad", Set.of(Param.LR_DECAY, Param.INITIAL_ACCUMULATOR, Param.EPS));
    OPTIONS.put("rmsprop", Set.of(Param.ALPHA, Param.EPS, Param.MOMENTUM, Param.CENTERED));
    OPTIONS.put("adam", Set.of(Param.BETA1, Param.BETA2, Param.EPS, Param.AMSGRAD));
    OPTIONS.put("adamw", Set.of(Param.BETA1, Param.BETA2, Param.EPS, Param.WEIGHT_DECAY,
        Param.AMSGRAD));
    OPTIONS.put("lamb", Set.of(Param.BETA1, Param.BETA2, Param.EPS, Param.WEIGHT_DECAY));
    OPTIONS.put("delta-bar-delta", Set.of(Param.KAPPA, Param.PHI, Param.THETA));
    OPTIONS.put("newton", Set.of());
    OPTIONS.put("lbfgs", Set.of(Param.HISTORY));
  }

  /** The optimizer names, in the order the CLI lists them. */
  public static List<String> names() {
    return List.copyOf(OPTIONS.keySet());
  }

  /** Plain SGD with every default. */
  public static OptimizerConfig named(String name) {
    return new OptimizerConfig(name, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null);
  }

  /**
   * The learning rate when the user gives none: 1 for {@code newton} and {@code lbfgs}, whose
   * rate is the first trial step of their line search (the full Newton or quasi-Newton step), and
   * {@link TrainingConfig#DEFAULT_LEARNING_RATE} for the first-order optimizers.
   */
  public double defaultLearningRate() {
    return switch (name == null ? "" : name) {
      case "newton", "lbfgs" -> 1.0;
      default -> TrainingConfig.DEFAULT_LEARNING_RATE;
    };
  }

  /** Hyperparameters given (non-null). */
  private Map<Param, Object> given() {
    Map<Param, Object> m = new LinkedHashMap<>();
    put(m, Param.MOMENTUM, momentum);
    put(m, Param.DAMPENING, dampening);
    put(m, Param.NESTEROV, nesterov);
    put(m, Param.BETA1, beta1);
    put(m, Param.BETA2, beta2);
    put(m, Param.EPS, eps);
    put(m, Param.AMSGRAD, amsgrad);
    put(m, Param.WEIGHT_DECAY, weightDecay);
    put(m, Param.ALPHA, alpha);
    put(m, Param.CENTERED, centered);
    put(m, Param.LR_DECAY, lrDecay);
    put(m, Param.INITIAL_ACCUMULATOR, initialAccumulator);
    put(m, Param.KAPPA, kappa);
    put(m, Param.PHI, phi);
    put(m, Param.THETA, theta);
    put(m, Param.HISTORY, history);
    return m;
  }

  private static void put(Map<Param, Object> m, Param key, Object v) {
    if (v != null) {
      m.put(key, v);
    }
  }

  /** Problems with this configuration; empty when it is valid. */
  List<ConfigProblem> problems() {
    List<ConfigProblem> problems = new ArrayList<>();
    Set<Param> allowed = OPTIONS.get(name);
    if (allowed == null) {
      problems.add(Param.OPTIMIZER.problem("'" + name + "' is not available; use one of "
          + String.join(", ", OPTIONS.keySet())));
      return problems;
    }
    for (Param option : given().keySet()) {
      if (!allowed.contains(option)) {
        problems.add(ConfigProblem.of(option, option.ref() + " does not apply to "
            + Param.OPTIMIZER.ref() + " " + name));
      }
    }
    if (problems.isEmpty()) {
      try {
        create(1);
      } catch (IllegalArgumentException e) {
        problems.add(Param.OPTIMIZER.problem(name + ": " + e.getMessage()));
      }
    }
    return problems;
  }

  private static double or(Double v, double d) {
    return v != null ? v : d;
  }

  private static boolean or(Boolean v, boolean d) {
    return v != null ? v : d;
  }

  /** A fresh optimizer for a model whose first {@code numCoefficients} parameters are weights. */
  public Optimizer create(int numCoefficients) {
    return switch (name) {
      case "sgd" -> new MomentumSgd(or(momentum, MomentumSgd.MOMENTUM),
          or(dampening, MomentumSgd.DAMPENING), or(nesterov, MomentumSgd.NESTEROV));
      case "adagrad" -> new Adagrad(or(lrDecay, Adagrad.LR_DECAY),
          or(initialAccumulator, Adagrad.INITIAL_ACCUMULATOR_VALUE), or(eps, Adagrad.EPS));
      case "rmsprop" -> new RmsProp(or(alpha, RmsProp.ALPHA), or(eps, RmsProp.EPS),
          or(momentum, RmsProp.MOMENTUM), or(centered, RmsProp.CENTERED));
      case "adam" -> new Adam(or(beta1, Adam.BETA1), or(beta2, Adam.BETA2), or(eps, Adam.EPS),
          or(amsgrad, Adam.AMSGRAD));
      case "adamw" -> new AdamW(numCoefficients, or(beta1, Adam.BETA1), or(beta2, Adam.BETA2),
          or(eps, Adam.EPS), or(weightDecay, AdamW.WEIGHT_DECAY), or(amsgrad, Adam.AMSGRAD));
      case "lamb" -> new Lamb(numCoefficients, or(beta1, Lamb.BETA1), or(beta2, Lamb.BETA2),
          or(eps, Lamb.EPS), or(weightDecay, Lamb.WEIGHT_DECAY));
      case "delta-bar-delta" -> new DeltaBarDelta(or(kappa, DeltaBarDelta.KAPPA),
          or(phi, DeltaBarDelta.PHI), or(theta, DeltaBarDelta.THETA));
      case "newton" -> new Newton();
      case "lbfgs" -> new Lbfgs(history != null ? history : Lbfgs.HISTORY);
      default -> throw new IllegalArgumentException("unknown optimizer " + name);
    };
  }
}
