package descent.driver.schedule;

/** Argument checks shared by the schedules; messages name the parameter and say what to do. */
final class Checks {

  private Checks() {}

  static double positive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
    return value;
  }

  static double nonNegative(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  /** endLr / etaMin: the floor must lie in [0, lr0]. */
  static double floor(String name, double value, double lr0) {
    nonNegative(name, value);
    if (value > lr0) {
      throw new IllegalArgumentException(
          name + " must be <= lr0 (" + lr0 + "), got " + value + "; the schedule decays to it");
    }
    return value;
  }

  static long step(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0 (steps are 0-based), got " + step);
    }
    return step;
  }
}
