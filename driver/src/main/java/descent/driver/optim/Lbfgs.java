package descent.driver.optim;

import descent.driver.Evaluation;
import descent.driver.ObjectiveFunction;
import descent.driver.Optimizer;
import descent.driver.OptimizerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Limited-memory BFGS: the inverse Hessian is approximated from the last {@code history} pairs
 * {@code s_k = θ_{k+1} − θ_k}, {@code y_k = g_{k+1} − g_k} by the two-loop recursion (initial
 * scaling {@code γ = sᵀy / yᵀy} of the newest pair), and each step is a strong Wolfe line search
 * ({@link LineSearch#strongWolfe}) along {@code p = −H·g}, whose extra evaluations are distributed
 * passes. The first trial step is {@code lr} ({@code lr·min(1, 1/||g||)} before any pair exists).
 * A pair with {@code sᵀy ≤ 0} is skipped; when a search finds no lower point the history is
 * dropped and steepest descent tried once, and if that fails too the parameters stay put (the
 * objective is at its minimum to machine precision). It also stays put, without a search, when
 * the predicted decrease {@code −gᵀp} is within rounding of {@code F}.
 *
 * <p>Nocedal, "Updating quasi-Newton matrices with limited storage", Math. Comp. 35, 1980;
 * Liu and Nocedal, Math. Programming 45, 1989; Nocedal and Wright, Algorithm 7.4.
 *
 * <p>State: {@link State}, the iterations and the pairs, oldest first, so a resumed run
 * continues with the same directions.
 */
public final class Lbfgs implements Optimizer {
  /** Pairs kept by default (as {@code torch.optim.LBFGS}'s {@code history_size} is 100, Spark ML and SciPy use 10). */
  public static final int HISTORY = 10;

  private static final String NAME = "lbfgs";

  private final int history;
  private final List<double[]> s = new ArrayList<>();
  private final List<double[]> y = new ArrayList<>();
  private final List<Double> rho = new ArrayList<>();
  private long step;

  public Lbfgs() {
    this(HISTORY);
  }

  /** @param history pairs kept, at least 1 */
  public Lbfgs(int history) {
    if (history < 1) {
      throw new IllegalArgumentException("history must be >= 1, got " + history);
    }
    this.history = history;
  }

  @Override
  public void step(double[] params, double[] gradient, double lr) {
    throw new UnsupportedOperationException(
        "lbfgs needs the objective: call step(params, evaluation, objective, lr)");
  }

  @Override
  public void step(double[] params, Evaluation at, ObjectiveFunction f, double lr) {
    Checks.positive("lr", lr);
    double[] g = at.gradient();
    Checks.stepShapes(NAME, params, g, s.isEmpty() ? -1 : s.get(0).length);
    double gg = LineSearch.dot(g, g);
    if (gg == 0.0) {
      return;
    }
    LineSearch.Point point = null;
    if (!s.isEmpty()) {
      double[] direction = direction(g);
      if (LineSearch.dot(g, direction) < 0) {
        if (!LineSearch.canDecrease(at, direction)) {
          return;
        }
        point = LineSearch.strongWolfe(f, params, direction, at, lr);
      }
      if (point == null) {
        clearHistory();
      }
    }
    if (point == null) {
      double[] direction = new double[g.length];
      for (int j = 0; j < g.length; j++) {
        direction[j] = -g[j];
      }
      if (!LineSearch.canDecrease(at, direction)) {
        return;
      }
      point = LineSearch.strongWolfe(f, params, direction, at,
          lr * Math.min(1.0, 1.0 / Math.sqrt(gg)));
    }
    if (point == null) {
      return;
    }
    double[][] pair = pair(params, g, point);
    push(pair[0], pair[1]);
    System.arraycopy(point.x(), 0, params, 0, params.length);
    step++;
  }

  /** The two-loop recursion: {@code −H_k·g}. */
  double[] direction(double[] g) {
    int m = s.size();
    double[] q = g.clone();
    double[] alpha = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      alpha[i] = rho.get(i) * LineSearch.dot(s.get(i), q);
      double[] yi = y.get(i);
      for (int j = 0; j < q.length; j++) {
        q[j] -= alpha[i] * yi[j];
      }
    }
    double[] sNew = s.get(m - 1);
    double[] yNew = y.get(m - 1);
    double gamma = LineSearch.dot(sNew, yNew) / LineSearch.dot(yNew, yNew);
    for (int j = 0; j < q.length; j++) {
      q[j] *= gamma;
    }
    for (int i = 0; i < m; i++) {
      double beta = rho.get(i) * LineSearch.dot(y.get(i), q);
      double[] si = s.get(i);
      for (int j = 0; j < q.length; j++) {
        q[j] += si[j] * (alpha[i] - beta);
      }
    }
    for (int j = 0; j < q.length; j++) {
      q[j] = -q[j];
    }
    return q;
  }

  /**
   * The curvature pair {@code (s, y) = (x' − x, g' − g)} of a step from {@code params}, where the
   * gradient is {@code g}, to the line search's {@code point}.
   */
  static double[][] pair(double[] params, double[] g, LineSearch.Point point) {
    double[] sk = new double[params.length];
    double[] yk = new double[params.length];
    double[] gNext = point.evaluation().gradient();
    for (int j = 0; j < params.length; j++) {
      sk[j] = point.x()[j] - params[j];
      yk[j] = gNext[j] - g[j];
    }
    return new double[][] {sk, yk};
  }

  void push(double[] sk, double[] yk) {
    double sy = LineSearch.dot(sk, yk);
    if (!(sy > 0) || !(LineSearch.dot(yk, yk) > 0)) {
      return;
    }
    if (s.size() == history) {
      s.remove(0);
      y.remove(0);
      rho.remove(0);
    }
    s.add(sk);
    y.add(yk);
    rho.add(1.0 / sy);
  }

  void clearHistory() {
    s.clear();
    y.clear();
    rho.clear();
  }

  /** Counts one iteration that moved the parameters (for {@link LbfgsB}, which shares the pairs). */
  void countStep() {
    step++;
  }

  /**
   * Projected L-BFGS on {@code box} ({@link LbfgsB}), with this optimizer's history and state.
   */
  @Override
  public Optimizer bounded(Box box) {
    return new LbfgsB(this, box);
  }

  /** The pairs held now (at most {@code history}). */
  public int pairs() {
    return s.size();
  }

  @Override
  public boolean isSecondOrder() {
    return true;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The state of {@link Lbfgs}, written as {@code "lbfgs"}: with ρ_k = 1/(s_kᵀy_k) recomputed
   * from the pairs, all a resumed run needs to take the same directions.
   *
   * @param step the iterations done (steps that moved the parameters)
   * @param s the pairs' s_k = θ_{k+1} − θ_k, oldest first; empty when none is held
   * @param y the pairs' y_k = g_{k+1} − g_k, oldest first, as many as {@code s}
   */
  public record State(long step, double[][] s, double[][] y) implements OptimizerState {}

  /** A deep copy of the step count and the pairs, oldest first. */
  @Override
  public State state() {
    return new State(step, rows(s), rows(y));
  }

  private static double[][] rows(List<double[]> list) {
    double[][] out = new double[list.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).clone();
    }
    return out;
  }

  /**
   * Takes back a state from {@link #state()}: the step count and copies of the pairs, which
   * must number at most {@code history}, have one length, and each have {@code sᵀy > 0}.
   */
  @Override
  public void restore(OptimizerState state) {
    State st = Checks.stateOf(NAME, state, State.class);
    Checks.step(NAME, st.step());
    double[][] sAll = st.s();
    double[][] yAll = st.y();
    if (sAll == null || yAll == null) {
      throw new IllegalArgumentException(NAME + " state needs \"s\" and \"y\" (empty when no"
          + " pair is held), got " + (sAll == null ? "no \"s\"" : "no \"y\""));
    }
    if (sAll.length != yAll.length || sAll.length > history) {
      throw new IllegalArgumentException(NAME + " state holds " + sAll.length + " s and "
          + yAll.length + " y; they must be pairs, at most history=" + history);
    }
    List<double[]> sRows = new ArrayList<>();
    List<double[]> yRows = new ArrayList<>();
    for (int i = 0; i < sAll.length; i++) {
      double[] si = sAll[i];
      double[] yi = yAll[i];
      int n = sAll[0] == null ? 0 : sAll[0].length;
      if (si == null || yi == null || si.length == 0 || si.length != n || yi.length != n) {
        throw new IllegalArgumentException(NAME + " state pair " + i + " has length "
            + (si == null ? "null" : si.length) + " and " + (yi == null ? "null" : yi.length)
            + "; every s and y must have the length " + n + " of the first s");
      }
      if (!(LineSearch.dot(si, yi) > 0) || !(LineSearch.dot(yi, yi) > 0)) {
        throw new IllegalArgumentException(NAME + " state pair " + i + " has sᵀy <= 0");
      }
      sRows.add(si.clone());
      yRows.add(yi.clone());
    }
    clearHistory();
    step = st.step();
    for (int i = 0; i < sRows.size(); i++) {
      s.add(sRows.get(i));
      y.add(yRows.get(i));
      rho.add(1.0 / LineSearch.dot(sRows.get(i), yRows.get(i)));
    }
  }

  @Override
  public String toString() {
    return "lbfgs(history=" + history + ", c1=" + LineSearch.C1 + ", c2=" + LineSearch.C2 + ")";
  }
}
