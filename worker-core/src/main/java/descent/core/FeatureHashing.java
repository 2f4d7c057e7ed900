package descent.core;

/**
 * The hashing trick for LIBSVM indices: index {@code i} (1-based, any positive int) goes to
 * feature {@code murmur3_x86_32(i, 42) mod 2^bits} (0-based), so a model of {@code 2^bits}
 * coefficients takes indices of any width. The hash is MurmurHash3 x86_32 of the int's four
 * bytes with seed 42, as Spark's {@code Murmur3_x86_32.hashInt(i, 42)} computes it (the seed of
 * Spark ML's {@code FeatureHasher} and {@code HashingTF}); the low {@code bits} bits of the hash
 * are the bucket, which is the non-negative remainder for a power of two.
 *
 * <p>Within a row, indices that land in the same bucket sum their values; {@link RowStage}
 * collects a row's hashed features and hands them to a {@link RowBuffer} sorted by bucket, each
 * bucket once, reusing its arrays from row to row.
 */
public final class FeatureHashing implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The widest hashed model: 2^24 features, as wide as a model without hashing. */
  public static final int MAX_BITS = 24;
  /** The seed of the hash, Spark ML's. */
  public static final int SEED = 42;
  /** The hash's name in {@code model.json}. */
  public static final String HASH = "murmur3_x86_32";

  private final int bits;
  private final int mask;

  /**
   * @param bits the model has {@code 2^bits} features, 1 ≤ bits ≤ {@link #MAX_BITS}
   */
  public FeatureHashing(int bits) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new IllegalArgumentException("feature hashing takes 1 to " + MAX_BITS
          + " bits (2^bits features), got " + bits);
    }
    this.bits = bits;
    this.mask = (1 << bits) - 1;
  }

  public int bits() {
    return bits;
  }

  /** The model's feature count, {@code 2^bits}. */
  public int numFeatures() {
    return 1 << bits;
  }

  /** The 0-based feature of LIBSVM index {@code index} (1-based). */
  public int bucket(int index) {
    return murmur3(index, SEED) & mask;
  }

  /** MurmurHash3 x86_32 of the four little-endian bytes of {@code key}. */
  public static int murmur3(int key, int seed) {
    int k1 = key * 0xcc9e2d51;
    k1 = Integer.rotateLeft(k1, 15);
    k1 *= 0x1b873593;
    int h1 = seed ^ k1;
    h1 = Integer.rotateLeft(h1, 13);
    h1 = h1 * 5 + 0xe6546b64;
    h1 ^= 4;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }

  /**
   * One row's hashed features on their way to a {@link RowBuffer}: {@link #add} in any order,
   * then {@link #flush} appends them sorted by bucket with colliding values summed. Its arrays
   * grow to the widest row and are reused, so a row allocates nothing. Not thread-safe: one per
   * task.
   */
  public static final class RowStage {
    /** Rows up to this many features are sorted by insertion, larger ones by heapsort. */
    private static final int INSERTION_LIMIT = 32;

    private final FeatureHashing hashing;
    /** {@code bucket << 32 | k}: sorting the keys sorts the features by bucket. */
    private long[] keys = new long[64];
    private double[] values = new double[64];
    private int size;

    public RowStage(FeatureHashing hashing) {
      this.hashing = hashing;
    }

    /** Adds LIBSVM index {@code index} (1-based) with {@code value} to the current row. */
    public void add(int index, double value) {
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, 2 * size);
        values = java.util.Arrays.copyOf(values, 2 * size);
      }
      keys[size] = (long) hashing.bucket(index) << 32 | size;
      values[size] = value;
      size++;
    }

    /** Drops what was added since the last {@link #flush} (a row that failed to parse). */
    public void clear() {
      size = 0;
    }

    /** Appends the row's features to {@code out}, by ascending bucket, each bucket once. */
    public void flush(RowBuffer out) {
      if (size <= INSERTION_LIMIT) {
        insertionSort(keys, size);
      } else {
        heapSort(keys, size);
      }
      int k = 0;
      while (k < size) {
        int bucket = (int) (keys[k] >>> 32);
        double sum = values[(int) keys[k]];
        k++;
        while (k < size && (int) (keys[k] >>> 32) == bucket) {
          sum += values[(int) keys[k]];
          k++;
        }
        out.addFeature(bucket, sum);
      }
      size = 0;
    }

    private static void insertionSort(long[] a, int n) {
      for (int i = 1; i < n; i++) {
        long v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
    }

    private static void heapSort(long[] a, int n) {
      for (int i = n / 2 - 1; i >= 0; i--) {
        siftDown(a, i, n);
      }
      for (int end = n - 1; end > 0; end--) {
        long t = a[0];
        a[0] = a[end];
        a[end] = t;
        siftDown(a, 0, end);
      }
    }

    private static void siftDown(long[] a, int i, int n) {
      long v = a[i];
      while (true) {
        int child = 2 * i + 1;
        if (child >= n) {
          break;
        }
        if (child + 1 < n && a[child + 1] > a[child]) {
          child++;
        }
        if (a[child] <= v) {
          break;
        }
        a[i] = a[child];
        i = child;
      }
      a[i] = v;
    }
  }
}
