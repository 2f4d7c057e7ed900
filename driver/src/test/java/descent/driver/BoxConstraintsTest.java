package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.optim.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Box constraints as configured: the values a user gives (numbers, lists, files), the box they
 * make for a model, and the errors, each naming the option and the coefficient, that a
 * configuration gets before any Spark job.
 */
class BoxConstraintsTest {

  private static TrainingConfig.Builder linear() {
    return TrainingConfig.builder().modelType(ModelType.LINEAR).fitIntercept(true);
  }

  @Test
  void aLowerBoundAboveItsUpperBoundNamesTheCoefficient() {
    BoxConstraints b = new BoxConstraints(new double[] {0, 0, 0.5, 0}, new double[] {1, 1, 0.2, 1},
        null, null);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> linear().bounds(b).build().validate());
    assertEquals("the lower bound 0.5 of coefficient 2 (0-based) is above its upper bound 0.2"
        + " (--lower-bounds, --upper-bounds)", e.getMessage());
    // A single value against a list is compared with each entry.
    BoxConstraints one = new BoxConstraints(new double[] {0.3}, new double[] {1, 0.2}, null,
        null);
    e = assertThrows(InvalidConfigException.class, () -> linear().bounds(one).build().validate());
    assertTrue(e.getMessage().startsWith("the lower bound 0.3 of coefficient 1 (0-based)"),
        e.getMessage());
    BoxConstraints intercept = new BoxConstraints(null, null, new double[] {2},
        new double[] {1});
    e = assertThrows(InvalidConfigException.class,
        () -> linear().bounds(intercept).build().validate());
    assertEquals("the lower bound 2 of intercept 0 (0-based) is above its upper bound 1"
        + " (--lower-intercept, --upper-intercept)", e.getMessage());
  }

  @Test
  void boundsAreRefusedWithLocalStepsAndInterceptBoundsWithoutAnIntercept() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> linear().bounds(BoxConstraints.nonNegative()).localSteps(4).build().validate());
    assertEquals("--lower-bounds, --upper-bounds, --lower-intercept and --upper-intercept need"
        + " synchronous steps: the inner steps of rounds of local steps (--local-steps 4) are"
        + " not projected onto the box; use --local-steps 1", e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> linear().fitIntercept(false)
        .bounds(new BoxConstraints(null, null, null, new double[] {0})).build().validate());
    assertEquals("--lower-intercept and --upper-intercept need --intercept", e.getMessage());
  }

  @Test
  void boundsAreRefusedWithEqualityConstraints() {
    EqualityConstraints budget = EqualityConstraints.parse("budget.txt", List.of("1:1 2:1 = 1"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> linear().optimizer("newton").bounds(BoxConstraints.nonNegative())
            .equality(budget).build().validate());
    assertTrue(e.getMessage().contains("--lower-bounds, --upper-bounds, --lower-intercept and"
        + " --upper-intercept cannot be combined with --equality"), e.getMessage());
  }

  @Test
  void constraintsAreRefusedOnANetwork() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> TrainingConfig.builder().modelType(ModelType.MLP).hidden(new int[] {4})
            .bounds(BoxConstraints.nonNegative()).build().validate());
    assertTrue(e.getMessage().contains("bounds (--lower-bounds, --upper-bounds, --non-negative)"
        + " apply to linear models only; a network's weights take no constraints"), e.getMessage());
    EqualityConstraints budget = EqualityConstraints.parse("budget.txt", List.of("1:1 2:1 = 1"));
    e = assertThrows(InvalidConfigException.class,
        () -> TrainingConfig.builder().modelType(ModelType.MLP).hidden(new int[] {4})
            .optimizer("lbfgs").equality(budget).build().validate());
    assertTrue(e.getMessage().contains("--equality applies to linear models only"), e.getMessage());
  }

  @Test
  void newtonWithTheHingeLossIsRefusedWithBounds() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> TrainingConfig.builder().modelType(ModelType.HINGE).optimizer("newton")
            .bounds(BoxConstraints.nonNegative()).build().validate());
    assertTrue(e.getMessage().startsWith("--optimizer newton needs the second derivative, which"
        + " the hinge model's loss lacks"), e.getMessage());
  }

  @Test
  void nanAndImpossibleInfinitiesAreRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> linear().bounds(new BoxConstraints(new double[] {0, Double.NaN}, null, null, null))
            .build().validate());
    assertEquals("--lower-bounds value 1 (0-based) is NaN; a bound is a number, or -Infinity"
        + " for none", e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> linear().bounds(new BoxConstraints(
        null, new double[] {Double.NEGATIVE_INFINITY}, null, null)).build().validate());
    assertEquals("--upper-bounds value 0 (0-based) is -Infinity; a bound is a number, or"
        + " Infinity for none", e.getMessage());
  }

  @Test
  void aBoxForSoftmaxTakesOneValueOnePerFeatureOrOnePerCoefficient() {
    BoxConstraints perFeature = new BoxConstraints(new double[] {0, -1}, null,
        new double[] {-5, -6, -7}, new double[] {1});
    Box box = perFeature.resolve(2, 3, true);
    assertEquals(9, box.dimension());
    double[] w = {-3, -3, -3, -3, -3, -3, -9, 9, -9};
    box.project(w);
    assertArrayEquals(new double[] {0, -1, 0, -1, 0, -1, -5, 1, -7}, w);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new BoxConstraints(new double[] {0, 0, 0, 0}, null, null, null).resolve(2, 3, true));
    assertEquals("--lower-bounds has 4 values; the model has 2 features for each of 3 classes:"
        + " give one value for all, or one per coefficient (6, class by class, or 2 for every"
        + " class)", e.getMessage());
    // The standardized box divides the coefficients' bounds by 1/σ; a constant feature is free.
    Box scaled = new BoxConstraints(new double[] {1}, new double[] {2}, null, null)
        .resolve(2, 1, false).scaled(new double[] {0.5, 0.0});
    assertEquals(2.0, scaled.lower(0));
    assertEquals(4.0, scaled.upper(0));
    assertEquals(Double.NEGATIVE_INFINITY, scaled.lower(1));
  }

  @Test
  void valuesAreANumberACommaListOrAFile(@TempDir Path dir) throws Exception {
    assertArrayEquals(new double[] {0.5}, BoxConstraints.parseValues("0.5", Param.LOWER_BOUNDS));
    assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY, 1e-3},
        BoxConstraints.parseValues("0, -inf,1e-3", Param.LOWER_BOUNDS));
    Path file = dir.resolve("lower.txt");
    Files.writeString(file, "# one per coefficient\n0\n\n-1.5\ninf\n");
    assertArrayEquals(new double[] {0, -1.5, Double.POSITIVE_INFINITY},
        BoxConstraints.parseValues(file.toString(), Param.UPPER_BOUNDS));
    Files.writeString(file, "0\nzero\n");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> BoxConstraints.parseValues(file.toString(), Param.UPPER_BOUNDS));
    assertEquals("--upper-bounds " + file + " line 2: 'zero' is not a number (one bound a line)",
        e.getMessage());
    e = assertThrows(InvalidConfigException.class,
        () -> BoxConstraints.parseValues("0,x", Param.LOWER_BOUNDS));
    assertEquals("--lower-bounds '0,x' is neither a number, a comma list of numbers, nor a file"
        + " of one value a line", e.getMessage());
  }

  @Test
  void theBoundsArePartOfTheFingerprintOnlyWhenGiven() {
    assertTrue(!linear().build().validate().fingerprint().containsKey("config.bounds"));
    assertEquals("lower=[0.0]/upper=none/lowerIntercept=none/upperIntercept=[2.0]",
        linear().bounds(new BoxConstraints(new double[] {0}, null, null, new double[] {2}))
            .build().validate().fingerprint().get("config.bounds"));
  }
}
