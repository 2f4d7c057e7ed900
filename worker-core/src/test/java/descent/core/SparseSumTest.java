package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sparse sum: same bits as a dense array for the same terms in the same order, the rule by
 * which it turns dense, merges with an empty side, and a serialized form that grows with the
 * entries, not the dimension.
 */
class SparseSumTest {

  /** Adds {@code terms} random terms over {@code distinct} coordinates to both sums. */
  private static void addRandom(SparseSum sparse, double[] dense, int distinct, int terms,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] coordinates = new int[distinct];
    for (int i = 0; i < distinct; i++) {
      coordinates[i] = random.nextInt(dense.length);
    }
    for (int t = 0; t < terms; t++) {
      int j = coordinates[random.nextInt(distinct)];
      double x = random.nextGaussian() * Math.exp(random.nextGaussian() * 5);
      sparse.add(j, x);
      dense[j] += x;
    }
  }

  private static void assertSameBits(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, "length");
    for (int j = 0; j < expected.length; j++) {
      if (Double.doubleToRawLongBits(expected[j]) != Double.doubleToRawLongBits(actual[j])) {
        throw new AssertionError("coordinate " + j + ": expected " + expected[j] + ", got "
            + actual[j]);
      }
    }
  }

  @Test
  void sumsLikeADenseArrayBitForBit() {
    int d = 100_000;
    SparseSum sparse = SparseSum.create(d, 0);
    double[] dense = new double[d];
    addRandom(sparse, dense, 500, 20_000, 1);
    assertFalse(sparse.isDense());
    assertTrue(sparse.size() <= 500);
    assertSameBits(dense, sparse.toArray());
  }

  @Test
  void negativeZeroTermsLeavePositiveZeroAsADenseArrayDoes() {
    SparseSum sparse = SparseSum.create(1000, 0);
    sparse.add(3, -0.0);
    double[] dense = new double[1000];
    dense[3] += -0.0;
    assertSameBits(dense, sparse.toArray());
    assertEquals(1, sparse.size());
  }

  @Test
  void turnsDenseWhenTheNextTableWouldOutweighTheDenseArray() {
    int d = 3000;
    // 12 bytes a slot ≤ 8 bytes a coordinate: at most 2000 slots, so 1024, half full at 512.
    assertEquals(1024, SparseSum.maxSlots(d));
    SparseSum sum = SparseSum.create(d, 0);
    double[] dense = new double[d];
    for (int j = 0; j < 512; j++) {
      sum.add(j * 5, 1.0 + j);
      dense[j * 5] += 1.0 + j;
    }
    assertFalse(sum.isDense());
    assertEquals(512, sum.size());
    sum.add(1, 0.5);
    dense[1] += 0.5;
    assertTrue(sum.isDense());
    assertEquals(d, sum.size());
    sum.add(2, 0.25);
    dense[2] += 0.25;
    assertSameBits(dense, sum.toArray());
  }

  @Test
  void aTinyDimensionIsDenseFromTheStart() {
    assertTrue(SparseSum.create(20, 0).isDense());
    assertFalse(SparseSum.create(24, 0).isDense());
  }

  @Test
  void expectedEntriesSizeTheFirstTableWithinTheLimit() {
    SparseSum big = SparseSum.create(1 << 20, 1 << 30);
    assertFalse(big.isDense());
    SparseSum sum = SparseSum.create(1 << 20, 40_000);
    double[] dense = new double[1 << 20];
    addRandom(sum, dense, 30_000, 60_000, 2);
    assertFalse(sum.isDense());
    assertSameBits(dense, sum.toArray());
  }

  @Test
  void mergesWithAnEmptySideAndEitherKind() {
    int d = 50_000;
    SparseSum a = SparseSum.create(d, 0);
    double[] expected = new double[d];
    addRandom(a, expected, 300, 3000, 3);

    SparseSum empty = SparseSum.create(d, 0);
    SparseSum copy = a.copy();
    copy.addAll(empty);
    assertSameBits(expected, copy.toArray());
    empty.addAll(a);
    assertSameBits(expected, empty.toArray());

    // sparse + sparse, in the order a dense merge adds: a's sums, then b's added to them.
    SparseSum b = SparseSum.create(d, 0);
    double[] bDense = new double[d];
    addRandom(b, bDense, 300, 3000, 4);
    double[] both = expected.clone();
    for (int j = 0; j < d; j++) {
      both[j] += bDense[j];
    }
    SparseSum ab = a.copy();
    ab.addAll(b);
    assertFalse(ab.isDense());
    assertSameBits(both, ab.toArray());

    // sparse into dense, and dense into sparse.
    double[] target = expected.clone();
    b.addInto(target);
    assertSameBits(both, target);
    SparseSum denseB = b.copy();
    denseB.dense();
    SparseSum aThenDense = a.copy();
    aThenDense.addAll(denseB);
    assertTrue(aThenDense.isDense());
    assertSameBits(both, aThenDense.toArray());
  }

  @Test
  void dimensionsMustAgree() {
    SparseSum a = SparseSum.create(100, 0);
    assertThrows(IllegalArgumentException.class, () -> a.addAll(SparseSum.create(101, 0)));
    assertThrows(IllegalArgumentException.class, () -> a.addInto(new double[99]));
    assertThrows(IndexOutOfBoundsException.class, () -> a.add(100, 1.0));
  }

  @Test
  void theRadixSortOrdersManyCoordinatesAsTheComparisonSortDoes() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int dimension : new int[] {5000, 1 << 16, (1 << 22) + 3, 1 << 24}) {
      java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
      while (set.size() < Math.min(dimension / 2, 20_000)) {
        set.add(r.nextInt(dimension));
      }
      long[] packed = new long[set.size() + 7];
      int n = 0;
      for (int c : set) {
        packed[n] = ((long) c << 32) | r.nextInt(1 << 30);
        n++;
      }
      // shuffle the first n
      for (int i = n - 1; i > 0; i--) {
        int k = r.nextInt(i + 1);
        long t = packed[i];
        packed[i] = packed[k];
        packed[k] = t;
      }
      long[] expected = java.util.Arrays.copyOf(packed, n);
      java.util.Arrays.sort(expected);
      SparseSum.sortByCoordinate(packed, n, dimension);
      assertArrayEquals(expected, java.util.Arrays.copyOf(packed, n), "dimension " + dimension);
    }
  }

  @Test
  void coordinatesAscend() {
    SparseSum s = SparseSum.create(1000, 0);
    s.add(900, 1.0);
    s.add(3, 2.0);
    s.add(500, 3.0);
    s.add(3, 4.0);
    double[] values = new double[3];
    assertArrayEquals(new int[] {3, 500, 900}, s.coordinates(values));
    assertArrayEquals(new double[] {6.0, 3.0, 1.0}, values);
  }

  static byte[] javaBytes(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static <T> T javaRoundTrip(T o) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(javaBytes(o)))) {
      return (T) in.readObject();
    }
  }

  @Test
  void serializedSizeFollowsTheEntriesNotTheDimension() throws Exception {
    int d = 1 << 20;
    int[] sizes = {0, 100, 1000, 10_000};
    long[] bytes = new long[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      SparseSum s = SparseSum.create(d, 0);
      for (int j = 0; j < sizes[i]; j++) {
        s.add(j * 97, 1.0 / (j + 1));
      }
      assertEquals(sizes[i], s.size());
      bytes[i] = javaBytes(s).length;
      SparseSum back = javaRoundTrip(s);
      assertSameBits(s.toArray(), back.toArray());
      assertEquals(sizes[i], back.size());
    }
    // 12 bytes an entry (an int and a double) over a fixed header, and the stream's headers of
    // its data blocks (a few bytes a KiB).
    for (int i = 1; i < sizes.length; i++) {
      long extra = bytes[i] - bytes[0];
      assertTrue(extra >= 12L * sizes[i] && extra <= 12.1 * sizes[i] + 8,
          sizes[i] + " entries took " + extra + " bytes");
    }
    assertTrue(bytes[0] < 200, "an empty sum takes " + bytes[0] + " bytes");
  }

  @Test
  void aDenseSumRoundTrips() throws Exception {
    SparseSum s = SparseSum.create(30, 0);
    s.add(4, 2.5);
    s.dense();
    SparseSum back = javaRoundTrip(s);
    assertTrue(back.isDense());
    assertSameBits(s.toArray(), back.toArray());
  }
}
