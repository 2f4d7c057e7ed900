package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Optimizer;
import descent.driver.OptimizerConfig;
import descent.driver.OptimizerState;
import descent.driver.Regularizer;
import descent.driver.StateJson;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse step against the dense optimizers: each exact mode gives the dense model on random
 * sparse gradient sequences, each lazy mode follows its definition on a hand-computed two-step
 * example, states pass between the paths and round-trip bit for bit, and the factory says why
 * a configuration stays dense.
 */
class SparseStepsTest {

  /** Coefficients, then 3 intercepts (a 3-class softmax layout's tail). */
  static final int NC = 1000;
  static final int N = NC + 3;
  static final int STEPS = 1000;

  /** lr of step t: varies, so a stale rate or step count would show. */
  static double lr(int t) {
    return 0.05 + 0.1 * Math.abs(Math.sin(0.37 * t));
  }

  static OptimizerConfig sgd() {
    return OptimizerConfig.named("sgd");
  }

  static OptimizerConfig adagrad() {
    return new OptimizerConfig("adagrad", null, null, null, null, null, 1e-10, null, null, null,
        null, 0.01, 0.1, null, null, null, null);
  }

  static OptimizerConfig rmsprop(double momentum, boolean centered) {
    return new OptimizerConfig("rmsprop", momentum, null, null, null, null, 1e-8, null, null, 0.9,
        centered, null, null, null, null, null, null);
  }

  static OptimizerConfig deltaBarDelta() {
    return new OptimizerConfig("delta-bar-delta", null, null, null, null, null, null, null, null,
        null, null, null, null, 0.05, 0.1, 0.7, null);
  }

  static OptimizerConfig momentum(double momentum, boolean nesterov) {
    return new OptimizerConfig("sgd", momentum, null, nesterov, null, null, null, null, null,
        null, null, null, null, null, null, null, null);
  }

  static OptimizerConfig adam(boolean amsgrad) {
    return new OptimizerConfig("adam", null, null, null, 0.9, 0.99, 1e-8, amsgrad, null, null,
        null, null, null, null, null, null, null);
  }

  static OptimizerConfig adamw(double weightDecay, boolean amsgrad) {
    return new OptimizerConfig("adamw", null, null, null, 0.9, 0.99, 1e-8, amsgrad, weightDecay,
        null, null, null, null, null, null, null, null);
  }

  /** The sparse optimizer {@code of} must give. */
  static SparseOptimizer sparse(OptimizerConfig c, Regularizer r, SparseUpdate mode) {
    SparseOptimizer.Choice choice = SparseOptimizer.of(c, r, N, NC, mode);
    assertTrue(choice.isSparse(), c.name() + ": " + choice.reason());
    return choice.optimizer();
  }

  // A random sparse problem: ½ Σ a_j (w_j − c_j)² plus noise, on ~20 coordinates a step.

  /** The touched coordinates and the noise of each step, the same for both paths. */
  record Sequence(int[][] indices, double[][] noise, double[] a, double[] c, double[] start) {

    static Sequence random(long seed) {
      Random rnd = new Random(seed);
      int[][] indices = new int[STEPS][];
      double[][] noise = new double[STEPS][];
      for (int t = 0; t < STEPS; t++) {
        TreeSet<Integer> touched = new TreeSet<>();
        while (touched.size() < 20) {
          double u = rnd.nextDouble();
          touched.add((int) (NC * u * u)); // low coordinates more often than high ones
        }
        for (int k = NC; k < N; k++) {
          if (rnd.nextDouble() < 0.8) {
            touched.add(k);
          }
        }
        indices[t] = touched.stream().mapToInt(Integer::intValue).toArray();
        noise[t] = new double[indices[t].length];
        for (int i = 0; i < noise[t].length; i++) {
          noise[t][i] = rnd.nextGaussian();
        }
      }
      double[] a = new double[N];
      double[] c = new double[N];
      double[] start = new double[N];
      for (int j = 0; j < N; j++) {
        a[j] = 0.5 + 1.5 * rnd.nextDouble();
        c[j] = rnd.nextGaussian();
        start[j] = 0.3 * rnd.nextGaussian();
      }
      return new Sequence(indices, noise, a, c, start);
    }

