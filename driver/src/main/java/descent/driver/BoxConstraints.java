package descent.driver;

import descent.driver.optim.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Box constraints as configured: lower and upper bounds on the coefficients and on the
 * intercepts, each null (that side is free), one value for all, or one value per coefficient
 * ({@code K·d} for a softmax model, class by class, or {@code d} shared by every class) or per
 * intercept. {@link #resolve} turns them into the {@link Box} of a model once its feature count
 * is known; {@link #problems()} finds what is wrong without it. {@code ±Infinity} in a list
 * leaves that coefficient's side free.
 *
 * <p>Why a separate record: the bounds shape every step (the fingerprint of a checkpoint) and
 * the model's meaning (model.json's {@code "bounds"}), and each front end gives them its own way
 * (the CLI's values or files, Spark ML's matrices).
 */
public record BoxConstraints(double[] lowerCoefficients, double[] upperCoefficients,
    double[] lowerIntercepts, double[] upperIntercepts) {

  public BoxConstraints {
    lowerCoefficients = copy(lowerCoefficients);
    upperCoefficients = copy(upperCoefficients);
    lowerIntercepts = copy(lowerIntercepts);
    upperIntercepts = copy(upperIntercepts);
  }

  /** Every coefficient at least 0 (the intercepts free): {@code --non-negative}. */
  public static BoxConstraints nonNegative() {
    return new BoxConstraints(new double[] {0.0}, null, null, null);
  }

  /** Null when nothing is bounded, else these bounds: a configuration holds null for none. */
  public BoxConstraints orNull() {
    return lowerCoefficients == null && upperCoefficients == null && lowerIntercepts == null
        && upperIntercepts == null ? null : this;
  }

  private static double[] copy(double[] v) {
    return v == null ? null : v.clone();
  }

  /**
   * What is wrong with these bounds on their own: an empty list, a NaN, a lower bound of
   * {@code +∞} or an upper of {@code −∞}, a lower bound above its upper bound (naming the
   * 0-based coefficient or intercept), intercept bounds without an intercept.
   */
  public List<ConfigProblem> problems(boolean fitIntercept) {
    List<ConfigProblem> problems = new ArrayList<>();
    checkValues(Param.LOWER_BOUNDS, lowerCoefficients, Double.POSITIVE_INFINITY, problems);
    checkValues(Param.UPPER_BOUNDS, upperCoefficients, Double.NEGATIVE_INFINITY, problems);
    checkValues(Param.LOWER_INTERCEPT, lowerIntercepts, Double.POSITIVE_INFINITY, problems);
    checkValues(Param.UPPER_INTERCEPT, upperIntercepts, Double.NEGATIVE_INFINITY, problems);
    if (problems.isEmpty()) {
      checkOrder(Param.LOWER_BOUNDS, Param.UPPER_BOUNDS, "coefficient", lowerCoefficients,
          upperCoefficients, problems);
      checkOrder(Param.LOWER_INTERCEPT, Param.UPPER_INTERCEPT, "intercept", lowerIntercepts,
          upperIntercepts, problems);
    }
    if (!fitIntercept && (lowerIntercepts != null || upperIntercepts != null)) {
      problems.add(ConfigProblem.of(lowerIntercepts != null ? Param.LOWER_INTERCEPT
          : Param.UPPER_INTERCEPT, Param.LOWER_INTERCEPT.ref() + " and "
          + Param.UPPER_INTERCEPT.ref() + " need " + Param.FIT_INTERCEPT.ref()));
    }
    return problems;
  }

  private static void checkValues(Param p, double[] v, double impossible,
      List<ConfigProblem> problems) {
    if (v == null) {
      return;
    }
    if (v.length == 0) {
      problems.add(p.problem("has no values"));
      return;
    }
    for (int j = 0; j < v.length; j++) {
      if (Double.isNaN(v[j]) || v[j] == impossible) {
        problems.add(p.problem("value " + j + " (0-based) is " + v[j]
            + "; a bound is a number, or " + (impossible > 0 ? "-" : "") + "Infinity for none"));
        return;
      }
    }
  }

  /** Lower above upper where the two lists can be compared (one is a single value, or equal lengths). */
  private static void checkOrder(Param lowerParam, Param upperParam, String what, double[] lower,
      double[] upper, List<ConfigProblem> problems) {
    if (lower == null || upper == null) {
      return;
    }
    int n = Math.max(lower.length, upper.length);
    if (lower.length != upper.length && lower.length != 1 && upper.length != 1) {
      return; // the counts are checked against the model by resolve
    }
    for (int j = 0; j < n; j++) {
      double l = lower[lower.length == 1 ? 0 : j];
      double u = upper[upper.length == 1 ? 0 : j];
      if (l > u) {
        problems.add(ConfigProblem.of(lowerParam, "the lower bound " + number(l) + " of " + what
            + " " + j + " (0-based) is above its upper bound " + number(u) + " ("
            + lowerParam.ref() + ", " + upperParam.ref() + ")"));
        return;
      }
    }
  }

  /**
   * The box of a model's parameters ({@code numOutputs} sets of {@code numFeatures}
   * coefficients, class-major, then the intercepts when {@code fitIntercept}): each list must
   * hold one value, or one per coefficient ({@code numOutputs·numFeatures}, or
   * {@code numFeatures} shared by every class), or one per intercept.
   *
   * @throws InvalidConfigException when a list has another length, or a lower bound is above
   *     its upper bound (naming the coefficient)
   */
  public Box resolve(int numFeatures, int numOutputs, boolean fitIntercept) {
    List<ConfigProblem> problems = new ArrayList<>(problems(fitIntercept));
    InvalidConfigException.throwIfAny(problems);
    int numCoefficients = numFeatures * numOutputs;
    int numParams = numCoefficients + (fitIntercept ? numOutputs : 0);
    double[] lower = new double[numParams];
    double[] upper = new double[numParams];
    Arrays.fill(lower, Double.NEGATIVE_INFINITY);
    Arrays.fill(upper, Double.POSITIVE_INFINITY);
    String features = numFeatures + " features" + (numOutputs > 1 ? " for each of "
        + numOutputs + " classes" : "");
    fillCoefficients(Param.LOWER_BOUNDS, lowerCoefficients, lower, numFeatures, numOutputs,
        features, problems);
    fillCoefficients(Param.UPPER_BOUNDS, upperCoefficients, upper, numFeatures, numOutputs,
        features, problems);
    if (fitIntercept) {
      fillIntercepts(Param.LOWER_INTERCEPT, lowerIntercepts, lower, numCoefficients, numOutputs,
          problems);
      fillIntercepts(Param.UPPER_INTERCEPT, upperIntercepts, upper, numCoefficients, numOutputs,
          problems);
    }
    if (problems.isEmpty()) {
      for (int j = 0; j < numParams; j++) {
        if (lower[j] > upper[j]) {
          boolean intercept = j >= numCoefficients;
          problems.add(ConfigProblem.of(intercept ? Param.LOWER_INTERCEPT : Param.LOWER_BOUNDS,
              "the lower bound " + number(lower[j]) + " of " + (intercept ? "intercept "
                  + (j - numCoefficients) : "coefficient " + j) + " (0-based) is above its upper"
              + " bound " + number(upper[j])));
          break;
        }
      }
    }
    InvalidConfigException.throwIfAny(problems);
    return new Box(lower, upper);
  }

  private static void fillCoefficients(Param p, double[] v, double[] out, int d, int k,
      String features, List<ConfigProblem> problems) {
    if (v == null) {
      return;
    }
    if (v.length == 1) {
      Arrays.fill(out, 0, d * k, v[0]);
    } else if (v.length == d * k) {
      System.arraycopy(v, 0, out, 0, d * k);
    } else if (v.length == d) {
      for (int c = 0; c < k; c++) {
        System.arraycopy(v, 0, out, c * d, d);
      }
    } else {
      problems.add(p.problem("has " + v.length + " values; the model has " + features
          + ": give one value for all, or one per coefficient"
          + (k > 1 ? " (" + d * k + ", class by class, or " + d + " for every class)" : "")));
    }
  }

  private static void fillIntercepts(Param p, double[] v, double[] out, int offset, int k,
      List<ConfigProblem> problems) {
    if (v == null) {
      return;
    }
    if (v.length == 1) {
      Arrays.fill(out, offset, offset + k, v[0]);
    } else if (v.length == k) {
      System.arraycopy(v, 0, out, offset, k);
    } else {
      problems.add(p.problem("has " + v.length + " values; the model has " + k
          + " intercept" + (k > 1 ? "s: give one value for all, or one per class" : "")));
    }
  }

  /** A fingerprint of these bounds for checkpoints: every value, hashed when a list is long. */
  public String fingerprint() {
    return "lower=" + describe(lowerCoefficients) + "/upper=" + describe(upperCoefficients)
        + "/lowerIntercept=" + describe(lowerIntercepts) + "/upperIntercept="
        + describe(upperIntercepts);
  }

  private static String describe(double[] v) {
    if (v == null) {
      return "none";
    }
    return v.length <= 16 ? Arrays.toString(v)
        : v.length + " values #" + Integer.toHexString(Arrays.hashCode(v));
  }

  /**
   * model.json's {@code "bounds"}: the lists given, by name ({@code lowerBounds},
   * {@code upperBounds}, {@code lowerIntercept}, {@code upperIntercept}), values as numbers and
   * {@code "Infinity"}/{@code "-Infinity"} for a free side.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, Param.LOWER_BOUNDS, lowerCoefficients);
    put(m, Param.UPPER_BOUNDS, upperCoefficients);
    put(m, Param.LOWER_INTERCEPT, lowerIntercepts);
    put(m, Param.UPPER_INTERCEPT, upperIntercepts);
    return m;
  }

  private static void put(Map<String, Object> m, Param p, double[] v) {
    if (v == null) {
      return;
    }
    List<Object> values = new ArrayList<>(v.length);
    for (double x : v) {
      values.add(Double.isFinite(x) ? (Object) x : (x > 0 ? "Infinity" : "-Infinity"));
    }
    m.put(p.driverName(), values);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * The values of a bound option: one number, a comma list of numbers ({@code inf} and
   * {@code -inf} for a free side), or the path of a local text file with one value a line
   * (blank lines and lines starting with {@code #} are skipped).
   *
   * @throws InvalidConfigException naming {@code param} when the text is neither, or the file
   *     holds something that is not a number (with its line)
   */
  public static double[] parseValues(String text, Param param) {
    String t = text.trim();
    double[] list = numbers(t.split(","));
    if (list != null) {
      return list;
    }
    Path file = Path.of(t);
    if (!Files.isRegularFile(file)) {
      throw param.invalid("'" + text + "' is neither a number, a comma list of numbers, nor a"
          + " file of one value a line");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw param.invalid(file + ": cannot be read (" + e.getMessage() + ")");
    }
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Double v = number(line);
      if (v == null) {
        throw param.invalid(file + " line " + (i + 1) + ": '" + line
            + "' is not a number (one bound a line)");
      }
      values.add(v);
    }
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static double[] numbers(String[] parts) {
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Double v = number(parts[i].trim());
      if (v == null) {
        return null;
      }
      out[i] = v;
    }
    return out;
  }

  private static Double number(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        if (s.isEmpty() || !s.matches("[-+0-9.eE]+")) {
          return null;
        }
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "bounds(" + fingerprint() + ")";
  }
}
