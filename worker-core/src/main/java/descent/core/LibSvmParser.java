package descent.core;

/**
 * Parses LIBSVM lines ({@code label index:value ...}, 1-based ascending indices) into a
 * {@link RowBuffer}, validating each row: numeric label in the model's domain, positive strictly
 * ascending integer indices, finite values, and indices within the feature count when one is set.
 * A problem is reported as an {@link IllegalArgumentException} whose message says what is wrong;
 * the reader adds the file and line.
 *
 * <p>With {@link FeatureHashing}, an index of any width goes to its bucket of the hashed model
 * (colliding values summed, the row sorted by bucket); the indices are checked as written, before
 * hashing. Without it, an index above {@link #MAX_FEATURES} is refused when the feature count
 * comes from the data, since the model would need a coefficient for every index up to it.
 */
public final class LibSvmParser implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The widest model without hashing: 2^24 features. */
  public static final int MAX_FEATURES = 1 << FeatureHashing.MAX_BITS;

  private final LabelDomain domain;
  private final int numFeatures;
  private final String limitName;
  private final FeatureHashing hashing;
  /** The current row's hashed features; one per deserialized parser, so one per task. */
  private transient FeatureHashing.RowStage stage;

  /**
   * @param numFeatures the feature count set by the user ({@code --num-features}), or 0 when it
   *     is taken from the data
   */
  public LibSvmParser(LabelDomain domain, int numFeatures) {
    this(domain, numFeatures, "--num-features");
  }

  /**
   * @param limitName how messages name the feature count, e.g. {@code "the model's feature count"}
   */
  public LibSvmParser(LabelDomain domain, int numFeatures, String limitName) {
    this(domain, numFeatures, limitName, null);
  }

  /**
   * @param hashing the hashing of indices into {@code hashing.numFeatures()} features, or null;
   *     with hashing, {@code numFeatures} is not a limit on the indices
   */
  public LibSvmParser(LabelDomain domain, int numFeatures, String limitName,
      FeatureHashing hashing) {
    this.domain = domain;
    this.numFeatures = numFeatures;
    this.limitName = limitName;
    this.hashing = hashing;
  }

  /**
   * Appends the row on {@code line} to {@code out}.
   *
   * @return false when the line is blank and holds no row
   */
  public boolean parse(String line, RowBuffer out) {
    int n = line.length();
    int pos = skipSpace(line, 0);
    if (pos == n) {
      return false;
    }
    int end = tokenEnd(line, pos);
    double label = parseNumber(line, pos, end, "label");
    double encoded = domain.encode(label);
    int previous = 0;
    if (hashing != null) {
      stage().clear();
    }
    pos = skipSpace(line, end);
    while (pos < n) {
      end = tokenEnd(line, pos);
      int colon = line.indexOf(':', pos);
      if (colon < 0 || colon >= end) {
        throw new IllegalArgumentException(
            "token '" + line.substring(pos, end) + "' is not index:value");
      }
      int index = parseIndex(line, pos, colon);
      if (index <= 0) {
        throw new IllegalArgumentException(
            "feature index " + index + "; LIBSVM indices start at 1");
      }
      if (index == previous) {
        throw new IllegalArgumentException("duplicate feature index " + index);
      }
      if (index < previous) {
        throw new IllegalArgumentException("feature indices not in ascending order: " + index
            + " after " + previous);
      }
      if (hashing == null) {
        if (numFeatures > 0 && index > numFeatures) {
          throw new IllegalArgumentException(
              "feature index " + index + " exceeds " + limitName + " " + numFeatures);
        }
        if (numFeatures <= 0 && index > MAX_FEATURES) {
          throw new IllegalArgumentException("feature index " + index + " exceeds "
              + MAX_FEATURES + " (2^" + FeatureHashing.MAX_BITS + "), the widest model without"
              + " hashing; hash the indices into 2^BITS features with --hash-features BITS");
        }
      }
      if (colon + 1 == end) {
        throw new IllegalArgumentException("feature " + index + " has no value after ':'");
      }
      double value = parseNumber(line, colon + 1, end, "feature " + index);
      if (hashing == null) {
        out.addFeature(index - 1, value);
      } else {
        stage().add(index, value);
      }
      previous = index;
      pos = skipSpace(line, end);
    }
    if (hashing != null) {
      stage().flush(out);
    }
    out.endRow(encoded);
    return true;
  }

  private FeatureHashing.RowStage stage() {
    if (stage == null) {
      stage = new FeatureHashing.RowStage(hashing);
    }
    return stage;
  }

  private static int skipSpace(String s, int pos) {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static int tokenEnd(String s, int pos) {
    while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static int parseIndex(String s, int from, int to) {
    boolean negative = from < to && s.charAt(from) == '-';
    int i = negative ? from + 1 : from;
    if (i == to) {
      throw new IllegalArgumentException(
          "feature index '" + s.substring(from, to) + "' is not an integer");
    }
    long v = 0;
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "feature index '" + s.substring(from, to) + "' is not an integer");
      }
      v = v * 10 + (c - '0');
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "feature index " + s.substring(from, to) + " is larger than " + Integer.MAX_VALUE);
      }
    }
    return (int) (negative ? -v : v);
  }

  /** A finite number, or an exception naming {@code what}. */
  static double parseNumber(String s, int from, int to, String what) {
    String text = s.substring(from, to);
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " value '" + text + "' is not a number");
    }
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException(what + " is NaN");
    }
    if (Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " is infinite (" + text + ")");
    }
    return v;
  }
}