    /** Step t's gradient values at the model {@code w} (read only where touched). */
    double[] values(int t, java.util.function.IntToDoubleFunction w) {
      int[] idx = indices[t];
      double[] g = new double[idx.length];
      for (int i = 0; i < idx.length; i++) {
        int j = idx[i];
        g[i] = a[j] * (w.applyAsDouble(j) - c[j]) + noise[t][i];
      }
      return g;
    }
  }

  /** The dense path as the training loop takes it: loss gradient + L2, step, prox. */
  static final class Dense {
    final Optimizer optimizer;
    final Regularizer.ElasticNet reg;
    final double[] w;
    double gradientNorm;
    double stepNorm;

    Dense(OptimizerConfig c, Regularizer.ElasticNet reg, double[] start) {
      this.optimizer = c.create(NC);
      this.reg = reg;
      this.w = start.clone();
    }

    void step(int[] idx, double[] values, double lr) {
      double[] g = new double[N];
      for (int i = 0; i < idx.length; i++) {
        g[idx[i]] = values[i];
      }
      reg.addGradient(w, g, NC);
      gradientNorm = norm(g);
      double[] before = w.clone();
      optimizer.step(w, g, lr);
      reg.prox(w, NC, lr);
      for (int j = 0; j < N; j++) {
        before[j] = w[j] - before[j];
      }
      stepNorm = norm(before);
    }
  }

  /** The model {@code (v, s)}, or {@code (v, y, s, r)}, as a dense array. */
  static double[] model(SparseOptimizer opt, double[] v) {
    double[] w = v.clone();
    double[] y = opt.secondVector();
    for (int j = 0; j < NC; j++) {
      w[j] = y == null ? w[j] * opt.scale() : opt.scale() * v[j] + opt.secondScale() * y[j];
    }
    return w;
  }

  static double norm(double[] x) {
    double s = 0;
    for (double e : x) {
      s += e * e;
    }
    return Math.sqrt(s);
  }

  static double maxAbs(double[] x) {
    double m = 0;
    for (double e : x) {
      m = Math.max(m, Math.abs(e));
    }
    return m;
  }

  /** max_j |actual_j − expected_j| ≤ tol·max_j |expected_j|. */
  static void assertRelative(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = maxAbs(expected);
    for (int j = 0; j < expected.length; j++) {
      double err = Math.abs(actual[j] - expected[j]);
      if (!(err <= tol * scale)) {
        throw new AssertionError(what + ": coordinate " + j + " is " + actual[j] + ", dense "
            + expected[j] + " (relative " + err / scale + ")");
      }
    }
  }

  static Stream<Named<Object[]>> exactCases() {
    return Stream.of(
        Named.of("sgd", new Object[] {sgd(), Regularizer.NONE}),
        Named.of("sgd with L2", new Object[] {sgd(), Regularizer.of(0, 0.01)}),
        Named.of("sgd with L2, renormalizing", new Object[] {sgd(), Regularizer.of(0, 0.5)}),
        Named.of("adagrad", new Object[] {adagrad(), Regularizer.NONE}),
        Named.of("rmsprop", new Object[] {rmsprop(0, false), Regularizer.NONE}),
        Named.of("rmsprop centered", new Object[] {rmsprop(0, true), Regularizer.NONE}),
        Named.of("delta-bar-delta", new Object[] {deltaBarDelta(), Regularizer.NONE}));
  }

