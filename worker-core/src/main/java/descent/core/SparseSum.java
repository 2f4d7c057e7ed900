package descent.core;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A sum of a vector of {@code dimension} coordinates of which few are touched: an open-addressing
 * hash map from coordinate to partial sum (linear probing, at most half full), which turns into a
 * plain {@code double[]} once that is smaller. A mini-batch of sparse rows touches a few thousand
 * of a million parameters, so a task that sums its gradient here allocates, merges and ships what
 * its rows touched, not {@code 8·dimension} bytes.
 *
 * <p><b>When it turns dense.</b> The table takes 12 bytes a slot (an {@code int} key and a
 * {@code double}) and grows by doubling when half full; when the next table would take more bytes
 * than the dense array ({@code 12·slots > 8·dimension}), the sum moves into a dense array instead
 * and stays there. A sparse sum therefore never holds more than {@code dimension/3} entries, and
 * its serialized form, its entries only, is at most half the dense array's.
 *
 * <p><b>Same bits as a dense array.</b> Every coordinate starts at {@code +0.0} and receives its
 * terms in the order they are {@link #add}ed, exactly as {@code dense[j] += x} would, and a
 * coordinate missing here is a {@code +0.0} there ({@code x + 0.0 == x} for every sum that starts
 * at {@code +0.0}). Summing the same terms in the same order, sparsely or densely, gives identical
 * bits.
 *
 * <p><b>Serialized form.</b> Its entries only, no empty slot: Java serialization writes the
 * coordinates and sums in two arrays of their exact length; {@link #write} (which descent's Kryo
 * registration uses) the dimension, the entry count, then each entry's coordinate and value.
 * Not thread-safe.
 */
public final class SparseSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Slots of the smallest table. */
  static final int MIN_SLOTS = 16;

  private final int dimension;
  /** Coordinate + 1 per slot; 0 marks an empty slot. Null once dense. */
  private int[] keys;
  private double[] values;
  private int size;
  /** The sum once it has turned dense; null while sparse. */
  private double[] dense;

  private SparseSum(int dimension) {
    if (dimension < 0) {
      throw new IllegalArgumentException("dimension " + dimension + " is negative");
    }
    this.dimension = dimension;
  }

  /**
   * An empty sum of {@code dimension} coordinates with room for about {@code expectedEntries}
   * before its table grows; dense from the start when even the smallest table takes more bytes
   * than the dense array.
   */
  public static SparseSum create(int dimension, int expectedEntries) {
    SparseSum s = new SparseSum(dimension);
    int max = maxSlots(dimension);
    if (max < MIN_SLOTS) {
      s.dense = new double[dimension];
      return s;
    }
    long wanted = Math.max(MIN_SLOTS, 2L * Math.max(0, expectedEntries));
    int slots = MIN_SLOTS;
    while (slots < wanted && slots < max) {
      slots <<= 1;
    }
    s.keys = new int[slots];
    s.values = new double[slots];
    return s;
  }

  /**
   * The largest table (a power of two) that takes no more bytes than the dense array:
   * {@code 12·slots ≤ 8·dimension}.
   */
  static int maxSlots(int dimension) {
    long limit = 2L * dimension / 3;
    int slots = 1;
    while ((long) slots << 1 <= limit && slots < (1 << 30)) {
      slots <<= 1;
    }
    return slots <= limit ? slots : 0;
  }

  /** The number of coordinates. */
  public int dimension() {
    return dimension;
  }

  /** Whether the sum has turned into a dense array. */
  public boolean isDense() {
    return dense != null;
  }

  /** The coordinates held: the entries while sparse, {@link #dimension()} once dense. */
  public int size() {
    return dense != null ? dimension : size;
  }

  /** {@code sum[j] += x}. */
  public void add(int j, double x) {
    if (dense != null) {
      dense[j] += x;
      return;
    }
    if (j < 0 || j >= dimension) {
      throw new IndexOutOfBoundsException("coordinate " + j + " of a sum of " + dimension);
    }
    int mask = keys.length - 1;
    int key = j + 1;
    int slot = hash(key) & mask;
    while (true) {
      int k = keys[slot];
      if (k == key) {
        values[slot] += x;
        return;
      }
      if (k == 0) {
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (2 * (size + 1) > keys.length && !grow()) {
      dense[j] += x;
      return;
    }
    insertNew(key, x);
  }

  /**
   * {@code sum[indices[q]] += mult[i]·values[q]} for the CSR rows {@code first ≤ r < first + n}
   * (row {@code r} holds {@code q ∈ [indptr[r], indptr[r+1])}, multiplier {@code mult[r − first]}),
   * row by row in order: the scatter of a gradient kernel.
   */
  public void addRows(int[] indptr, int[] indices, double[] x, int first, int n,
      double[] mult) {
    int i = 0;
    for (; i < n && dense == null; i++) {
      double g = mult[i];
      for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
        add(indices[q], g * x[q]);
      }
    }
    if (i < n) {
      double[] d = dense;
      for (; i < n; i++) {
        double g = mult[i];
        for (int q = indptr[first + i], end = indptr[first + i + 1]; q < end; q++) {
          d[indices[q]] += g * x[q];
        }
      }
    }
  }

  /**
   * Adds {@code other} into this sum: {@code sum[j] += other[j]} for each coordinate
   * {@code other} holds.
   *
   * @throws IllegalArgumentException when the dimensions differ
   */
  public void addAll(SparseSum other) {
    checkDimension(other.dimension);
    if (other.dense != null) {
      addTo(other.dense);
      return;
    }
    if (dense == null) {
      reserve(size + other.size);
    }
    int[] k = other.keys;
    double[] v = other.values;
    for (int s = 0; s < k.length; s++) {
      if (k[s] != 0) {
        add(k[s] - 1, v[s]);
      }
    }
  }

  /**
   * Rehashes once into a table of room for {@code entries} (at most {@link #maxSlots}), so that a
   * merge does not double the table step by step; the sum turns dense at the same entry count
   * as without it, in {@link #add}.
   */
  private void reserve(long entries) {
    long wanted = Math.min(2 * entries, maxSlots(dimension));
    int slots = keys.length;
    while (slots < wanted) {
      slots <<= 1;
    }
    if (slots != keys.length && slots <= maxSlots(dimension)) {
      rehash(slots);
    }
  }

  /**
   * {@code target[j] += sum[j]} for each coordinate held here: {@code target}, a dense partial
   * sum, then holds the sum of both, as a dense merge would leave it.
   *
   * @throws IllegalArgumentException when {@code target} has another length
   */
  public void addInto(double[] target) {
    checkDimension(target.length);
    if (dense != null) {
      for (int j = 0; j < dimension; j++) {
        target[j] += dense[j];
      }
      return;
    }
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        target[keys[s] - 1] += values[s];
      }
    }
  }

  /** {@code sum[j] += other[j]} for every j; the sum turns dense unless it already is. */
  private void addTo(double[] other) {
    double[] d = dense();
    for (int j = 0; j < dimension; j++) {
      d[j] += other[j];
    }
  }

  /**
   * The sum as a dense array, which it turns into (a no-op once dense). Later {@link #add}s go
   * into the returned array, which the sum keeps using.
   */
  public double[] dense() {
    if (dense == null) {
      double[] d = new double[dimension];
      addInto(d);
      dense = d;
      keys = null;
      values = null;
      size = 0;
    }
    return dense;
  }

  /** A dense copy of the sum (zeros where no term was added). */
  public double[] toArray() {
    if (dense != null) {
      return dense.clone();
    }
    double[] d = new double[dimension];
    addInto(d);
    return d;
  }

  /** An independent copy. */
  public SparseSum copy() {
    SparseSum c = new SparseSum(dimension);
    c.size = size;
    c.keys = keys == null ? null : keys.clone();
    c.values = values == null ? null : values.clone();
    c.dense = dense == null ? null : dense.clone();
    return c;
  }

  /**
   * The held coordinates, ascending, and their sums into {@code valuesOut} (when not null): what
   * the sum holds, in a stable order. Sparse sums only.
   */
  public int[] coordinates(double[] valuesOut) {
    if (dense != null) {
      throw new IllegalStateException("the sum is dense");
    }
    long[] packed = new long[size];
    int n = 0;
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        packed[n++] = ((long) (keys[s] - 1) << 32) | s;
      }
    }
    sortByCoordinate(packed, n, dimension);
    int[] coordinates = new int[n];
    for (int i = 0; i < n; i++) {
      coordinates[i] = (int) (packed[i] >>> 32);
      if (valuesOut != null) {
        valuesOut[i] = values[(int) packed[i]];
      }
    }
    return coordinates;
  }

  /** Below this many entries a comparison sort is faster than the radix sort's passes. */
  private static final int RADIX_MIN = 4096;
  /** Bits of the coordinate a radix pass sorts by. */
  private static final int RADIX_BITS = 11;

  /**
   * Sorts the first {@code n} entries of {@code packed}, each {@code coordinate << 32 | slot}
   * with a distinct coordinate below {@code dimension}, by coordinate: least significant digit
   * first, {@value #RADIX_BITS} bits a pass (2 passes at 2^22 features), since the driver sorts
   * every step's touched coordinates and a comparison sort of 10^5 of them took a third of its
   * time. The coordinates are distinct, so any correct sort gives the same order.
   */
  static void sortByCoordinate(long[] packed, int n, int dimension) {
    if (n < RADIX_MIN) {
      Arrays.sort(packed, 0, n);
      return;
    }
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, dimension - 1));
    int buckets = 1 << RADIX_BITS;
    int mask = buckets - 1;
    long[] from = packed;
    long[] to = new long[n];
    int[] counts = new int[buckets];
    for (int shift = 32; shift < 32 + bits; shift += RADIX_BITS) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[(int) (from[i] >>> shift) & mask]++;
      }
      int start = 0;
      for (int b = 0; b < buckets; b++) {
        int c = counts[b];
        counts[b] = start;
        start += c;
      }
      for (int i = 0; i < n; i++) {
        long x = from[i];
        to[counts[(int) (x >>> shift) & mask]++] = x;
      }
      long[] t = from;
      from = to;
      to = t;
    }
    if (from != packed) {
      System.arraycopy(from, 0, packed, 0, n);
    }
  }

  /**
   * Writes the sum as {@code dimension, entries, (coordinate, value)…} through {@code out}, or as
   * {@code dimension, −1, dense values} once dense; {@link #read} reads it back. The coordinates of
   * a sparse sum go in table order; each appears once, so the order changes no bit.
   */
  public void write(Output out) throws IOException {
    out.writeInt(dimension);
    if (dense != null) {
      out.writeInt(-1);
      for (double v : dense) {
        out.writeDouble(v);
      }
      return;
    }
    out.writeInt(size);
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        out.writeInt(keys[s] - 1);
        out.writeDouble(values[s]);
      }
    }
  }

  /** Reads what {@link #write} wrote. */
  public static SparseSum read(Input in) throws IOException {
    int dimension = in.readInt();
    int entries = in.readInt();
    if (entries < 0) {
      SparseSum s = new SparseSum(dimension);
      s.dense = new double[dimension];
      for (int j = 0; j < dimension; j++) {
        s.dense[j] = in.readDouble();
      }
      return s;
    }
    SparseSum s = new SparseSum(dimension);
    s.allocate(entries);
    for (int i = 0; i < entries; i++) {
      int j = in.readInt();
      double v = in.readDouble();
      if (j < 0 || j >= dimension) {
        throw new IOException("coordinate " + j + " of a sum of " + dimension);
      }
      s.insertNew(j + 1, v);
    }
    return s;
  }

  /** Where {@link #write} puts its numbers: a Kryo output, for instance. */
  public interface Output {
    /** Writes an {@code int}. */
    void writeInt(int v) throws IOException;

    /** Writes a {@code double}. */
    void writeDouble(double v) throws IOException;
  }

  /** Where {@link #read} takes its numbers from. */
  public interface Input {
    /** Reads an {@code int}. */
    int readInt() throws IOException;

    /** Reads a {@code double}. */
    double readDouble() throws IOException;
  }

  /**
   * Java serialization writes a {@link Form} instead: the entries in arrays of their exact
   * length (or the dense array), never the table's empty slots.
   */
  private Object writeReplace() {
    if (dense != null) {
      return new Form(dimension, null, dense);
    }
    int[] coordinates = new int[size];
    double[] sums = new double[size];
    int n = 0;
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        coordinates[n] = keys[s] - 1;
        sums[n] = values[s];
        n++;
      }
    }
    return new Form(dimension, coordinates, sums);
  }

  /** The serialized form of a sum: its entries, or its dense array when coordinates is null. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int dimension;
    private final int[] coordinates;
    private final double[] sums;

    Form(int dimension, int[] coordinates, double[] sums) {
      this.dimension = dimension;
      this.coordinates = coordinates;
      this.sums = sums;
    }

    private Object readResolve() throws java.io.InvalidObjectException {
      SparseSum s = new SparseSum(dimension);
      if (coordinates == null) {
        if (sums.length != dimension) {
          throw new java.io.InvalidObjectException(
              sums.length + " values for a dense sum of " + dimension);
        }
        s.dense = sums;
        return s;
      }
      s.allocate(coordinates.length);
      for (int i = 0; i < coordinates.length; i++) {
        int j = coordinates[i];
        if (j < 0 || j >= dimension) {
          throw new java.io.InvalidObjectException("coordinate " + j + " of a sum of " + dimension);
        }
        s.insertNew(j + 1, sums[i]);
      }
      return s;
    }
  }

  /** An empty table with room for {@code entries} at most half full. */
  private void allocate(int entries) {
    int slots = MIN_SLOTS;
    while (slots < 2L * entries) {
      slots <<= 1;
    }
    keys = new int[slots];
    values = new double[slots];
    size = 0;
  }

  private void checkDimension(int other) {
    if (other != dimension) {
      throw new IllegalArgumentException("cannot add a sum of " + other
          + " coordinates to one of " + dimension);
    }
  }

  /** Fibonacci hashing: consecutive coordinates land far apart. */
  private static int hash(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Puts a key known to be absent; the table has room. */
  private void insertNew(int key, double x) {
    int mask = keys.length - 1;
    int slot = hash(key) & mask;
    while (keys[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    values[slot] += x;
    size++;
  }

  /** Doubles the table; false (and dense) when the doubled table would outweigh the dense array. */
  private boolean grow() {
    int slots = keys.length << 1;
    if (slots > maxSlots(dimension)) {
      dense();
      return false;
    }
    rehash(slots);
    return true;
  }

  /** Moves every entry into a table of {@code slots} slots. */
  private void rehash(int slots) {
    int[] oldKeys = keys;
    double[] oldValues = values;
    keys = new int[slots];
    values = new double[slots];
    size = 0;
    for (int s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] != 0) {
        insertNew(oldKeys[s], oldValues[s]);
      }
    }
  }
}
