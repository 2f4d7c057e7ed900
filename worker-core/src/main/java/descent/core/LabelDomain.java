package descent.core;

import java.io.Serializable;

/**
 * The labels a model accepts, checked and encoded as each row is read. Binary labels arrive as
 * ±1 or 0/1 and are stored as ±1 (a label above 0 is the positive class); class labels of a
 * K-class model are the integers 0..K−1, stored as they are.
 */
public final class LabelDomain implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The largest class count {@link #classes} accepts, and the bound when K is not yet known. */
  public static final int MAX_CLASSES = 1 << 20;

  /** The kind of label. */
  public enum Kind {
    REAL, BINARY, CLASSES
  }

  /** Any finite real number (regression). */
  public static final LabelDomain REAL = new LabelDomain(Kind.REAL, 0);
  /** Two classes, written ±1 or 0/1; stored as ±1. */
  public static final LabelDomain BINARY = new LabelDomain(Kind.BINARY, 0);

  private final Kind kind;
  private final int numClasses;

  private LabelDomain(Kind kind, int numClasses) {
    this.kind = kind;
    this.numClasses = numClasses;
  }

  /**
   * The class indices {@code 0..numClasses−1}; {@code numClasses} 0 accepts any index below
   * {@link #MAX_CLASSES} (the count is then taken from the data).
   */
  public static LabelDomain classes(int numClasses) {
    if (numClasses != 0 && (numClasses < 2 || numClasses > MAX_CLASSES)) {
      throw new IllegalArgumentException("the number of classes must be between 2 and "
          + MAX_CLASSES + ", got " + numClasses);
    }
    return new LabelDomain(Kind.CLASSES, numClasses);
  }

  public Kind kind() {
    return kind;
  }

  /** K for a class domain with a known count, else 0. */
  public int numClasses() {
    return numClasses;
  }

  /**
   * The stored value of a finite {@code label}.
   *
   * @throws IllegalArgumentException naming the label when it is outside this domain
   */
  public double encode(double label) {
    switch (kind) {
      case REAL:
        return label;
      case BINARY:
        if (label == 1.0) {
          return 1.0;
        }
        if (label == -1.0 || label == 0.0) {
          return -1.0;
        }
        throw new IllegalArgumentException("label " + format(label)
            + " is not a binary label; a binary model takes labels ±1 or 0/1");
      default:
        int bound = numClasses == 0 ? MAX_CLASSES : numClasses;
        if (label >= 0 && label < bound && label == Math.rint(label)) {
          return label;
        }
        throw new IllegalArgumentException("label " + format(label) + " is not a class index; "
            + (numClasses == 0 ? "a multiclass model takes labels 0, 1, 2, ... (below "
                + MAX_CLASSES + ")" : "a " + numClasses + "-class model takes labels 0.."
                + (numClasses - 1)));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelDomain other && other.kind == kind && other.numClasses == numClasses;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + numClasses;
  }

  @Override
  public String toString() {
    return kind == Kind.CLASSES ? "CLASSES(" + numClasses + ")" : kind.name();
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