  @ParameterizedTest
  @MethodSource("exactCases")
  void exactModeGivesTheDenseModel(Object[] args) {
    OptimizerConfig config = (OptimizerConfig) args[0];
    Regularizer.ElasticNet reg = (Regularizer.ElasticNet) args[1];
    Sequence seq = Sequence.random(42);
    SparseOptimizer opt = sparse(config, reg, SparseUpdate.EXACT);
    assertEquals(SparseUpdate.EXACT, opt.mode());
    Dense dense = new Dense(config, reg, seq.start());
    double[] v = seq.start().clone();
    int renormalizations = 0;
    for (int t = 0; t < STEPS; t++) {
      double lr = lr(t + 1);
      int[] idx = seq.indices()[t];
      double[] w = model(opt, v);
      double[] vBefore = v.clone();
      opt.step(v, idx, seq.values(t, j -> w[j]), idx.length, lr);
      dense.step(idx, seq.values(t, j -> dense.w[j]), lr);

      assertRelative(dense.w, model(opt, v), 1e-12, "step " + (t + 1));
      assertEquals(dense.gradientNorm, opt.gradientNorm(), 1e-9 * dense.gradientNorm, "|g|");
      assertEquals(dense.stepNorm, opt.stepNorm(), 1e-9 * dense.stepNorm, "|Δw|");
      // v changes only where the step says
      int[] changed = Arrays.copyOf(opt.changed(), opt.changedCount());
      if (opt.renormalized()) {
        renormalizations++;
        assertEquals(1.0, opt.scale());
        assertEquals(NC + Arrays.stream(idx).filter(j -> j >= NC).count(), changed.length);
      } else {
        assertArrayEquals(idx, changed);
      }
      for (int j = 0, k = 0; j < N; j++) {
        if (k < changed.length && changed[k] == j) {
          k++;
        } else {
          assertEquals(vBefore[j], v[j], 0.0, "v_" + j + " changed unreported");
        }
      }
    }
    if (reg.regL2() >= 0.5) {
      assertTrue(renormalizations >= 2, "renormalized " + renormalizations + " times");
    } else {
      assertEquals(0, renormalizations);
    }
    opt.catchUp(v);
    assertEquals(1.0, opt.scale());
    assertRelative(dense.w, v, 1e-12, "after catch-up");
    assertStatesClose(dense.optimizer.state(), opt.state(), 1e-12);
  }

  static Stream<Named<Object[]>> momentumCases() {
    return Stream.of(
        Named.of("heavy ball", new Object[] {momentum(0.9, false), Regularizer.NONE}),
        Named.of("heavy ball with L2", new Object[] {momentum(0.9, false),
            Regularizer.of(0, 0.05)}),
        Named.of("nesterov with L2", new Object[] {momentum(0.5, true), Regularizer.of(0, 0.1)}),
        Named.of("dampening with L2", new Object[] {new OptimizerConfig("sgd", 0.99, 0.3, false,
            null, null, null, null, null, null, null, null, null, null, null, null, null),
            Regularizer.of(0, 0.01)}));
  }

  /**
   * Momentum keeps its model as two vectors and a 2×2 map: each step equals the dense step to
   * 1e-12, v and y change only where the step says, and the map is folded back (a dense step)
   * once in many steps only.
   */
  @ParameterizedTest
  @MethodSource("momentumCases")
  void exactMomentumGivesTheDenseModel(Object[] args) {
    OptimizerConfig config = (OptimizerConfig) args[0];
    Regularizer.ElasticNet reg = (Regularizer.ElasticNet) args[1];
    Sequence seq = Sequence.random(43);
    SparseOptimizer opt = sparse(config, reg, SparseUpdate.EXACT);
    assertEquals(SparseUpdate.EXACT, opt.mode());
    assertNotNull(opt.secondVector());
    Dense dense = new Dense(config, reg, seq.start());
    double[] v = seq.start().clone();
    int denseSteps = 0;
    for (int t = 0; t < STEPS; t++) {
      double lr = lr(t + 1);
      int[] idx = seq.indices()[t];
      double[] w = model(opt, v);
      double[] vBefore = v.clone();
      double[] yBefore = opt.secondVector().clone();
      opt.step(v, idx, seq.values(t, j -> w[j]), idx.length, lr);
      dense.step(idx, seq.values(t, j -> dense.w[j]), lr);

      assertRelative(dense.w, model(opt, v), 1e-12, "step " + (t + 1));
      assertEquals(dense.gradientNorm, opt.gradientNorm(), 1e-9 * dense.gradientNorm, "|g|");
      assertEquals(dense.stepNorm, opt.stepNorm(), 1e-9 * dense.stepNorm, "|Δw|");
      int[] changed = Arrays.copyOf(opt.changed(), opt.changedCount());
      if (opt.renormalized()) {
        denseSteps++;
        assertEquals(N, changed.length);
        assertEquals(1.0, opt.scale());
        assertEquals(0.0, opt.secondScale());
      } else {
        // the touched coefficients, then every intercept (their buffers move them each step)
        int[] expected = Arrays.copyOf(Arrays.stream(idx).filter(j -> j < NC).toArray(),
            (int) Arrays.stream(idx).filter(j -> j < NC).count() + N - NC);
        for (int j = NC, k = expected.length - (N - NC); j < N; j++) {
          expected[k++] = j;
        }
        assertArrayEquals(expected, changed);
      }
      for (int j = 0, k = 0; j < N; j++) {
        if (k < changed.length && changed[k] == j) {
          k++;
        } else {
          assertEquals(vBefore[j], v[j], 0.0, "v_" + j + " changed unreported");
          assertEquals(yBefore[j], opt.secondVector()[j], 0.0, "y_" + j + " changed unreported");
        }
      }
    }
    // Without L2, P = [[1, −c], [0, μ^t]] and the fold comes once in about log(1e3)/log(1/μ)
    // steps; with L2 M may rotate and shrink both directions alike, and the fold comes later
    assertTrue(denseSteps <= STEPS / 10, denseSteps + " dense steps");
    if (reg.regL2() == 0) {
      assertTrue(denseSteps >= 10, denseSteps + " dense steps");
    }
    opt.catchUp(v);
    assertEquals(1.0, opt.scale());
    assertEquals(0.0, opt.secondScale());
    assertRelative(dense.w, v, 1e-12, "after catch-up");
    assertStatesClose(dense.optimizer.state(), opt.state(), 1e-12);
  }

