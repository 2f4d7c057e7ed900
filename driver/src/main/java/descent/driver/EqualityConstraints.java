package descent.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Linear equality constraints {@code A w = c} on a model's coefficients, a few rows, with the
 * settings of the augmented Lagrangian method that enforces them ({@link AugmentedLagrangian}):
 * the outer loop ends once {@code ||A w − c||₂ ≤ tol}, and its penalty starts at
 * {@code penalty} (ρ₀).
 *
 * <p>The text format ({@link #parse}): one constraint a line, its coefficients as LIBSVM
 * {@code index:value} pairs, then {@code =} and the right-hand side, for example
 * {@code 1:1 2:1 3:1 = 0.5} for {@code w₁ + w₂ + w₃ = 0.5}. Indices start at 1 and name a
 * coefficient as the data's LIBSVM feature indices do (index j is coefficient j−1 of the
 * parameter vector); for a K-class softmax model they run over the flattened K×d coefficient
 * matrix, index {@code k·d + j} being class k's (0-based) feature j. The intercept cannot be
 * constrained. Blank lines and lines starting with {@code #} are skipped. An index may appear
 * once a line; a pair whose value is 0 adds nothing.
 *
 * <p>Every instance holds independent, consistent rows: the constructor refuses rows that are
 * linear combinations of earlier ones ({@code rank A < m}), naming the combination, and calls
 * the constraints infeasible when such a row's right-hand side is not the same combination of
 * theirs ({@code rank [A | c] > rank A}). The test is Gram–Schmidt over the rows in file order
 * (orthogonalized twice), a row counting as dependent when what is left of it is at most
 * {@value #RANK_TOL} of its norm.
 *
 * @param source the file the constraints came from, for messages
 * @param rows the constraints in file order
 * @param tol the outer loop's tolerance on {@code ||A w − c||₂}, positive
 * @param penalty ρ₀, positive
 */
public record EqualityConstraints(String source, List<Constraint> rows, double tol,
    double penalty) {

  /** {@code --constraint-tol} when not given. */
  public static final double DEFAULT_TOL = 1e-6;
  /** ρ₀ when {@code --equality-penalty} is not given. */
  public static final double DEFAULT_PENALTY = 10.0;
  /** Relative size under which a row counts as a combination of the rows before it. */
  public static final double RANK_TOL = 1e-10;

  /**
   * One constraint {@code Σ values[k]·w[indices[k]] = target}.
   *
   * @param line the line of the file it was read from (1-based)
   * @param indices 0-based coefficient indices, ascending and distinct
   * @param values the coefficients, one per index
   */
  public record Constraint(int line, int[] indices, double[] values, double target) {
    public Constraint {
      if (indices.length != values.length) {
        throw new IllegalArgumentException("a constraint has " + indices.length + " indices and "
            + values.length + " values");
      }
      indices = indices.clone();
      values = values.clone();
    }

    @Override
    public int[] indices() {
      return indices.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    /** {@code a·w − c}. */
    double residual(double[] w) {
      double s = 0.0;
      for (int k = 0; k < indices.length; k++) {
        s += values[k] * w[indices[k]];
      }
      return s - target;
    }
  }

  public EqualityConstraints {
    if (rows == null || rows.isEmpty()) {
      throw Param.EQUALITY.invalid(source + " holds no constraint");
    }
    rows = List.copyOf(rows);
    String dependence = dependence(rows);
    if (dependence != null) {
      throw Param.EQUALITY.invalid(source + ": " + dependence);
    }
  }

  /** The constraints of the text file {@code file}, with the default settings. */
  public static EqualityConstraints read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Param.EQUALITY.invalid(file + ": cannot read the constraints ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    return parse(file.toString(), lines);
  }

  /**
   * The constraints of the lines of {@code source} (format in the class comment), with the
   * default settings.
   *
   * @throws InvalidConfigException naming the file, the line and what is wrong there
   */
  public static EqualityConstraints parse(String source, List<String> lines) {
    List<Constraint> rows = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      rows.add(parseLine(source, n + 1, line));
    }
    return new EqualityConstraints(source, rows, DEFAULT_TOL, DEFAULT_PENALTY);
  }

  private static Constraint parseLine(String source, int n, String line) {
    String at = source + " line " + n + ": ";
    int eq = line.indexOf('=');
    if (eq < 0) {
      throw Param.EQUALITY.invalid(at + "no '='; a constraint is 'index:value ... = c'");
    }
    if (line.indexOf('=', eq + 1) >= 0) {
      throw Param.EQUALITY.invalid(at + "more than one '='");
    }
    String right = line.substring(eq + 1).strip();
    double target = number(right, at, "the right-hand side");
    String left = line.substring(0, eq).strip();
    if (left.isEmpty()) {
      throw Param.EQUALITY.invalid(at + "no coefficients before '='");
    }
    TreeMap<Integer, Double> pairs = new TreeMap<>();
    for (String token : left.split("\\s+")) {
      int colon = token.indexOf(':');
      if (colon <= 0 || colon == token.length() - 1) {
        throw Param.EQUALITY.invalid(at + "'" + token + "' is not index:value");
      }
      String indexText = token.substring(0, colon);
      int index;
      try {
        index = Integer.parseInt(indexText);
      } catch (NumberFormatException e) {
        throw Param.EQUALITY.invalid(at + "index '" + indexText + "' is not a whole number"
            + " from 1 to " + Integer.MAX_VALUE);
      }
      if (index < 1) {
        throw Param.EQUALITY.invalid(at + "index " + index + "; indices start at 1 (the"
            + " coefficient of LIBSVM feature 1), and the intercept cannot be constrained");
      }
      double value = number(token.substring(colon + 1), at, "the value of index " + index);
      if (pairs.put(index, value) != null) {
        throw Param.EQUALITY.invalid(at + "index " + index + " appears twice");
      }
    }
    int[] indices = new int[pairs.size()];
    double[] values = new double[pairs.size()];
    int k = 0;
    for (var e : pairs.entrySet()) {
      indices[k] = e.getKey() - 1;
      values[k] = e.getValue();
      k++;
    }
    return new Constraint(n, indices, values, target);
  }

  private static double number(String text, String at, String what) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw Param.EQUALITY.invalid(at + what + " '" + text + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw Param.EQUALITY.invalid(at + what + " is " + text + "; it must be finite");
    }
    return v;
  }

  /** These constraints with the outer loop's tolerance {@code tol}. */
  public EqualityConstraints withTol(double tol) {
    return new EqualityConstraints(source, rows, tol, penalty);
  }

  /** These constraints with the first penalty ρ₀ = {@code penalty}. */
  public EqualityConstraints withPenalty(double penalty) {
    return new EqualityConstraints(source, rows, tol, penalty);
  }

  /** m, the number of constraints. */
  public int size() {
    return rows.size();
  }

  /** Problems with the settings (the rows themselves were checked when built). */
  List<ConfigProblem> problems() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (!(tol > 0) || Double.isInfinite(tol)) {
      problems.add(Param.CONSTRAINT_TOL.problem("must be a positive number, got " + tol));
    }
    if (!(penalty > 0) || Double.isInfinite(penalty)) {
      problems.add(Param.EQUALITY_PENALTY.problem("must be a positive number, got " + penalty));
    }
    return problems;
  }

  /**
   * Refuses an index beyond the model's {@code numCoefficients} coefficients ({@code outputs}
   * rows of {@code numFeatures} for softmax).
   */
  void checkFits(int numCoefficients, int numFeatures, int outputs) {
    for (Constraint row : rows) {
      int last = row.indices[row.indices.length - 1];
      if (last >= numCoefficients) {
        throw Param.EQUALITY.invalid(source + " line " + row.line + ": index " + (last + 1)
            + " is beyond the model's " + numCoefficients + " coefficients" + (outputs > 1
                ? " (" + outputs + " classes × " + numFeatures + " features: index k·"
                    + numFeatures + " + j is class k's feature j)"
                : " (" + numFeatures + " features)"));
      }
    }
  }

  /** A short digest of the rows and settings, for the checkpoint fingerprint. */
  String fingerprint() {
    int h = 1;
    for (Constraint row : rows) {
      h = 31 * h + Arrays.hashCode(row.indices);
      h = 31 * h + Arrays.hashCode(row.values);
      h = 31 * h + Double.hashCode(row.target);
    }
    return rows.size() + " rows #" + Integer.toHexString(h) + ", tol=" + tol + ", penalty="
        + penalty;
  }

  /**
   * Why {@code rows} are not independent and consistent, or null when they are: the first row
   * (in order) that is a combination of the rows before it, as "rank-deficient" when its
   * right-hand side is the same combination of theirs, else as "infeasible".
   */
  static String dependence(List<Constraint> rows) {
    int width = 0;
    for (Constraint r : rows) {
      for (int j : r.indices) {
        width = Math.max(width, j + 1);
      }
    }
    int m = rows.size();
    // q[k] = Σ_l t[k][l]·a_l, orthonormal; accepted[l] the row index of a_l.
    List<double[]> q = new ArrayList<>();
    List<double[]> t = new ArrayList<>();
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      Constraint row = rows.get(i);
      double[] u = new double[width];
      for (int k = 0; k < row.indices.length; k++) {
        u[row.indices[k]] = row.values[k];
      }
      double norm = norm(u);
      double[] proj = new double[q.size()];
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < q.size(); k++) {
          double p = dot(q.get(k), u);
          proj[k] += p;
          double[] qk = q.get(k);
          for (int j = 0; j < width; j++) {
            u[j] -= p * qk[j];
          }
        }
      }
      double rest = norm(u);
      if (norm == 0.0 || rest <= RANK_TOL * norm) {
        // a_i = Σ_l x_l·a_l with x = Σ_k proj_k·t_k.
        double[] x = new double[accepted.size()];
        for (int k = 0; k < q.size(); k++) {
          for (int l = 0; l < x.length; l++) {
            x[l] += proj[k] * t.get(k)[l];
          }
        }
        double combined = 0.0;
        double scale = Math.abs(row.target);
        StringBuilder of = new StringBuilder();
        for (int l = 0; l < x.length; l++) {
          Constraint other = rows.get(accepted.get(l));
          combined += x[l] * other.target;
          scale = Math.max(scale, Math.abs(x[l] * other.target));
          if (Math.abs(x[l]) > RANK_TOL) {
            of.append(of.length() == 0 ? "" : " + ").append(number(x[l])).append("×line ")
                .append(other.line);
          }
        }
        String coefficients = norm == 0.0 ? "line " + row.line + " has no nonzero coefficient"
            : "line " + row.line + "'s coefficients are " + of;
        String count = m > width ? " (" + m + " constraints on " + width
            + " coefficients cannot be independent)" : "";
        if (Math.abs(row.target - combined) > RANK_TOL * Math.max(1.0, scale)) {
          return "the constraints are infeasible: " + coefficients + ", but its value "
              + number(row.target) + " is not " + (norm == 0.0 ? "0" : "the same combination"
                  + " of theirs (" + number(combined) + ")") + count;
        }
        return "the constraints are rank-deficient: " + coefficients
            + (norm == 0.0 ? "" : ", and its value is the same combination of theirs")
            + "; remove line " + row.line + ", every constraint must be independent" + count;
      }
      double[] tNew = new double[accepted.size() + 1];
      for (int k = 0; k < q.size(); k++) {
        for (int l = 0; l < t.get(k).length; l++) {
          tNew[l] -= proj[k] * t.get(k)[l];
        }
      }
      tNew[accepted.size()] = 1.0;
      for (int l = 0; l < tNew.length; l++) {
        tNew[l] /= rest;
      }
      for (int j = 0; j < width; j++) {
        u[j] /= rest;
      }
      for (int k = 0; k < t.size(); k++) {
        t.set(k, Arrays.copyOf(t.get(k), tNew.length));
      }
      q.add(u);
      t.add(tNew);
      accepted.add(i);
    }
    return null;
  }

  private static String number(double x) {
    double r = Math.rint(x);
    if (Math.abs(x - r) <= 1e-9 * Math.max(1.0, Math.abs(x))) {
      return Long.toString((long) r);
    }
    String s = String.format(Locale.ROOT, "%.6g", x);
    return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static double dot(double[] a, double[] b) {
    double s = 0.0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }
}
