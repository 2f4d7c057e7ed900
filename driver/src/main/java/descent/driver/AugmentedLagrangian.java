package descent.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The method of multipliers for {@code min f(w) subject to A w = c} (Hestenes 1969, Powell
 * 1969; Nocedal and Wright, Numerical Optimization, 2nd ed., Framework 17.3; Bertsekas,
 * Constrained Optimization and Lagrange Multiplier Methods, 1982). Each inner problem minimizes
 * the augmented Lagrangian
 * {@code L(w) = f(w) + λᵀ(A w − c) + (ρ/2)||A w − c||²} with the run's optimizer; A has a few
 * rows, so the augmented term is added on the driver to the aggregated value, gradient
 * {@code Aᵀ(λ + ρ(A w − c))} and Hessian {@code ρ AᵀA}, and the executors are unchanged.
 *
 * <p>When the run's stop criteria say the inner problem has converged, {@link #update} takes
 * the outer step: {@code λ ← λ + ρ (A w − c)}; the run ends when {@code ||A w − c||₂} is then
 * at most the tolerance, else ρ grows tenfold when the residual did not shrink below a quarter
 * of the previous outer iteration's (at most to {@value #MAX_PENALTY}) and the next inner
 * problem starts.
 *
 * <p>Sign convention: at the solution {@code ∇f(w) + Aᵀλ = 0}, so λ is the KKT multiplier of
 * {@code min f s.t. A w = c}, and the optimum moves by {@code −λ_i} per unit increase of
 * {@code c_i}: {@code −λ_i} is the price of constraint i.
 *
 * <p>When standardizing, the parameters are those of the scaled features ({@code w = s ⊙ w'}),
 * and the constraint rows are held as {@code A diag(s)}, so that {@code A w − c} is the same
 * residual in either space.
 */
public final class AugmentedLagrangian {
  /** The penalty never grows beyond this, where the inner problems become ill-conditioned. */
  public static final double MAX_PENALTY = 1e12;
  /** The residual must shrink below this fraction of the previous one to keep ρ. */
  public static final double SHRINK = 0.25;
  /** ρ grows by this factor when the residual did not shrink enough. */
  public static final double GROWTH = 10.0;

  private final EqualityConstraints constraints;
  private final int[][] indices;
  private final double[][] values;
  private final double[] targets;
  private final int numParams;
  private final double[] multipliers;
  private double penalty;
  private long outerIterations;
  private double previousResidual = Double.POSITIVE_INFINITY;

  /**
   * The outer loop's state after some outer iterations: the multipliers λ, the penalty ρ, the
   * outer iterations done, and the residual norm of the last one (+∞ before the first), which a
   * checkpoint keeps so that a resumed run continues bit for bit.
   */
  public record State(double[] multipliers, double penalty, long outerIterations,
      double previousResidual) {
    public State {
      if (multipliers == null) {
        throw new IllegalArgumentException("the multipliers are missing");
      }
      multipliers = multipliers.clone();
      if (!(penalty > 0) || outerIterations < 0) {
        throw new IllegalArgumentException("an equality state needs a positive penalty and"
            + " outerIterations >= 0, got " + penalty + " and " + outerIterations);
      }
    }

    @Override
    public double[] multipliers() {
      return multipliers.clone();
    }
  }

  /**
   * What the outer loop reached, for model.json and the report: for each constraint (by its
   * line) its value {@code c_i}, its multiplier {@code λ_i} and its residual
   * {@code a_i·w − c_i} at the final parameters; their norm, the tolerance and whether it was
   * met; the outer iterations and the final penalty.
   */
  public record Report(String source, int[] lines, double[] targets, double[] multipliers,
      double[] residuals, double residualNorm, double tol, boolean satisfied,
      long outerIterations, double penalty) {

    /** The fields by name, in model.json's order. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", source);
      m.put("lines", list(lines));
      m.put("values", list(targets));
      m.put("multipliers", list(multipliers));
      m.put("residuals", list(residuals));
      m.put("residualNorm", residualNorm);
      m.put("constraintTol", tol);
      m.put("satisfied", satisfied);
      m.put("outerIterations", outerIterations);
      m.put("penalty", penalty);
      return m;
    }

    private static List<Object> list(int[] a) {
      List<Object> l = new ArrayList<>();
      for (int x : a) {
        l.add(x);
      }
      return l;
    }

    private static List<Object> list(double[] a) {
      List<Object> l = new ArrayList<>();
      for (double x : a) {
        l.add(x);
      }
      return l;
    }
  }

  /**
   * @param numParams the parameters, of which the constraints read the first coefficients
   * @param scale null, or the coefficient scale {@code s} of standardization
   */
  AugmentedLagrangian(EqualityConstraints constraints, int numParams, double[] scale) {
    this.constraints = constraints;
    this.numParams = numParams;
    int m = constraints.size();
    indices = new int[m][];
    values = new double[m][];
    targets = new double[m];
    List<EqualityConstraints.Constraint> scaled = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      EqualityConstraints.Constraint row = constraints.rows().get(i);
      indices[i] = row.indices();
      values[i] = row.values();
      targets[i] = row.target();
      if (scale != null) {
        for (int k = 0; k < indices[i].length; k++) {
          values[i][k] *= scale[indices[i][k]];
        }
        scaled.add(new EqualityConstraints.Constraint(row.line(), indices[i], values[i],
            row.target()));
      }
    }
    if (scale != null) {
      String dependence = EqualityConstraints.dependence(scaled);
      if (dependence != null) {
        throw Param.EQUALITY.invalid(constraints.source() + ", on the standardized features"
            + " (a feature of zero variance keeps its coefficient at 0): " + dependence);
      }
    }
    multipliers = new double[m];
    penalty = constraints.penalty();
  }

  /** {@code A w − c} at {@code params}. */
  double[] residuals(double[] params) {
    double[] r = new double[targets.length];
    for (int i = 0; i < r.length; i++) {
      double s = 0.0;
      for (int k = 0; k < indices[i].length; k++) {
        s += values[i][k] * params[indices[i][k]];
      }
      r[i] = s - targets[i];
    }
    return r;
  }

  /** {@code λᵀr + (ρ/2)||r||²} at {@code params}. */
  double term(double[] params) {
    double[] r = residuals(params);
    double s = 0.0;
    for (int i = 0; i < r.length; i++) {
      s += multipliers[i] * r[i] + 0.5 * penalty * r[i] * r[i];
    }
    return s;
  }

  /**
   * {@code e}, the objective {@code f} at {@code params}, with the augmented term added to its
   * value, gradient and (when present) Hessian; {@code e}'s arrays are left as they are.
   */
  Evaluation augment(double[] params, Evaluation e) {
    double[] r = residuals(params);
    double value = e.value();
    double[] g = e.gradient() == null ? null : e.gradient().clone();
    double[] h = e.hessian() == null ? null : e.hessian().clone();
    for (int i = 0; i < r.length; i++) {
      value += multipliers[i] * r[i] + 0.5 * penalty * r[i] * r[i];
      int[] idx = indices[i];
      double[] a = values[i];
      if (g != null) {
        double coefficient = multipliers[i] + penalty * r[i];
        for (int k = 0; k < idx.length; k++) {
          g[idx[k]] += coefficient * a[k];
        }
      }
      if (h != null) {
        for (int k = 0; k < idx.length; k++) {
          for (int l = 0; l < idx.length; l++) {
            h[idx[k] + idx[l] * numParams] += penalty * a[k] * a[l];
          }
        }
      }
    }
    return new Evaluation(value, g, h, e.rows());
  }

  /** {@code f} with the augmented term: what the optimizer and its line search probe. */
  ObjectiveFunction objective(ObjectiveFunction f) {
    return new ObjectiveFunction() {
      @Override
      public int dimension() {
        return f.dimension();
      }

      @Override
      public Evaluation evaluate(double[] params) {
        return augment(params, f.evaluate(params));
      }

      @Override
      public Evaluation evaluateWithHessian(double[] params) {
        return augment(params, f.evaluateWithHessian(params));
      }

      @Override
      public double value(double[] params) {
        return f.value(params) + term(params);
      }
    };
  }

  /**
   * The outer step once an inner problem has converged at {@code params}:
   * {@code λ ← λ + ρ(A w − c)}; true when {@code ||A w − c||₂ ≤ tol} (the run ends), else ρ
   * grows when the residual did not shrink below {@value #SHRINK} of the previous one.
   */
  boolean update(double[] params) {
    double[] r = residuals(params);
    double norm = 0.0;
    for (int i = 0; i < r.length; i++) {
      multipliers[i] += penalty * r[i];
      norm += r[i] * r[i];
    }
    norm = Math.sqrt(norm);
    outerIterations++;
    if (norm <= constraints.tol()) {
      previousResidual = norm;
      return true;
    }
    if (norm > SHRINK * previousResidual) {
      penalty = Math.min(MAX_PENALTY, penalty * GROWTH);
    }
    previousResidual = norm;
    return false;
  }

  State state() {
    return new State(multipliers, penalty, outerIterations, previousResidual);
  }

  void restore(State s) {
    if (s == null) {
      throw new IllegalArgumentException("the checkpoint holds no equality-constraint state;"
          + " this run has " + targets.length + " constraints");
    }
    if (s.multipliers().length != multipliers.length) {
      throw new IllegalArgumentException("the checkpoint holds " + s.multipliers().length
          + " multipliers; this run has " + multipliers.length + " constraints");
    }
    System.arraycopy(s.multipliers(), 0, multipliers, 0, multipliers.length);
    penalty = s.penalty();
    outerIterations = s.outerIterations();
    previousResidual = s.previousResidual();
  }

  /** The outcome at the final {@code params} (in the optimizer's space). */
  Report report(double[] params) {
    double[] r = residuals(params);
    double norm = 0.0;
    for (double x : r) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    int[] lines = new int[targets.length];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = constraints.rows().get(i).line();
    }
    return new Report(constraints.source(), lines, targets.clone(), multipliers.clone(), r,
        norm, constraints.tol(), norm <= constraints.tol(), outerIterations, penalty);
  }
}