  /** Two states of one type whose arrays agree to {@code tol}, relative. */
  static void assertStatesClose(OptimizerState expected, OptimizerState actual, double tol) {
    assertEquals(expected.getClass(), actual.getClass());
    var e = StateJson.toTree(expected);
    var a = StateJson.toTree(actual);
    e.fieldNames().forEachRemaining(f -> {
      if (e.get(f).isArray()) {
        double[] x = new double[e.get(f).size()];
        double[] y = new double[a.get(f).size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = e.get(f).get(i).asDouble();
        }
        for (int i = 0; i < y.length; i++) {
          y[i] = a.get(f).get(i).asDouble();
        }
        assertRelative(x, y, tol, f);
      } else {
        assertEquals(e.get(f), a.get(f), f);
      }
    });
  }

  // Lazy modes, by hand: 2 coefficients and an intercept, θ_0 = (0.1, −0.2 | 0.3), lr = 0.1.

  static final double LR = 0.1;
  static final double TOL = 1e-12;

  static SparseOptimizer tiny(OptimizerConfig c, Regularizer r) {
    return tiny(c, r, SparseUpdate.LAZY);
  }

  /** The optimizer {@code of} gives in lazy mode, which must be {@code expected}. */
  static SparseOptimizer tiny(OptimizerConfig c, Regularizer r, SparseUpdate expected) {
    SparseOptimizer.Choice choice = SparseOptimizer.of(c, r, 3, 2, SparseUpdate.LAZY);
    assertTrue(choice.isSparse(), choice.reason());
    assertEquals(expected, choice.optimizer().mode());
    return choice.optimizer();
  }

  static double[] w(SparseOptimizer opt, double[] v) {
    return new double[] {opt.scale() * v[0], opt.scale() * v[1], v[2]};
  }

  @Test
  void lazyAdamMovesOnlyTheTouchedCoordinates() {
    SparseOptimizer opt = tiny(adam(false), Regularizer.NONE);
    double[] v = {0.1, -0.2, 0.3};
    // step 1 touches w_0 (g = 1) and the intercept (g = 0.5); β1 = 0.9, β2 = 0.99
    // m = 0.1·(1, 0.5), s = 0.01·(1, 0.25); m̂ = (1, 0.5), ŝ = (1, 0.25), √ŝ = (1, 0.5)
    opt.step(v, new int[] {0, 2}, new double[] {1, 0.5}, 2, LR);
    double w0 = 0.1 - 0.1 * 1 / (1 + 1e-8);
    double b = 0.3 - 0.1 * 0.5 / (0.5 + 1e-8);
    assertArrayEquals(new double[] {w0, -0.2, b}, w(opt, v), TOL);
    // step 2 touches w_1 only (g = −2): m_1 = 0.1·(−2), s_1 = 0.01·4, first moments of its own
    // but t = 2 in the bias corrections: 1 − 0.9² = 0.19, 1 − 0.99² = 0.0199.
    // w_0 and b keep their values and moments (dense Adam would move them by m̂/√ŝ)
    opt.step(v, new int[] {1}, new double[] {-2}, 1, LR);
    double w1 = -0.2 - 0.1 * (-0.2 / 0.19) / (Math.sqrt(0.04 / 0.0199) + 1e-8);
    assertArrayEquals(new double[] {w0, w1, b}, w(opt, v), TOL);
    opt.catchUp(v);
    Adam.State s = (Adam.State) opt.state();
    assertEquals(2, s.step());
    assertArrayEquals(new double[] {0.1, -0.2, 0.05}, s.expAvg(), TOL);
    assertArrayEquals(new double[] {0.01, 0.04, 0.0025}, s.expAvgSq(), TOL);
  }

