package descent.driver.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.Evaluation;
import descent.driver.StateJson;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** L-BFGS: the first step by hand, the two-loop against the explicit BFGS matrix, convergence. */
class LbfgsTest {

  @Test
  void firstStepIsSteepestDescentWithTrialLengthOneOverTheGradientNorm() {
    // F = ½(x² + 4y²) from (1, 1): g = (1, 4), ||g|| = √17, α0 = 1/√17.
    // φ'(α) = −17 + 65α, so φ'(α0) = −17 + 65/√17 = −1.235 and |φ'(α0)| ≤ 0.9·17: accepted.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1, 4}, new double[] {0, 0});
    Lbfgs lbfgs = new Lbfgs();
    double[] x = {1, 1};
    lbfgs.step(x, f.evaluate(x), f, 1.0);
    double alpha = 1 / Math.sqrt(17);
    assertArrayEquals(new double[] {1 - alpha, 1 - 4 * alpha}, x, 1e-15);
    assertEquals(1, f.evaluations - 1, "one trial");
    assertEquals(1, lbfgs.pairs());
  }

  @Test
  void secondDirectionEqualsTheBfgsUpdateOfTheScaledIdentity() {
    // After one pair (s, y): H1 = (I − ρ s yᵀ) γI (I − ρ y sᵀ) + ρ s sᵀ, γ = sᵀy / yᵀy.
    Functions.Analytic f = Functions.diagonalQuadratic(new double[] {1, 4}, new double[] {0, 0});
    Lbfgs lbfgs = new Lbfgs();
    double[] x0 = {1, 1};
    double[] x = x0.clone();
    lbfgs.step(x, f.evaluate(x), f, 1.0);
    double[] s = {x[0] - x0[0], x[1] - x0[1]};
    double[] g0 = f.gradient.apply(x0);
    double[] g1 = f.gradient.apply(x);
    double[] y = {g1[0] - g0[0], g1[1] - g0[1]};
    double[] expected = minus(times(bfgs(new double[][] {s}, new double[][] {y}), g1));
    assertArrayEquals(expected, lbfgs.direction(g1), 1e-14);
  }

