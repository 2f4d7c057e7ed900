package descent.core;

/**
 * The labels a model accepts, checked and encoded as each row is read. Binary labels arrive as
 * ±1 or 0/1 and are stored as ±1 (a label above 0 is the positive class).
 */
public enum LabelDomain {
  /** Any finite real number (regression). */
  REAL {
    @Override
    public double encode(double label) {
      return label;
    }
  },
  /** Two classes, written ±1 or 0/1; stored as ±1. */
  BINARY {
    @Override
    public double encode(double label) {
      if (label == 1.0) {
        return 1.0;
      }
      if (label == -1.0 || label == 0.0) {
        return -1.0;
      }
      throw new IllegalArgumentException("label " + format(label)
          + " is not a binary label; a binary model takes labels ±1 or 0/1");
    }
  };

  /**
   * The stored value of a finite {@code label}.
   *
   * @throws IllegalArgumentException naming the label when it is outside this domain
   */
  public abstract double encode(double label);

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