  @Test
  void lazyAdamWDecaysEveryCoefficientThroughTheScale() {
    SparseOptimizer opt = tiny(adamw(0.1, false), Regularizer.NONE);
    double[] v = {0.1, -0.2, 0.3};
    // step 1: s = 1 − 0.1·0.1 = 0.99 for both coefficients, then Adam on w_0 as above
    opt.step(v, new int[] {0}, new double[] {1}, 1, LR);
    double w0 = 0.99 * 0.1 - 0.1 * 1 / (1 + 1e-8);
    assertEquals(0.99, opt.scale(), TOL);
    assertArrayEquals(new double[] {w0, 0.99 * -0.2, 0.3}, w(opt, v), TOL);
    // step 2 touches the intercept only (g = 0.5; intercepts never decay): the coefficients
    // decay once more, s = 0.99², and nothing else moves them
    opt.step(v, new int[] {2}, new double[] {0.5}, 1, LR);
    double b = 0.3 - 0.1 * (0.05 / 0.19) / (Math.sqrt(0.0025 / 0.0199) + 1e-8);
    assertArrayEquals(new double[] {0.99 * w0, 0.99 * 0.99 * -0.2, b}, w(opt, v), TOL);
    assertEquals(1, opt.changedCount());
    assertEquals(2, opt.changed()[0]);
    // ‖Δw‖: the coefficients moved by (0.99² − 0.99)·v_j, the intercept by its step
    double dw = Math.hypot(Math.hypot((0.99 * 0.99 - 0.99) * v[0], (0.99 * 0.99 - 0.99) * v[1]),
        b - 0.3);
    assertEquals(dw, opt.stepNorm(), TOL);
  }

  /**
   * TensorFlow's sparse momentum, which {@code of} gives for momentum with an L1 penalty in
   * lazy mode (here without the L1 part, to follow the buffers alone).
   */
  static SparseOptimizer lazyMomentum(double momentum, boolean nesterov, double regL2) {
    return new SparseSgd(SparseUpdate.LAZY, 3, 2, 0, regL2, momentum, 0, nesterov);
  }

  @Test
  void lazyMomentumWithL2OnTheTouchedCoordinates() {
    SparseOptimizer opt = lazyMomentum(0.9, false, 0.1);
    double[] v = {0.1, -0.2, 0.3};
    // step 1 touches both coefficients: g + 0.1·w = (1 + 0.01, −2 − 0.02), b = g
    opt.step(v, new int[] {0, 1}, new double[] {1, -2}, 2, LR);
    double w0 = 0.1 - 0.1 * 1.01;
    double w1 = -0.2 + 0.1 * 2.02;
    assertArrayEquals(new double[] {w0, w1, 0.3}, w(opt, v), TOL);
    assertEquals(1.0, opt.scale());
    // ‖g + λ₂w‖ over every coordinate: the untouched intercept adds nothing
    assertEquals(Math.hypot(1.01, 2.02), opt.gradientNorm(), TOL);
    // step 2 touches w_1 (g = 3) and the intercept (g = 0.5, never penalized):
    // b_1 = 0.9·(−2.02) + 3 + 0.1·w1, b_2 = 0.5; w_0 keeps its buffer 1.01 and stays put
    opt.step(v, new int[] {1, 2}, new double[] {3, 0.5}, 2, LR);
    double b1 = 0.9 * -2.02 + 3 + 0.1 * w1;
    assertArrayEquals(new double[] {w0, w1 - 0.1 * b1, 0.3 - 0.1 * 0.5}, w(opt, v), TOL);
    // the objective's gradient still penalizes the untouched w_0
    assertEquals(Math.sqrt(0.01 * w0 * w0 + Math.pow(3 + 0.1 * w1, 2) + 0.25),
        opt.gradientNorm(), TOL);
    opt.catchUp(v);
    MomentumSgd.State s = (MomentumSgd.State) opt.state();
    assertArrayEquals(new double[] {1.01, b1, 0.5}, s.momentumBuffer(), TOL);
  }

