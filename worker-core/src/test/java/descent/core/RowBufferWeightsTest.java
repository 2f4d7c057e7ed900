package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Instance weights travel from the row buffer into the blocks with their rows. */
class RowBufferWeightsTest {

  /** 40 rows: feature 0 = i, label = i, weight = 1 + i/10 for odd i, 1 otherwise. */
  private static RowBuffer rows(boolean weighted) {
    RowBuffer b = new RowBuffer();
    for (int i = 0; i < 40; i++) {
      b.addFeature(0, i + 1);
      b.endRow(i, weighted && i % 2 == 1 ? 1 + i / 10.0 : 1.0);
    }
    return b;
  }

  @Test
  void unitWeightsAllocateNothing() {
    RowBuffer b = rows(false);
    assertFalse(b.hasWeights());
    for (DataBlock block : Blockifier.blockify(b, 1, 9, 0, true)) {
      assertNull(block.weights());
    }
  }

  @Test
  void weightsFollowTheirRowsThroughTheShuffle() {
    RowBuffer b = rows(true);
    assertTrue(b.hasWeights());
    List<DataBlock> blocks = Blockifier.blockify(b, 1, 9, 0, true);
    double sum = 0;
    for (DataBlock block : blocks) {
      for (int r = 0; r < block.numRows(); r++) {
        int i = (int) block.labels()[r];
        double expected = i % 2 == 1 ? 1 + i / 10.0 : 1.0;
        assertEquals(expected, block.weights()[r], 0.0, "row " + i);
        sum += block.weights()[r];
      }
    }
    assertEquals(20 + (20 + (1 + 3 + 5 + 7 + 9 + 11 + 13 + 15 + 17 + 19 + 21 + 23 + 25 + 27 + 29
        + 31 + 33 + 35 + 37 + 39) / 10.0), sum, 1e-12);
  }

  @Test
  void splitKeepsEachRowsWeight() {
    RowBuffer[] parts = rows(true).split(0.5, 3, 0);
    double[] seen = new double[40];
    for (RowBuffer part : parts) {
      for (int r = 0; r < part.numRows(); r++) {
        seen[(int) part.label(r)] = part.weight(r);
      }
    }
    double[] expected = new double[40];
    for (int i = 0; i < 40; i++) {
      expected[i] = i % 2 == 1 ? 1 + i / 10.0 : 1.0;
    }
    assertArrayEquals(expected, seen, 0.0);
  }

  @Test
  void aWeightAfterUnitRowsBackfillsOnes() {
    RowBuffer b = new RowBuffer();
    for (int i = 0; i < 20; i++) {
      b.endRow(0, i == 19 ? 3.0 : 1.0);
    }
    assertEquals(1.0, b.weight(0), 0.0);
    assertEquals(1.0, b.weight(18), 0.0);
    assertEquals(3.0, b.weight(19), 0.0);
  }
}
