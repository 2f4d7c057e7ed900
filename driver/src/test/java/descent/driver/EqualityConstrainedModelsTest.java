package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Equality constraints on other models than ridge: a softmax model on iris, whose indices run
 * over the flattened 3×4 coefficient matrix, ends at a KKT point checked here with a gradient
 * computed apart from descent ({@code ∇f(w) + Aᵀλ = 0}, intercepts free); and a run on sparse
 * data (a9a) takes the dense driver step and says why.
 */
class EqualityConstrainedModelsTest {

  @Test
  void softmaxOnIrisEndsAtAKktPointOfTheFlattenedCoefficients() throws IOException {
    Path file = TestSpark.sharedData("iris.libsvm");
    TrainingData iris = TestData.libsvm(file, 2, LabelDomain.classes(0), 4, 42);
    // Class 0's and class 1's coefficients of feature 1 are equal; class 2's sum to 1.
    EqualityConstraints e = EqualityConstraints.parse("iris.txt",
        List.of("1:1 5:-1 = 0", "9:1 10:1 11:1 12:1 = 1")).withTol(1e-10);
    double reg = 1e-3;
    TrainingResult r = new Trainer(TrainingConfig.builder().modelType(ModelType.SOFTMAX)
        .fitIntercept(true).regL2(reg).optimizer("newton").maxSteps(300L).equality(e).build(),
        TrainingListener.NONE).train(iris);
    iris.unpersist();
    double[] theta = r.params();
    assertTrue(r.equality().satisfied(), "||Aw - c|| " + r.equality().residualNorm());
    assertEquals(theta[0], theta[4], 1e-10);
    assertEquals(1.0, theta[8] + theta[9] + theta[10] + theta[11], 1e-10);

    double[] g = softmaxGradient(Files.readAllLines(file), theta, reg);
    double[] lambda = r.equality().multipliers();
    g[0] += lambda[0];
    g[4] -= lambda[0];
    for (int j = 8; j < 12; j++) {
      g[j] += lambda[1];
    }
    double worst = 0;
    for (double v : g) {
      worst = Math.max(worst, Math.abs(v));
    }
    System.out.printf("softmax iris under 2 equalities: %d steps, %d outer iterations,"
        + " |∇f + Aᵀλ|∞ %.2e, λ %s%n", r.steps(), r.equality().outerIterations(), worst,
        java.util.Arrays.toString(lambda));
    assertTrue(worst < 1e-8, "stationarity of the Lagrangian: " + worst);
    assertTrue(Math.abs(lambda[0]) > 5e-4 && Math.abs(lambda[1]) > 5e-4,
        "both constraints are active");
  }

  /**
   * {@code ∇f} of {@code f = mean_i (log Σ_k exp(z_ik) − z_i,y_i) + (reg/2)||W||²},
   * {@code z_i = W x_i + b}, parameters {@code [W (3×4 row-major), b]}.
   */
  static double[] softmaxGradient(List<String> lines, double[] theta, double reg) {
    int k = 3;
    int d = 4;
    double[] g = new double[k * d + k];
    int n = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      n++;
      String[] tokens = line.trim().split("\\s+");
      int label = (int) Double.parseDouble(tokens[0]);
      double[] x = new double[d];
      for (int t = 1; t < tokens.length; t++) {
        String[] pair = tokens[t].split(":");
        x[Integer.parseInt(pair[0]) - 1] = Double.parseDouble(pair[1]);
      }
      double[] z = new double[k];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        z[c] = theta[k * d + c];
        for (int j = 0; j < d; j++) {
          z[c] += theta[c * d + j] * x[j];
        }
        max = Math.max(max, z[c]);
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(z[c] - max);
      }
      for (int c = 0; c < k; c++) {
        double p = Math.exp(z[c] - max) / sum - (c == label ? 1 : 0);
        for (int j = 0; j < d; j++) {
          g[c * d + j] += p * x[j];
        }
        g[k * d + c] += p;
      }
    }
    for (int i = 0; i < g.length; i++) {
      g[i] /= n;
    }
    for (int i = 0; i < k * d; i++) {
      g[i] += reg * theta[i];
    }
    return g;
  }

  @Test
  void sparseDataTakesTheDenseStepForTheConstraints() {
    TrainingData a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123,
        42);
    EqualityConstraints e = EqualityConstraints.parse("a9a.txt", List.of("1:1 2:1 3:1 = 0.5"));
    TrainingResult r = new Trainer(TrainingConfig.builder().modelType(ModelType.LOGISTIC)
        .regL2(1e-4).optimizer("adam").learningRate(0.01).batchSize(1000L).gradTol(1e-3)
        .maxSteps(5L).equality(e).build(), TrainingListener.NONE).train(a9a);
    a9a.unpersist();
    assertEquals("dense: equality constraints add their gradient on their coefficients every"
        + " step", r.driverStep());
    assertEquals(5, r.steps());
  }
}