  @Test
  void lazyNesterovStepsAlongTheLookAhead() {
    SparseOptimizer opt = lazyMomentum(0.5, true, 0);
    double[] v = {0.1, -0.2, 0.3};
    // step 1: b_0 = 1, d = g + μ·b = 1.5; step 2 on w_1 only: b_1 = −2, d = −3
    opt.step(v, new int[] {0}, new double[] {1}, 1, LR);
    opt.step(v, new int[] {1}, new double[] {-2}, 1, LR);
    assertArrayEquals(new double[] {0.1 - 0.15, -0.2 + 0.3, 0.3}, w(opt, v), TOL);
  }

  @Test
  void lazyL1IsTheCumulativePenaltyCarriedByTheScale() {
    // sgd with the elastic net λ₁ = 0.5, λ₂ = 0.1: s ← 0.99·s each step, u ← u + lr·λ₁/s
    SparseOptimizer opt = tiny(sgd(), Regularizer.of(0.5, 0.1));
    double[] v = {0.1, -0.2, 0.3};
    // step 1 touches w_0 (g = 0.2) and the intercept (g = 0.5):
    // w_0 = 0.99·0.1 − 0.1·0.2 = 0.079, then its penalty 0.05 → 0.029, as the dense prox;
    // w_1 only decays, its penalty pending: 0.99·(−0.2)
    opt.step(v, new int[] {0, 2}, new double[] {0.2, 0.5}, 2, LR);
    assertArrayEquals(new double[] {0.029, -0.198, 0.25}, w(opt, v), TOL);
    // step 2 touches w_1 (g = 0.1): 0.99·(−0.198) − 0.01 = −0.20602, then the whole penalty it
    // missed, in today's units 0.05·0.99 (step 1's, decayed once) + 0.05: −0.10652, which is
    // also the dense path's value. w_0 only decays: 0.99·0.029 (dense: thresholded to 0)
    opt.step(v, new int[] {1}, new double[] {0.1}, 1, LR);
    assertArrayEquals(new double[] {0.99 * 0.029, -0.10652, 0.25}, w(opt, v), TOL);
    // catch-up applies w_0's pending penalty 0.05: it reaches 0
    opt.catchUp(v);
    assertArrayEquals(new double[] {0, -0.10652, 0.25}, v, TOL);
    assertEquals(0.0, v[0]);
  }

  @Test
  void lazyL1CarriesThePenaltyAcrossASignChange() {
    // plain sgd, λ₁ = 1: Tsuruoka's q_j remembers the penalty taken on the positive side
    SparseOptimizer opt = tiny(sgd(), Regularizer.of(1, 0));
    double[] v = {0.5, 0, 0};
    // step 1: w_0 = 0.5 − 0.1·1 = 0.4, then u = 0.1: 0.3, q_0 = −0.1
    opt.step(v, new int[] {0}, new double[] {1}, 1, LR);
    assertEquals(0.3, v[0], TOL);
    // step 2: g = −10 pushes it to 0.3 + 1 = 1.3; u = 0.2, threshold u + q_0 = 0.1 → 1.2
    opt.step(v, new int[] {0}, new double[] {-10}, 1, LR);
    assertEquals(1.2, v[0], TOL);
    // step 3: g = 20 → 1.2 − 2 = −0.8; u = 0.3, q_0 = −0.2: threshold u − q_0 = 0.5 → −0.3
    // (the dense prox would give −0.7)
    opt.step(v, new int[] {0}, new double[] {20}, 1, LR);
    assertEquals(-0.3, v[0], TOL);
  }

  @Test
  void rmspropCatchesUpItsAveragesByAlphaToTheK() {
    SparseOptimizer opt = tiny(rmsprop(0, false), Regularizer.NONE, SparseUpdate.EXACT);
    double[] v = {0.1, -0.2, 0.3};
    // α = 0.9: step 1 on w_0, g = 1: s_0 = 0.1; steps 2 and 3 on w_1; step 4 on w_0, g = 2:
    // s_0 = 0.9·(0.9²·0.1) + 0.1·4
    opt.step(v, new int[] {0}, new double[] {1}, 1, LR);
    double w0 = 0.1 - 0.1 / (Math.sqrt(0.1) + 1e-8);
    opt.step(v, new int[] {1}, new double[] {1}, 1, LR);
    opt.step(v, new int[] {1}, new double[] {1}, 1, LR);
    opt.catchUp(v);
    assertArrayEquals(new double[] {0.1 * 0.81, 0.19, 0}, ((RmsProp.State) opt.state())
        .squareAvg(), TOL);
    opt.step(v, new int[] {0}, new double[] {2}, 1, LR);
    double s0 = 0.9 * 0.081 + 0.4;
    assertEquals(w0 - 0.1 * 2 / (Math.sqrt(s0) + 1e-8), v[0], TOL);
  }

