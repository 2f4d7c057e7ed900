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

  /** The optimizers by name, each with the options (CLI spelling) it takes. */
  static final Map<String, Set<String>> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("sgd", Set.of("--momentum", "--dampening", "--nesterov"));
    OPTIONS.put("adagrad", Set.of("--lr-decay", "--initial-accumulator", "--eps"));
    OPTIONS.put("rmsprop", Set.of("--alpha", "--eps", "--momentum", "--centered"));
    OPTIONS.put("adam", Set.of("--beta1", "--beta2", "--eps", "--amsgrad"));
    OPTIONS.put("adamw", Set.of("--beta1", "--beta2", "--eps", "--weight-decay", "--amsgrad"));
    OPTIONS.put("lamb", Set.of("--beta1", "--beta2", "--eps", "--weight-decay"));
    OPTIONS.put("delta-bar-delta", Set.of("--kappa", "--phi", "--theta"));
    OPTIONS.put("newton", Set.of());
    OPTIONS.put("lbfgs", Set.of("--history"));
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

  /** Options given (non-null), by CLI spelling. */
  private Map<String, Object> given() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "--momentum", momentum);
    put(m, "--dampening", dampening);
    put(m, "--nesterov", nesterov);
    put(m, "--beta1", beta1);
    put(m, "--beta2", beta2);
    put(m, "--eps", eps);
    put(m, "--amsgrad", amsgrad);
    put(m, "--weight-decay", weightDecay);
    put(m, "--alpha", alpha);
    put(m, "--centered", centered);
    put(m, "--lr-decay", lrDecay);
    put(m, "--initial-accumulator", initialAccumulator);
    put(m, "--kappa", kappa);
    put(m, "--phi", phi);
    put(m, "--theta", theta);
    put(m, "--history", history);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Object v) {
    if (v != null) {
      m.put(key, v);
    }
  }

  /** Problems with this configuration, as messages; empty when it is valid. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    Set<String> allowed = OPTIONS.get(name);
    if (allowed == null) {
      problems.add("--optimizer '" + name + "' is not available; use one of "
          + String.join(", ", OPTIONS.keySet()));
      return problems;
    }
    for (String option : given().keySet()) {
      if (!allowed.contains(option)) {
        problems.add(option + " does not apply to --optimizer " + name);
      }
    }
    if (problems.isEmpty()) {
      try {
        create(1);
      } catch (IllegalArgumentException e) {
        problems.add("--optimizer " + name + ": " + e.getMessage());
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
