package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The constraints file: what a good one holds, the message for each kind of bad line (file,
 * line, problem), the refusal of dependent rows (rank-deficient, naming the combination) and of
 * contradicting ones (infeasible), and the configurations the augmented Lagrangian refuses.
 */
class EqualityConstraintsTest {
  @TempDir Path dir;

  static String problem(List<String> lines) {
    return assertThrows(InvalidConfigException.class,
        () -> EqualityConstraints.parse("c.txt", lines)).getMessage();
  }

  @Test
  void readsPairsAndTheRightHandSideSkippingCommentsAndBlankLines() throws Exception {
    Path file = dir.resolve("budget.txt");
    Files.writeString(file, "# budget\n\n3:2.5 1:1   2:-1 = 0.75\n  10:1e-3 = -2\n");
    EqualityConstraints e = EqualityConstraints.read(file);
    assertEquals(2, e.size());
    EqualityConstraints.Constraint first = e.rows().get(0);
    assertEquals(3, first.line());
    assertArrayEquals(new int[] {0, 1, 2}, first.indices());
    assertArrayEquals(new double[] {1, -1, 2.5}, first.values());
    assertEquals(0.75, first.target());
    assertEquals(4, e.rows().get(1).line());
    assertArrayEquals(new int[] {9}, e.rows().get(1).indices());
    assertEquals(-2.0, e.rows().get(1).target());
    assertEquals(EqualityConstraints.DEFAULT_TOL, e.tol());
    assertEquals(EqualityConstraints.DEFAULT_PENALTY, e.penalty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "1:1 2:1 | --equality c.txt line 2: no '='; a constraint is 'index:value ... = c'",
      "1:1 = 2 = 3 | --equality c.txt line 2: more than one '='",
      "= 1 | --equality c.txt line 2: no coefficients before '='",
      "1:1 2 = 1 | --equality c.txt line 2: '2' is not index:value",
      "1:1 :2 = 1 | --equality c.txt line 2: ':2' is not index:value",
      "0:1 = 1 | --equality c.txt line 2: index 0; indices start at 1 (the coefficient of"
          + " LIBSVM feature 1), and the intercept cannot be constrained",
      "x:1 = 1 | --equality c.txt line 2: index 'x' is not a whole number from 1 to 2147483647",
      "1:1 1:2 = 1 | --equality c.txt line 2: index 1 appears twice",
      "1:one = 1 | --equality c.txt line 2: the value of index 1 'one' is not a number",
      "1:1 = NaN | --equality c.txt line 2: the right-hand side is NaN; it must be finite",
      "1:1 = | --equality c.txt line 2: the right-hand side '' is not a number"})
  void aBadLineIsNamedWithItsProblem(String line, String message) {
    assertEquals(message, problem(List.of("4:1 = 0", line)));
  }

  @Test
  void aFileWithoutConstraintsIsRefused() {
    assertEquals("--equality c.txt holds no constraint",
        problem(List.of("# nothing", "")));
  }

  @Test
  void aRowThatCombinesEarlierOnesIsRankDeficient() {
    assertEquals("--equality c.txt: the constraints are rank-deficient: line 3's coefficients"
        + " are 1×line 1 + 2×line 2, and its value is the same combination of theirs; remove"
        + " line 3, every constraint must be independent",
        problem(List.of("1:1 2:1 = 1", "2:1 3:1 = 0.5", "1:1 2:3 3:2 = 2")));
  }

  @Test
  void aRowThatContradictsEarlierOnesIsInfeasible() {
    assertEquals("--equality c.txt: the constraints are infeasible: line 3's coefficients are"
        + " 1×line 1 + 2×line 2, but its value 3 is not the same combination of theirs (2)",
        problem(List.of("1:1 2:1 = 1", "2:1 3:1 = 0.5", "1:1 2:3 3:2 = 3")));
  }

  @Test
  void aScaledCopyIsDependentAndAZeroRowIsEmpty() {
    assertEquals("--equality c.txt: the constraints are infeasible: line 2's coefficients are"
        + " -0.5×line 1, but its value 1 is not the same combination of theirs (-1)",
        problem(List.of("1:2 5:-4 = 2", "1:-1 5:2 = 1")));
    assertEquals("--equality c.txt: the constraints are rank-deficient: line 1 has no nonzero"
        + " coefficient; remove line 1, every constraint must be independent",
        problem(List.of("1:0 = 0")));
    assertEquals("--equality c.txt: the constraints are infeasible: line 1 has no nonzero"
        + " coefficient, but its value 2 is not 0", problem(List.of("3:0 = 2")));
  }

  @Test
  void moreRowsThanCoefficientsCannotBeIndependent() {
    assertEquals("--equality c.txt: the constraints are rank-deficient: line 3's coefficients"
        + " are 0.5×line 1 + 0.5×line 2, and its value is the same combination of"
        + " theirs; remove line 3, every constraint must be independent (3 constraints on 2"
        + " coefficients cannot be independent)",
        problem(List.of("1:1 2:1 = 1", "1:1 2:-1 = 0", "1:1 = 0.5")));
  }