  @Test
  void lazyModeIsExactWhereExactExists() {
    assertEquals(SparseUpdate.EXACT, SparseOptimizer.of(sgd(), Regularizer.of(0, 1), 3, 2,
        SparseUpdate.LAZY).optimizer().mode());
    assertEquals(SparseUpdate.EXACT, SparseOptimizer.of(adagrad(), Regularizer.NONE, 3, 2,
        SparseUpdate.LAZY).optimizer().mode());
    assertEquals(SparseUpdate.LAZY, SparseOptimizer.of(adagrad(), Regularizer.of(0, 1), 3, 2,
        SparseUpdate.LAZY).optimizer().mode());
    assertEquals(SparseUpdate.EXACT, SparseOptimizer.of(momentum(0.9, true), Regularizer.of(0,
        1), 3, 2, SparseUpdate.LAZY).optimizer().mode());
    assertEquals(SparseUpdate.LAZY, SparseOptimizer.of(momentum(0.9, true), Regularizer.of(0.1,
        1), 3, 2, SparseUpdate.LAZY).optimizer().mode());
  }

  // State.

  static Stream<Named<Object[]>> allModes() {
    return Stream.of(
        Named.of("sgd L2 exact", new Object[] {sgd(), Regularizer.of(0, 0.5)}),
        Named.of("sgd elastic net lazy", new Object[] {sgd(), Regularizer.of(0.01, 0.5)}),
        Named.of("momentum L2 exact", new Object[] {momentum(0.9, false),
            Regularizer.of(0, 0.1)}),
        Named.of("nesterov exact", new Object[] {momentum(0.5, true), Regularizer.NONE}),
        Named.of("momentum elastic net lazy", new Object[] {momentum(0.9, false),
            Regularizer.of(0.01, 0.1)}),
        Named.of("adagrad exact", new Object[] {adagrad(), Regularizer.NONE}),
        Named.of("adagrad L2 lazy", new Object[] {adagrad(), Regularizer.of(0, 0.1)}),
        Named.of("rmsprop centered exact", new Object[] {rmsprop(0, true), Regularizer.NONE}),
        Named.of("rmsprop momentum lazy", new Object[] {rmsprop(0.5, true), Regularizer.NONE}),
        Named.of("delta-bar-delta exact", new Object[] {deltaBarDelta(), Regularizer.NONE}),
        Named.of("adam lazy", new Object[] {adam(false), Regularizer.of(0.01, 0.01)}),
        Named.of("adamw amsgrad lazy", new Object[] {adamw(0.3, true), Regularizer.NONE}));
  }

  static void run(SparseOptimizer opt, double[] v, Sequence seq, int from, int to) {
    for (int t = from; t < to; t++) {
      int[] idx = seq.indices()[t];
      double[] w = model(opt, v);
      opt.step(v, idx, seq.values(t, j -> w[j]), idx.length, lr(t + 1));
    }
  }

  @ParameterizedTest
  @MethodSource("allModes")
  void checkpointAfterCatchUpContinuesBitForBit(Object[] args) {
    OptimizerConfig config = (OptimizerConfig) args[0];
    Regularizer reg = (Regularizer) args[1];
    Sequence seq = Sequence.random(7);
    SparseOptimizer first = sparse(config, reg, SparseUpdate.LAZY);
    double[] v = seq.start().clone();
    run(first, v, seq, 0, 300);
    assertThrows(IllegalStateException.class, first::state);
    first.catchUp(v);
    OptimizerState saved = StateJson.optimizerState(StateJson.toJson(first.state()));
    double[] params = v.clone();

    run(first, v, seq, 300, 600);
    first.catchUp(v);

    SparseOptimizer second = sparse(config, reg, SparseUpdate.LAZY);
    second.restore(saved, params);
    run(second, params, seq, 300, 600);
    second.catchUp(params);
    assertArrayEquals(v, params, 0.0);
    assertEquals(StateJson.toTree(first.state()), StateJson.toTree(second.state()));

    // the dense optimizer takes the sparse state, and the sparse one the dense state
    Optimizer dense = config.create(NC);
    dense.restore(saved);
    SparseOptimizer third = sparse(config, reg, SparseUpdate.LAZY);
    third.restore(dense.state(), params);
    assertEquals(StateJson.toTree(saved), StateJson.toTree(third.state()));
  }

