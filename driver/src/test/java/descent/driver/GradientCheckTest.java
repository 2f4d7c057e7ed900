package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.DataBlock;
import descent.core.LabelDomain;
import descent.core.Loss;
import descent.core.Workspace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The finite-difference check of every model's objective (loss, mean and L2 penalty, evaluated
 * on the executors as in training) on a real data set of its kind: binary losses on heart_scale,
 * regression losses on lpsa, softmax on iris; a subset of the 650 parameters of softmax on
 * digits; and a gradient that is 1 % wrong in one coordinate, which the check must catch.
 */
class GradientCheckTest {
  private static final double REG_L2 = 1e-3;
  private static final long SEED = 7;
  private static final Map<String, TrainingData> DATA = new HashMap<>();

  static Stream<Arguments> everyLoss() {
    // A network's loss needs its layers: MlpTrainingTest and MlpLossTest check its gradient.
    return Stream.of(ModelType.values()).filter(t -> !t.isNetwork()).flatMap(t -> Stream.of(
        Arguments.of(t, false), Arguments.of(t, true)));
  }

  /** The data set of a model's kind, loaded once. */
  private static TrainingData dataFor(Loss loss) {
    LabelDomain.Kind kind = loss.labelDomain().kind();
    return switch (kind) {
      case BINARY -> load("heart_scale", LabelDomain.BINARY, 13);
      case REAL -> load("lpsa.libsvm", LabelDomain.REAL, 8);
      default -> load("iris.libsvm", loss.labelDomain(), 4);
    };
  }

  private static TrainingData load(String file, LabelDomain domain, int d) {
    return DATA.computeIfAbsent(file, f -> {
      Path path = TestSpark.sharedData(f);
      assertTrue(path.toFile().exists(), path + " is missing");
      return TestData.libsvm(path, 2, domain, d, 1);
    });
  }

  @AfterAll
  static void unpersist() {
    DATA.values().forEach(TrainingData::unpersist);
    DATA.clear();
  }

  @ParameterizedTest(name = "{0}, intercept {1}")
  @MethodSource("everyLoss")
  void theAnalyticGradientOfEveryLossMatchesTheCentredDifference(ModelType type,
      boolean intercept) {
    Loss loss = type.loss(3, ModelType.DEFAULT_HUBER_DELTA);
    TrainingData data = dataFor(loss);
    GradientCheck.Result r = GradientCheck.onData(data, loss, intercept, REG_L2, SEED,
        GradientCheck.DEFAULT_COORDINATES, GradientCheck.DEFAULT_TOLERANCE, 2);
    GradientCheck.Check worst = r.worst();
    System.out.printf(Locale.ROOT, "gradcheck %s intercept=%b on %s: %d coordinates, worst"
            + " relative error %.2e at %s (analytic %.6g)%n", type.id(), intercept,
        data.source(), r.coordinates(), worst.relativeError(),
        GradientCheck.describe(worst, data.numFeatures(), loss.numOutputs()), worst.analytic());
    assertEquals(loss.numParams(data.numFeatures(), intercept), r.coordinates(),
        "every coordinate is checked when there are at most 50");
    assertEquals(0, r.directions());
    assertTrue(worst.relativeError() <= 1e-6, "worst relative error " + worst);
    // The point is not a degenerate one: the gradient is far from zero in every checked entry.
    for (GradientCheck.Check c : r.checks()) {
      assertTrue(Math.abs(c.analytic()) > 1e-6, "a tiny component proves little: " + c);
    }
  }

  @Test
  void aLargeModelIsCheckedOnARandomSubsetOfCoordinatesAndRandomDirections() {
    Path digits = TestSpark.sharedData("digits.libsvm");
    Loss loss = ModelType.SOFTMAX.loss(10, ModelType.DEFAULT_HUBER_DELTA);
    TrainingData data = TestData.libsvm(digits, 2, loss.labelDomain(), 64, 1);
    try {
      GradientCheck.Result r = GradientCheck.onData(data, loss, true, REG_L2, SEED, 20,
          GradientCheck.DEFAULT_TOLERANCE, 2);
      System.out.printf(Locale.ROOT, "gradcheck softmax on digits (650 parameters, 20"
          + " coordinates and %d directions): worst relative error %.2e at %s%n",
          r.directions(), r.worstError(), GradientCheck.describe(r.worst(), 64, 10));
      assertEquals(20, r.coordinates());
      assertEquals(GradientCheck.RANDOM_DIRECTIONS, r.directions());
      assertTrue(r.worstError() <= 1e-6, "worst " + r.worst());
      // 1 gradient pass and 2 value passes per direction, plus the norm job's pass not counted.
      assertEquals(1 + 2 * (20 + GradientCheck.RANDOM_DIRECTIONS), r.passes());
      // The same seed draws the same point and coordinates.
      GradientCheck.Result again = GradientCheck.onData(data, loss, true, REG_L2, SEED, 20,
          GradientCheck.DEFAULT_TOLERANCE, 2);
      assertEquals(r.checks().stream().map(GradientCheck.Check::coordinate).toList(),
          again.checks().stream().map(GradientCheck.Check::coordinate).toList());
      assertEquals(r.value(), again.value());
    } finally {
      data.unpersist();
    }
  }