  @Test
  void twoLoopEqualsTheExplicitUpdateForSeveralPairs() {
    Random random = new Random(7);
    int n = 4;
    int m = 3;
    double[][] s = new double[m][n];
    double[][] y = new double[m][n];
    double[] a = {1, 3, 0.5, 8};
    Lbfgs lbfgs = new Lbfgs(m);
    // Pairs of a positive definite quadratic (y = A s), fed through restore().
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        s[i][j] = random.nextGaussian();
        y[i][j] = a[j] * s[i][j];
      }
    }
    lbfgs.restore(new Lbfgs.State(3, s, y));
    double[] g = {0.3, -1, 2, 0.1};
    assertArrayEquals(minus(times(bfgs(s, y), g)), lbfgs.direction(g), 1e-12);
  }

  /** H_k from H_0 = γI (γ of the newest pair) by the BFGS inverse update, oldest pair first. */
  static double[][] bfgs(double[][] s, double[][] y) {
    int n = s[0].length;
    int newest = s.length - 1;
    double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
    double[][] h = new double[n][n];
    for (int j = 0; j < n; j++) {
      h[j][j] = gamma;
    }
    for (int k = 0; k < s.length; k++) {
      double rho = 1 / dot(s[k], y[k]);
      double[][] v = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          v[i][j] = (i == j ? 1 : 0) - rho * y[k][i] * s[k][j];
        }
      }
      double[][] next = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
              sum += v[p][i] * h[p][q] * v[q][j];
            }
          }
          next[i][j] = sum + rho * s[k][i] * s[k][j];
        }
      }
      h = next;
    }
    return h;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  static double[] times(double[][] m, double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = dot(m[i], v);
    }
    return out;
  }

  static double[] minus(double[] v) {
    double[] out = v.clone();
    for (int j = 0; j < out.length; j++) {
      out[j] = -out[j];
    }
    return out;
  }

  @Test
  void solvesAnIllConditionedQuadraticAndRosenbrock() {
    double[] a = {1, 10, 100, 1000, 0.1};
    double[] c = {1, -2, 3, 0.5, -1};
    Functions.Analytic f = Functions.diagonalQuadratic(a, c);
    double[] x = run(f, new double[5], 100);
    assertArrayEquals(c, x, 1e-8);
    Functions.Analytic rosen = Functions.rosenbrock();
    double[] r = run(rosen, new double[] {-1.2, 1}, 200);
    assertArrayEquals(new double[] {1, 1}, r, 1e-7);
  }

  /** Steps until the parameters stop moving; each step must not raise F. */
  static double[] run(Functions.Analytic f, double[] x, int maxSteps) {
    Lbfgs lbfgs = new Lbfgs();
    for (int k = 0; k < maxSteps; k++) {
      double[] before = x.clone();
      Evaluation at = f.evaluate(x);
      lbfgs.step(x, at, f, 1.0);
      assertTrue(f.value(x) <= at.value(), "step " + k + " raised F");
      if (Arrays.equals(before, x)) {
        break;
      }
    }
    return x;
  }

  @Test
  void stateRoundTripContinuesBitForBit() {
    Functions.Analytic f = Functions.rosenbrock();
    Lbfgs straight = new Lbfgs(3);
    double[] x = {-1.2, 1};
    for (int k = 0; k < 8; k++) {
      straight.step(x, f.evaluate(x), f, 1.0);
    }
    Lbfgs first = new Lbfgs(3);
    double[] y = {-1.2, 1};
    for (int k = 0; k < 5; k++) {
      first.step(y, f.evaluate(y), f, 1.0);
    }
    Lbfgs resumed = new Lbfgs(3);
    resumed.restore(StateJson.optimizerState(StateJson.toJson(first.state())));
    for (int k = 0; k < 3; k++) {
      resumed.step(y, f.evaluate(y), f, 1.0);
    }
    assertArrayEquals(x, y, 0.0);
    Lbfgs.State expected = straight.state();
    Lbfgs.State actual = resumed.state();
    assertEquals(expected.step(), actual.step());
    assertEquals(expected.s().length, actual.s().length);
    for (int i = 0; i < expected.s().length; i++) {
      assertArrayEquals(expected.s()[i], actual.s()[i], 0.0, "s " + i);
      assertArrayEquals(expected.y()[i], actual.y()[i], 0.0, "y " + i);
    }
  }

  @Test
  void refusesDamagedStates() {
    Lbfgs lbfgs = new Lbfgs(2);
    double[][] three = {{1, 0}, {0, 1}, {1, 1}};
    assertRejected("history=2", () -> lbfgs.restore(new Lbfgs.State(1, three, three)));
    assertRejected("no \"y\"", () -> lbfgs.restore(new Lbfgs.State(1, new double[][] {{1, 0}},
        null)));
    assertRejected("pairs", () -> lbfgs.restore(new Lbfgs.State(1, new double[][] {{1, 0}},
        new double[0][])));
    assertRejected("length", () -> lbfgs.restore(new Lbfgs.State(1,
        new double[][] {{1, 0}, {1, 0, 0}}, new double[][] {{1, 0}, {1, 0, 0}})));
    assertRejected("sᵀy <= 0", () -> lbfgs.restore(new Lbfgs.State(1,
        new double[][] {{1, 0}}, new double[][] {{-1, 0}})));
    assertRejected("step", () -> lbfgs.restore(new Lbfgs.State(-1, new double[0][],
        new double[0][])));
    assertRejected("adam", () -> lbfgs.restore(new Adam().state()));
    assertRejected("Unrecognized field \"moment\"", () -> lbfgs.restore(
        StateJson.optimizerState("{\"type\": \"lbfgs\", \"step\": 1, \"s\": [], \"y\": [],"
            + " \"moment\": [1]}")));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0));
    // none of the refusals changed the empty history
    assertEquals(0, lbfgs.pairs());
  }

  @Test
  void restoreCopiesThePairs() {
    double[][] s = {{1, 0}};
    double[][] y = {{2, 0}};
    Lbfgs lbfgs = new Lbfgs(2);
    lbfgs.restore(new Lbfgs.State(1, s, y));
    s[0][0] = -5;
    Lbfgs.State state = lbfgs.state();
    assertArrayEquals(new double[] {1, 0}, state.s()[0], 0.0);
    state.y()[0][0] = -7;
    assertArrayEquals(new double[] {2, 0}, lbfgs.state().y()[0], 0.0);
  }

  static void assertRejected(String part, org.junit.jupiter.api.function.Executable restore) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, restore);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