  @Test
  void restoreRefusesAnotherOptimizersStateAndWrongLengths() {
    SparseOptimizer sgd = sparse(momentum(0.9, false), Regularizer.NONE, SparseUpdate.LAZY);
    double[] params = new double[N];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sgd.restore(new Adam.State(0, null, null, null), params));
    assertTrue(e.getMessage().contains("adam"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> sgd.restore(new MomentumSgd.State(3, new double[5]), params));
    assertTrue(e.getMessage().contains("length 5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> sgd.restore(new MomentumSgd.State(3, new double[N]), new double[5]));
    assertTrue(e.getMessage().contains("got 5"), e.getMessage());
    assertEquals(0, sgd.steps());
  }

  @Test
  void stepRefusesUnorderedOrOutOfRangeIndices() {
    SparseOptimizer opt = sparse(sgd(), Regularizer.NONE, SparseUpdate.EXACT);
    double[] v = new double[N];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> opt.step(v, new int[] {5, 3}, new double[] {1, 1}, 2, 0.1));
    assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> opt.step(v, new int[] {N}, new double[] {1}, 1, 0.1));
    assertTrue(e.getMessage().contains("numParams"), e.getMessage());
    assertEquals(0, opt.steps());
  }

  // The factory.

  static String reason(OptimizerConfig c, Regularizer r, SparseUpdate mode) {
    SparseOptimizer.Choice choice = SparseOptimizer.of(c, r, N, NC, mode);
    assertNull(choice.optimizer());
    assertNotNull(choice.reason());
    assertFalse(choice.reason().contains("\n"));
    return choice.reason();
  }

  @Test
  void exactModeSaysWhyAConfigurationStaysDense() {
    SparseUpdate exact = SparseUpdate.EXACT;
    assertEquals("adam has no exact sparse update (an untouched coordinate keeps moving with its"
        + " first moment); --sparse-update lazy updates only the touched coordinates (LazyAdam)",
        reason(adam(false), Regularizer.NONE, exact));
    assertTrue(reason(adamw(0.01, false), Regularizer.NONE, exact).startsWith(
        "adamw has no exact sparse update"));
    assertTrue(reason(momentum(0.9, false), Regularizer.of(0.1, 0.1), exact).startsWith(
        "an L1 penalty has no exact sparse update"));
    assertTrue(reason(rmsprop(0.5, false), Regularizer.NONE, exact).startsWith(
        "rmsprop with momentum has no exact sparse update"));
    assertTrue(reason(sgd(), Regularizer.of(0.1, 0.1), exact).startsWith(
        "an L1 penalty has no exact sparse update"));
    assertTrue(reason(adagrad(), Regularizer.of(0, 0.1), exact).startsWith(
        "adagrad with an L2 penalty has no exact sparse update"));
    assertTrue(reason(rmsprop(0, false), Regularizer.of(0, 0.1), exact).startsWith(
        "rmsprop with an L2 penalty has no exact sparse update"));
    assertTrue(reason(deltaBarDelta(), Regularizer.of(0, 0.1), exact).startsWith(
        "delta-bar-delta with an L2 penalty has no exact sparse update"));
    for (SparseUpdate mode : SparseUpdate.values()) {
      assertEquals("lamb has no sparse update (its trust ratio needs the norm of the whole"
          + " update)", reason(OptimizerConfig.named("lamb"), Regularizer.NONE, mode));
      assertEquals("newton is a second-order method and stays dense",
          reason(OptimizerConfig.named("newton"), Regularizer.NONE, mode));
      assertEquals("lbfgs is a second-order method and stays dense",
          reason(OptimizerConfig.named("lbfgs"), Regularizer.NONE, mode));
    }
  }

  @Test
  void modesByName() {
    assertEquals(SparseUpdate.LAZY, SparseUpdate.of("lazy"));
    assertEquals("exact", SparseUpdate.EXACT.flag());
    assertThrows(IllegalArgumentException.class, () -> SparseUpdate.of("eager"));
  }
}
