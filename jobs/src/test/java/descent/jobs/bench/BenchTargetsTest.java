package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The targets judged on hand-made figures: each ratio is the quotient the target names,
 * compared with its limit, a limit reached exactly counts as met, and a target the run did not
 * measure is neither met nor missed.
 */
class BenchTargetsTest {
  private static Map<String, Double> race(Object... labelAndSeconds) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < labelAndSeconds.length; i += 2) {
      m.put((String) labelAndSeconds[i], (Double) labelAndSeconds[i + 1]);
    }
    return m;
  }

  @Test
  void eachRatioIsTheQuotientAgainstItsLimit() {
    // full 0.1 / MLlib 0.4 = 0.25 (the limit itself); full 0.1 / floor 0.0625 = 1.6 > 1.5;
    // 1 % 0.01 / MLlib's 0.125 = 0.08 (the empty job 0.0125 / 0.125 = 0.1 of it); lbfgs 1.5 s /
    // fit 4 s = 0.375; cached 1.0625 > 1.05.
    List<BenchTargets.Target> t = BenchTargets.table(0.4, 0.125, 0.1, 0.01, 0.0625, 0.0125,
        race("lbfgs", 1.5), 4.0, 1.0625);
    assertEquals(5, t.size());
    assertEquals(0.25, t.get(0).value());
    assertEquals(Boolean.TRUE, t.get(0).met());
    assertEquals(1.6, t.get(1).value(), 1e-15);
    assertEquals(Boolean.FALSE, t.get(1).met());
    assertEquals(0.08, t.get(2).value(), 1e-15);
    assertEquals(Boolean.TRUE, t.get(2).met());
    assertEquals("medians; Spark's empty job alone 0.100", t.get(2).note());
    assertEquals(0.375, t.get(3).value());
    assertEquals(Boolean.TRUE, t.get(3).met());
    assertEquals("fastest racer: lbfgs", t.get(3).note());
    assertEquals(1.0625, t.get(4).value());
    assertEquals(Boolean.FALSE, t.get(4).met());
  }

  @Test
  void theRaceTargetTakesTheFastestRacerThatGotThere() {
    // adam did not get there; of lbfgs (3 s) and newton (2.5 s) newton is faster: 2.5 / 4.
    List<BenchTargets.Target> t = BenchTargets.table(1, 1, 0.1, 0.05, 0.1, 0.04,
        race("adam(0.1)", null, "lbfgs", 3.0, "newton", 2.5), 4.0, 1.0);
    assertEquals(0.625, t.get(3).value());
    assertEquals(Boolean.FALSE, t.get(3).met());
    assertEquals("fastest racer: newton", t.get(3).note());
  }

  @Test
  void aTargetNotMeasuredIsNeitherMetNorMissed() {
    BenchTargets.Target none = BenchTargets.table(1, 1, 0.1, 0.05, 0.1, 0.04, race(), 4.0, 1.0)
        .get(3);
    assertNull(none.value());
    assertNull(none.met());
    assertEquals("not measured: --race none", none.note());
    BenchTargets.Target missed = BenchTargets.table(1, 1, 0.1, 0.05, 0.1, 0.04,
        race("adam(0.1)", null), 4.0, 1.0).get(3);
    assertNull(missed.met());
    assertEquals("no racer reached Spark ML's objective", missed.note());
  }

  @Test
  void theScalingTargetIsADeviationEitherWay() {
    List<BenchTargets.Target> t = BenchTargets.scaling(-0.15, 0.151);
    assertEquals(Boolean.TRUE, t.get(0).met());
    assertEquals(Boolean.FALSE, t.get(1).met());
    assertEquals(Boolean.FALSE, BenchTargets.scaling(-0.16, 0.0).get(0).met());
    assertEquals(Boolean.TRUE, BenchTargets.scaling(0.1, 0.0).get(0).met());
  }

  @Test
  void theTargetsApplyOnlyToTheirOwnData() {
    assertTrue(BenchTargets.tableApplies("generated", 1_000_000, 100, "local[2]"));
    assertFalse(BenchTargets.tableApplies("../shared/data/a9a", 1_000_000, 100, "local[2]"));
    assertFalse(BenchTargets.tableApplies("generated", 200_000, 100, "local[2]"));
    assertFalse(BenchTargets.tableApplies("generated", 1_000_000, 100, "local[4]"));
    assertTrue(BenchTargets.scalingApplies(1_000_000, 4_000_000, 100, "local[2]"));
    assertFalse(BenchTargets.scalingApplies(1_000_000, 2_000_000, 100, "local[2]"));
    assertFalse(BenchTargets.scalingApplies(1_000_000, 4_000_000, 20, "local[2]"));
  }

  @Test
  void thePrintedTableSaysWhatWasMetAndWhetherItApplies() {
    List<BenchTargets.Target> t = BenchTargets.table(0.4, 0.125, 0.1, 0.01, 0.0625, 0.0125,
        race(), 4.0, 1.0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BenchTargets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), t, false,
        BenchTargets.TABLE_DATA);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("targets (stated for 1,000,000 x 100 dense generated rows"
        + " on local[2]); this run's data differ, so for reference only:"), out);
    assertTrue(out.matches("(?s).*descent_full_step / floor_pass +1\\.600 <= +1\\.5 +NOT met.*"),
        out);
    assertTrue(out.matches("(?s).*descent_full_step / mllib_sgd_full_step +0\\.250 <= +0\\.25"
        + " +met.*"), out);
    assertTrue(out.matches("(?s).*seconds to ml objective / ml_logreg_fit +- <= +0\\.5 +- +not"
        + " measured: --race none.*"), out);
    bytes.reset();
    BenchTargets.print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
        BenchTargets.scaling(-0.123, 0.2), true, BenchTargets.SCALING_DATA);
    out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("targets (stated for 1M to 4M dense rows x 100 features on"
        + " local[2]):"), out);
    assertTrue(out.matches("(?s).*-12\\.3% within 15% +met.*\\+20\\.0% within 15% +NOT met.*"),
        out);
  }
}