  @Test
  void independentRowsAreAccepted() {
    EqualityConstraints e = EqualityConstraints.parse("c.txt",
        List.of("1:1 2:1 3:1 = 1", "1:1 2:-1 = 0", "3:1 = 0.25", "4:1e-6 = 0"));
    assertEquals(4, e.size());
  }

  @Test
  void indicesBeyondTheModelNameItsShape() {
    EqualityConstraints e = EqualityConstraints.parse("c.txt", List.of("1:1 13:1 = 0"));
    e.checkFits(13, 13, 1);
    assertEquals("--equality c.txt line 1: index 13 is beyond the model's 12 coefficients"
        + " (12 features)", assertThrows(InvalidConfigException.class,
            () -> e.checkFits(12, 12, 1)).getMessage());
    EqualityConstraints wide = EqualityConstraints.parse("c.txt", List.of("2:1 13:-1 = 0"));
    assertEquals("--equality c.txt line 1: index 13 is beyond the model's 12 coefficients"
        + " (3 classes × 4 features: index k·4 + j is class k's feature j)",
        assertThrows(InvalidConfigException.class, () -> wide.checkFits(12, 4, 3))
            .getMessage());
  }

  static EqualityConstraints budget() {
    return EqualityConstraints.parse("c.txt", List.of("1:1 2:1 = 1"));
  }

  static String refused(TrainingConfig.Builder b) {
    return assertThrows(InvalidConfigException.class, () -> b.build().validate()).getMessage();
  }

  static TrainingConfig.Builder linear() {
    return TrainingConfig.builder().modelType(ModelType.LINEAR).optimizer("newton")
        .equality(budget());
  }

  @Test
  void theSettingsMustBePositive() {
    assertEquals("--constraint-tol must be a positive number, got 0.0",
        refused(linear().equality(budget().withTol(0))));
    assertEquals("--equality-penalty must be a positive number, got -1.0",
        refused(linear().equality(budget().withPenalty(-1))));
  }

  @Test
  void eachInnerProblemNeedsACriterionThatEndsIt() {
    assertEquals("--equality needs a criterion that ends each inner problem of the augmented"
        + " Lagrangian: --tol, --grad-tol or --min-step-size, or --optimizer newton or lbfgs"
        + " (which stop when they cannot descend)", refused(linear().optimizer("adam")));
    linear().optimizer("adam").gradTol(1e-6).build().validate();
    linear().optimizer("sgd").tol(1e-6).build().validate();
    linear().optimizer("sgd").minStepSize(1e-9).build().validate();
  }

  @Test
  void averagingEarlyStoppingAndLocalStepsAreRefused() {
    assertEquals("--average cannot be combined with --equality: an average of iterates taken"
        + " under different multipliers does not satisfy the constraints",
        refused(linear().optimizer("sgd").tol(1e-6).average("polyak")));
    assertEquals("--patience cannot be combined with --equality: the best parameters on"
        + " validation data may come from an inner problem whose constraints are not yet met",
        refused(linear().patience(3)));
    assertEquals("--local-steps cannot be combined with --equality: the augmented term is added"
        + " to each step's gradient on the driver, and the workers' local steps would not see"
        + " it", refused(linear().optimizer("sgd").tol(1e-6).localSteps(4)));
  }

  @Test
  void theOuterStepFollowsTheStatedRule() {
    // One constraint w₁ = 1 on a two-parameter model: r = w₁ − 1.
    EqualityConstraints e = EqualityConstraints.parse("c.txt", List.of("1:1 = 1"))
        .withTol(1e-3).withPenalty(2);
    AugmentedLagrangian al = new AugmentedLagrangian(e, 2, null);
    assertEquals(false, al.update(new double[] {0.5, 7}));
    // λ = 0 + 2·(−0.5); the first residual always counts as shrinking.
    assertArrayEquals(new double[] {-1.0}, al.state().multipliers());
    assertEquals(2.0, al.state().penalty());
    assertEquals(false, al.update(new double[] {0.8, 7}));
    // |r| = 0.2 > 0.25·0.5: ρ grows tenfold after λ = −1 + 2·(−0.2).
    assertEquals(-1.4, al.state().multipliers()[0], 1e-15);
    assertEquals(20.0, al.state().penalty());
    assertEquals(false, al.update(new double[] {0.99, 7}));
    // |r| = 0.01 ≤ 0.25·0.2: ρ stays.
    assertEquals(-1.4 + 20 * -0.01, al.state().multipliers()[0], 1e-15);
    assertEquals(20.0, al.state().penalty());
    assertEquals(true, al.update(new double[] {0.9999, 7}));
    assertEquals(4, al.state().outerIterations());
    // The augmented term: λr + (ρ/2)r², its gradient (λ + ρr) on w₁ and Hessian ρ.
    double lambda = al.state().multipliers()[0];
    Evaluation at = al.augment(new double[] {2, 7},
        new Evaluation(1.0, new double[] {0.5, 0.25}, new double[] {1, 0, 0, 1}, 10));
    assertEquals(1.0 + lambda + 10.0, at.value(), 1e-12);
    assertArrayEquals(new double[] {0.5 + lambda + 20.0, 0.25}, at.gradient(), 1e-12);
    assertArrayEquals(new double[] {21, 0, 0, 1}, at.hessian(), 0.0);
  }
}
