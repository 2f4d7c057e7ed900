package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hashing trick on LIBSVM indices: each index goes to the low bits of its MurmurHash3, a
 * row's colliding values sum into one feature, and the row reaches the buffer sorted by feature
 * with each feature once, whatever the row's width; the checks of the indices as written stay.
 */
class FeatureHashingTest {

  /** Two different indices whose buckets agree under {@code hashing}. */
  static int[] collidingPair(FeatureHashing hashing) {
    int[] firstOfBucket = new int[hashing.numFeatures()];
    for (int i = 1; ; i++) {
      int b = hashing.bucket(i);
      if (firstOfBucket[b] != 0) {
        return new int[] {firstOfBucket[b], i};
      }
      firstOfBucket[b] = i;
    }
  }

  @Test
  void bucketIsTheLowBitsOfTheHash() {
    FeatureHashing h = new FeatureHashing(20);
    assertEquals(1 << 20, h.numFeatures());
    for (int i : new int[] {1, 2, 123, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE}) {
      int b = h.bucket(i);
      assertEquals(FeatureHashing.murmur3(i, 42) & ((1 << 20) - 1), b);
      assertTrue(b >= 0 && b < 1 << 20, "bucket " + b);
    }
  }

  @Test
  void collidingIndicesSumAndTheRowIsSortedAndUnique() {
    FeatureHashing h = new FeatureHashing(3);
    int[] pair = collidingPair(h);
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0, "--num-features", h);
    RowBuffer rows = new RowBuffer();
    parser.parse("1 " + pair[0] + ":1.5 " + pair[1] + ":2.25", rows);
    assertEquals(1, rows.nnz(), LibSvmParserTest.features(rows, 0));
    assertEquals(h.bucket(pair[0]) + "=3.75", LibSvmParserTest.features(rows, 0));
  }

  @Test
  void wideRowsMatchAMapOfBuckets() {
    FeatureHashing h = new FeatureHashing(6);
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0, "--num-features", h);
    SplittableRandom random = new SplittableRandom(7);
    RowBuffer rows = new RowBuffer();
    // Short rows (insertion sort) and long ones (heapsort), through one parser and its buffers.
    int[] widths = {0, 1, 5, 31, 32, 33, 200, 3, 1000};
    for (int width : widths) {
      StringBuilder line = new StringBuilder("0");
      TreeMap<Integer, Double> expected = new TreeMap<>();
      int index = 0;
      for (int k = 0; k < width; k++) {
        index += 1 + random.nextInt(1_000_000);
        double value = random.nextInt(9) - 4;
        line.append(' ').append(index).append(':').append(value);
        expected.merge(h.bucket(index), value, Double::sum);
      }
      parser.parse(line.toString(), rows);
      StringBuilder want = new StringBuilder();
      expected.forEach((b, v) -> {
        if (v != 0.0) {
          want.append(want.length() == 0 ? "" : " ").append(b).append('=').append(v);
        }
      });
      assertEquals(want.toString(), LibSvmParserTest.features(rows, rows.numRows() - 1),
          "a row of " + width + " indices");
    }
  }

  @Test
  void indicesAreCheckedAsWrittenBeforeHashing() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0, "--num-features",
        new FeatureHashing(4));
    LibSvmParserTest.assertRejected(parser, "1 0:1", "feature index 0; LIBSVM indices start at 1");
    LibSvmParserTest.assertRejected(parser, "1 7:1 7:2", "duplicate feature index 7");
    LibSvmParserTest.assertRejected(parser, "1 9:1 3:2",
        "feature indices not in ascending order: 3 after 9");
    // Wider than the 16 features: what hashing is for.
    RowBuffer rows = LibSvmParserTest.parseOne(parser, "1 2000000000:1");
    assertEquals(1, rows.nnz());
  }

  @Test
  void withoutHashingAnIndexAboveTwoToTheTwentyFourNeedsHashing() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0);
    LibSvmParserTest.parseOne(parser, "1 16777216:1");
    LibSvmParserTest.assertRejected(parser, "1 16777217:1", "feature index 16777217 exceeds"
        + " 16777216 (2^24), the widest model without hashing; hash the indices into 2^BITS"
        + " features with --hash-features BITS");
  }

  @Test
  void bitsOutsideOneToTwentyFourAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FeatureHashing(0));
    assertThrows(IllegalArgumentException.class, () -> new FeatureHashing(25));
    assertEquals(1 << 24, new FeatureHashing(24).numFeatures());
  }
}
