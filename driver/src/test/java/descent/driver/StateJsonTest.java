package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import descent.driver.optim.Adam;
import descent.driver.optim.AdamW;
import descent.driver.optim.Lbfgs;
import descent.driver.optim.MomentumSgd;
import descent.driver.optim.Newton;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.ScheduleState;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * StateJson: every double, NaN and the infinities included, comes back with the same bits; the
 * type names are the command-line names; and a damaged document is refused naming the field.
 */
class StateJsonTest {

  static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
      Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 1.0 / 3, Math.PI, 1e-310, 1e300,
      Math.nextUp(1.0), Math.nextDown(1.0), 9007199254740993.0};

  static double[] randomBits(Random random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double d;
      do {
        d = Double.longBitsToDouble(random.nextLong());
      } while (Double.isNaN(d)); // NaN payloads are not kept: any NaN comes back as NaN
      v[i] = d;
    }
    return v;
  }

  static void assertSameBits(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]),
          i + ": " + expected[i] + " vs " + actual[i]);
    }
  }

  @Test
  void doublesRoundTripBitForBit() {
    Random random = new Random(42);
    double[] m = randomBits(random, 5000);
    double[] v = randomBits(random, 5000);
    Adam.State state = new Adam.State(Long.MAX_VALUE, SPECIAL.clone(), m, v);
    String json = StateJson.toJson(state);
    for (OptimizerState back : new OptimizerState[] {StateJson.optimizerState(json),
        StateJson.optimizerState(StateJson.toTree(state))}) {
      Adam.State a = (Adam.State) back;
      assertEquals(Long.MAX_VALUE, a.step());
      assertSameBits(SPECIAL, a.expAvg());
      assertSameBits(m, a.expAvgSq());
      assertSameBits(v, a.maxExpAvgSq());
    }
    assertTrue(json.contains("\"NaN\"") && json.contains("\"-Infinity\""), "standard JSON");
  }

  @Test
  void typesAreTheCommandLineNames() {
    assertEquals("adam", StateJson.toTree(new Adam().state()).get("type").asText());
    assertEquals("adamw", StateJson.toTree(new AdamW(2).state()).get("type").asText());
    assertEquals("newton", StateJson.typeName(new Newton().state()));
    assertEquals("none", StateJson.typeName(ScheduleState.NONE));
    assertEquals("plateau", StateJson.typeName(new ReduceLrOnPlateau(0.1).state()));
    assertEquals(new Newton.State(), StateJson.optimizerState("{\"type\":\"newton\"}"));
    assertEquals(ScheduleState.NONE, StateJson.scheduleState("{\"type\":\"none\"}"));
  }

  @Test
  void lbfgsPairsRoundTrip() {
    double[][] s = {{1, SPECIAL[2]}, {3, -0.0}};
    double[][] y = {{Double.MAX_VALUE, 2}, {0.1, 1.0 / 3}};
    Lbfgs.State back = (Lbfgs.State) StateJson.optimizerState(
        StateJson.toJson(new Lbfgs.State(7, s, y)));
    assertEquals(7, back.step());
    for (int i = 0; i < 2; i++) {
      assertSameBits(s[i], back.s()[i]);
      assertSameBits(y[i], back.y()[i]);
    }
    assertArrayEquals(new double[0][], ((Lbfgs.State) StateJson.optimizerState(
        StateJson.toJson(new Lbfgs().state()))).s());
  }

  @Test
  void refusesDamagedDocumentsNamingTheField() {
    assertRefused("unknown-type", "{\"type\":\"unknown-type\",\"step\":1}");
    assertRefused("momentumBuffer", "{\"type\":\"sgd\",\"step\":1}");
    assertRefused("step", "{\"type\":\"sgd\",\"step\":null,\"momentumBuffer\":null}");
    assertRefused("step", "{\"type\":\"sgd\",\"step\":1.5,\"momentumBuffer\":null}");
    assertRefused("momentumBuffer[1]",
        "{\"type\":\"sgd\",\"step\":1,\"momentumBuffer\":[1,null]}");
    assertRefused("velocity",
        "{\"type\":\"sgd\",\"step\":1,\"momentumBuffer\":null,\"velocity\":[]}");
    assertRefused("type", "{\"step\":1,\"momentumBuffer\":null}");
    assertRefused("optimizer state", "null");
    assertRefused("optimizer state", "{\"type\":\"newton\"} {}");
    assertThrows(IllegalArgumentException.class,
        () -> StateJson.optimizerState((JsonNode) null));
    // a state of one kind is not read as the other
    assertThrows(IllegalArgumentException.class,
        () -> StateJson.scheduleState(StateJson.toJson(new MomentumSgd().state())));
  }

  static void assertRefused(String part, String json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StateJson.optimizerState(json), json);
    assertTrue(e.getMessage().contains(part), json + ": " + e.getMessage());
  }
}