  @Test
  void aGradientOnePercentWrongInOneCoordinateIsCaught() {
    Loss wrong = new ScaledGradient(ModelType.LOGISTIC.loss(), 5, 1.01);
    TrainingData data = dataFor(wrong);
    GradientCheck.Result r = GradientCheck.onData(data, wrong, true, REG_L2, SEED,
        GradientCheck.DEFAULT_COORDINATES, GradientCheck.DEFAULT_TOLERANCE, 2);
    GradientCheck.Check worst = r.worst();
    System.out.printf(Locale.ROOT, "gradcheck with coefficient 5's loss gradient scaled by 1.01:"
        + " worst relative error %.2e at %s%n", worst.relativeError(),
        GradientCheck.describe(worst, 13, 1));
    assertEquals(5, worst.coordinate());
    // At both steps (the error kept is the smaller): a wrong gradient is wrong at every step.
    assertTrue(worst.relativeError() > 1e-3 && worst.firstError() > 1e-3,
        "the wrong coordinate shows: " + worst);
    for (GradientCheck.Check c : r.checks()) {
      if (c.coordinate() != 5) {
        assertTrue(c.relativeError() <= 1e-6, "only coefficient 5 is wrong: " + c);
      }
    }
  }

  @Test
  void aKinkWithinTheStepIsCheckedAgainWithASmallerStep() {
    // F(θ) = max(0, 1 − θ_0) + θ_1²/2 at θ_0 = 1 − 3e-6: the kink lies within h = 1e-5 of θ_0,
    // where the centred difference averages the two slopes, but beyond h/16.
    ObjectiveFunction hinge = new ObjectiveFunction() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public Evaluation evaluate(double[] t) {
        return new Evaluation(value(t), new double[] {t[0] < 1 ? -1 : 0, t[1]}, null, 1);
      }

      @Override
      public Evaluation evaluateWithHessian(double[] t) {
        throw new UnsupportedOperationException();
      }

      @Override
      public double value(double[] t) {
        return Math.max(0, 1 - t[0]) + 0.5 * t[1] * t[1];
      }
    };
    GradientCheck.Result r = new GradientCheck(hinge, 1e-6)
        .check(new double[] {1 - 3e-6, 0.5}, new int[] {0, 1}, new double[0][]);
    GradientCheck.Check kink = r.checks().get(0);
    assertTrue(kink.stepDependent());
    assertTrue(kink.firstError() > 0.1, "the first step straddles the kink: " + kink);
    assertEquals(GradientCheck.RELATIVE_STEP / GradientCheck.SECOND_STEP_DIVISOR, kink.step());
    assertTrue(kink.relativeError() <= 1e-9, kink.toString());
    assertFalse(r.checks().get(1).stepDependent());
    assertTrue(r.worstError() <= 1e-9);
  }

  @Test
  void messagesNameTheClassAndFeatureOfACoefficient() {
    assertEquals("coefficient 17 (class 2, feature 5)", GradientCheck.describe(17, 6, 3));
    assertEquals("intercept 2 (class 2)", GradientCheck.describe(20, 6, 3));
    assertEquals("coefficient 5 (feature 5)", GradientCheck.describe(5, 13, 1));
    assertEquals("the intercept", GradientCheck.describe(13, 13, 1));
  }

  /** A loss whose gradient in one coordinate is scaled: a planted bug for the check to find. */
  static final class ScaledGradient implements Loss {
    private static final long serialVersionUID = 1L;
    private final Loss inner;
    private final int coordinate;
    private final double factor;

    ScaledGradient(Loss inner, int coordinate, double factor) {
      this.inner = inner;
      this.coordinate = coordinate;
      this.factor = factor;
    }

    @Override
    public LabelDomain labelDomain() {
      return inner.labelDomain();
    }

    @Override
    public int numOutputs() {
      return inner.numOutputs();
    }

    @Override
    public double addGradient(DataBlock block, int from, int to, double[] params,
        boolean fitIntercept, double[] gradient, Workspace workspace) {
      double before = gradient[coordinate];
      double loss = inner.addGradient(block, from, to, params, fitIntercept, gradient, workspace);
      gradient[coordinate] = before + factor * (gradient[coordinate] - before);
      return loss;
    }

    @Override
    public double addLoss(DataBlock block, int from, int to, double[] params,
        boolean fitIntercept, Workspace workspace) {
      return inner.addLoss(block, from, to, params, fitIntercept, workspace);
    }

    @Override
    public double predict(double margin) {
      return inner.predict(margin);
    }
  }
}
