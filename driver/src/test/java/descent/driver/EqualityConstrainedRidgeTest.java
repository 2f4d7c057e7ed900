package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ridge regression on lpsa under linear equality constraints equals the solution of its KKT
 * system, built and solved here apart from descent: with
 * {@code f(θ) = (1/2n)||Xw + b − y||² + (regL2/2)||w||²}, {@code θ = [w; b]},
 * {@code H = [[XᵀX/n + regL2·I, Xᵀ1/n], [1ᵀX/n, 1]]} and {@code g = [Xᵀy/n; mean y]}, the
 * constrained minimum solves {@code [[H, Aᵀ], [A, 0]] [θ; λ] = [g; c]}, and λ is the multiplier
 * of descent's sign convention ({@code ∇f + Aᵀλ = 0}). Also: a resumed run ends bit for bit
 * like an uninterrupted one, and the constraints' index range is checked against the model.
 */
class EqualityConstrainedRidgeTest {
  static final int D = 8;
  static final double REG = 1e-3;
  static TrainingData lpsa;
  static double[][] x;
  static double[] y;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    Path file = TestSpark.sharedData("lpsa.libsvm");
    lpsa = TestData.libsvm(file, 2, LabelDomain.REAL, D, 42);
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    x = new double[lines.size()][D];
    y = new double[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] tokens = lines.get(i).trim().split("\\s+");
      y[i] = Double.parseDouble(tokens[0]);
      for (int t = 1; t < tokens.length; t++) {
        String[] pair = tokens[t].split(":");
        x[i][Integer.parseInt(pair[0]) - 1] = Double.parseDouble(pair[1]);
      }
    }
  }

  @AfterAll
  static void drop() {
    lpsa.unpersist();
  }

  /** The coefficients sum to a budget of 1; w₁ − w₂ = 0.2; w₅ + 2w₈ = −0.1. */
  static final List<String> CONSTRAINTS = List.of(
      "# a budget, a difference and a weighted sum",
      "1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 = 1",
      "1:1 2:-1 = 0.2",
      "",
      "5:1 8:2 = -0.1");

  /** {@code [θ; λ]} of the KKT system of ridge on lpsa under {@code A θ = c} (A over w only). */
  static double[] kkt(double[][] a, double[] c) {
    int n = y.length;
    int p = D + 1;
    int m = a.length;
    double[][] k = new double[p + m][p + m];
    double[] rhs = new double[p + m];
    for (int i = 0; i < n; i++) {
      double[] row = new double[p];
      System.arraycopy(x[i], 0, row, 0, D);
      row[D] = 1.0;
      for (int r = 0; r < p; r++) {
        for (int s = 0; s < p; s++) {
          k[r][s] += row[r] * row[s] / n;
        }
        rhs[r] += row[r] * y[i] / n;
      }
    }
    for (int j = 0; j < D; j++) {
      k[j][j] += REG;
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < D; j++) {
        k[p + i][j] = a[i][j];
        k[j][p + i] = a[i][j];
      }
      rhs[p + i] = c[i];
    }
    return solve(k, rhs);
  }

  /** Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int s = col; s <= n; s++) {
          m[r][s] -= f * m[col][s];
        }
      }
    }
    double[] sol = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int q = r + 1; q < n; q++) {
        s -= m[r][q] * sol[q];
      }
      sol[r] = s / m[r][r];
    }
    return sol;
  }

  static double[][] dense(EqualityConstraints e) {
    double[][] a = new double[e.size()][D];
    for (int i = 0; i < e.size(); i++) {
      int[] idx = e.rows().get(i).indices();
      double[] v = e.rows().get(i).values();
      for (int k = 0; k < idx.length; k++) {
        a[i][idx[k]] = v[k];
      }
    }
    return a;
  }

  static TrainingConfig.Builder ridge(EqualityConstraints e) {
    return TrainingConfig.builder().modelType(ModelType.LINEAR).fitIntercept(true).regL2(REG)
        .equality(e).maxSteps(300L);
  }

  /**
   * Newton's inner solutions are exact to rounding, so the outer loop can drive
   * {@code ||Aw − c||} to 1e-11; L-BFGS's end where its line search, which compares values of
   * F, can no longer tell points apart, about 1e-8 from the inner minimum, and a penalty grown
   * to meet a tighter tolerance would only magnify that into the multipliers.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"newton, 1e-11, 1e-8", "lbfgs, 1e-8, 1e-6"})
  void equalsTheKktSolutionWithItsMultipliers(String optimizer, double constraintTol,
      double within) {
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS)
        .withTol(constraintTol);
    double[] c = {1, 0.2, -0.1};
    double[] reference = kkt(dense(e), c);
    TrainingResult r = new Trainer(ridge(e).optimizer(optimizer).build(),
        TrainingListener.NONE).train(lpsa);
    AugmentedLagrangian.Report report = r.equality();
    System.out.printf("lpsa ridge under 3 equalities, %s: %d steps, %d outer iterations, ρ %.0e,"
        + " ||Aw-c|| %.2e, stop %s%n", optimizer, r.steps(), report.outerIterations(),
        report.penalty(), report.residualNorm(), r.stopReason().id());
    assertTrue(report.satisfied(), "the constraints are met: " + report.residualNorm());
    assertTrue(r.stopReason() != StopReason.MAX_STEPS, "the outer loop converged");
    double worstW = 0;
    for (int j = 0; j <= D; j++) {
      worstW = Math.max(worstW, Math.abs(reference[j] - r.params()[j]));
      assertEquals(reference[j], r.params()[j], within, "θ_" + j);
    }
    double worstL = 0;
    for (int i = 0; i < 3; i++) {
      worstL = Math.max(worstL, Math.abs(reference[D + 1 + i] - report.multipliers()[i]));
      assertEquals(reference[D + 1 + i], report.multipliers()[i], within, "λ_" + i);
    }
    System.out.printf("  largest difference from the KKT solution: θ %.2e, λ %.2e%n", worstW,
        worstL);
    double sum = 0;
    for (int j = 0; j < D; j++) {
      sum += r.params()[j];
    }
    assertEquals(1.0, sum, constraintTol, "the budget holds");
    assertEquals(List.of(2, 3, 5), java.util.Arrays.stream(report.lines()).boxed().toList());
  }

  @Test
  void aMultiplierIsTheRateAtWhichTheOptimumFallsAsItsConstraintLoosens() {
    // −λ_i = ∂f*/∂c_i: compare with a central difference of the constrained optima.
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS).withTol(1e-11);
    TrainingResult r = new Trainer(ridge(e).optimizer("newton").build(), TrainingListener.NONE)
        .train(lpsa);
    double h = 1e-3;
    double[] up = kkt(dense(e), new double[] {1 + h, 0.2, -0.1});
    double[] down = kkt(dense(e), new double[] {1 - h, 0.2, -0.1});
    double slope = (objective(up) - objective(down)) / (2 * h);
    assertEquals(-slope, r.equality().multipliers()[0], 1e-6);
  }

  /** The ridge objective at {@code θ} (the first D+1 entries), computed here. */
  static double objective(double[] theta) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      double z = theta[D] - y[i];
      for (int j = 0; j < D; j++) {
        z += x[i][j] * theta[j];
      }
      s += z * z;
    }
    double norm = 0;
    for (int j = 0; j < D; j++) {
      norm += theta[j] * theta[j];
    }
    return s / (2 * y.length) + 0.5 * REG * norm;
  }

  @Test
  void aResumedRunEndsBitForBitLikeAnUninterruptedOne() {
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS).withTol(1e-7);
    // L-BFGS ending its inner problems by the gradient norm: several of several steps each,
    // and the checkpoint holds its curvature pairs.
    TrainingConfig all = ridge(e).optimizer("lbfgs").gradTol(1e-7).maxSteps(300L).build();
    TrainingResult uninterrupted = new Trainer(all, TrainingListener.NONE).train(lpsa);
    assertTrue(uninterrupted.equality().outerIterations() >= 3,
        "outer iterations: " + uninterrupted.equality().outerIterations());
    PrintStream log = new PrintStream(OutputStream.nullOutputStream());
    Path checkpoints = dir.resolve("checkpoints");
    long half = uninterrupted.steps() / 2;
    TrainingConfig first = ridge(e).optimizer("lbfgs").gradTol(1e-7).maxSteps(half).build();
    TrainingResult stopped = new Trainer(first, TrainingListener.NONE).withCheckpoints(
        new Checkpoints(checkpoints.toString(), 3, 2, false, first.fingerprint(), log))
        .train(lpsa);
    assertEquals(half, stopped.steps());
    assertTrue(stopped.equality().outerIterations() >= 1
        && stopped.equality().outerIterations() < uninterrupted.equality().outerIterations(),
        "the interruption falls between outer iterations");
    TrainingResult resumed = new Trainer(all, TrainingListener.NONE).withCheckpoints(
        new Checkpoints(checkpoints.toString(), 3, 2, true, all.fingerprint(), log))
        .train(lpsa);
    assertEquals(uninterrupted.steps(), resumed.steps());
    for (int j = 0; j < uninterrupted.params().length; j++) {
      assertEquals(Double.doubleToRawLongBits(uninterrupted.params()[j]),
          Double.doubleToRawLongBits(resumed.params()[j]), "θ_" + j);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(Double.doubleToRawLongBits(uninterrupted.equality().multipliers()[i]),
          Double.doubleToRawLongBits(resumed.equality().multipliers()[i]), "λ_" + i);
    }
    assertEquals(uninterrupted.equality().outerIterations(),
        resumed.equality().outerIterations());
    assertEquals(uninterrupted.equality().penalty(), resumed.equality().penalty());
  }

  @Test
  void checkpointsOfOtherConstraintsAreRefused() {
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS);
    EqualityConstraints other = EqualityConstraints.parse("budget.txt",
        List.of("1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 = 2"));
    assertTrue(!ridge(e).build().fingerprint().get("config.equality")
        .equals(ridge(other).build().fingerprint().get("config.equality")));
    assertTrue(!TrainingConfig.builder().modelType(ModelType.LINEAR).build().fingerprint()
        .containsKey("config.equality"), "a run without constraints keeps its fingerprint");
  }

  @Test
  void anIndexBeyondTheModelIsRefusedBeforeTheFirstStep() {
    EqualityConstraints e = EqualityConstraints.parse("wide.txt", List.of("1:1 9:1 = 0"));
    InvalidConfigException ex = assertThrows(InvalidConfigException.class,
        () -> new Trainer(ridge(e).optimizer("newton").build(), TrainingListener.NONE)
            .train(lpsa));
    assertEquals("--equality wide.txt line 1: index 9 is beyond the model's 8 coefficients"
        + " (8 features)", ex.getMessage());
  }

  @Test
  void standardizedFeaturesKeepTheConstraintsOnTheOriginalCoefficients() {
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS).withTol(1e-10);
    TrainingResult r = new Trainer(ridge(e).optimizer("newton").standardize(true).build(),
        TrainingListener.NONE).train(lpsa);
    double[] w = r.params();
    assertTrue(r.equality().satisfied());
    assertEquals(1.0, w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7], 1e-9);
    assertEquals(0.2, w[0] - w[1], 1e-9);
    assertEquals(-0.1, w[4] + 2 * w[7], 1e-9);
  }

  @Test
  void theBudgetEndsARunWhoseConstraintsAreNotYetMetAndSaysSo() {
    EqualityConstraints e = EqualityConstraints.parse("budget.txt", CONSTRAINTS).withTol(1e-11);
    TrainingResult r = new Trainer(ridge(e).optimizer("lbfgs").tol(1e-10).evalEvery(1)
        .maxSteps(4L).build(), TrainingListener.NONE).train(lpsa);
    assertEquals(StopReason.MAX_STEPS, r.stopReason());
    assertTrue(!r.equality().satisfied());
    assertTrue(r.equality().residualNorm() > 1e-11);
  }
}
