package descent.jobs.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The least-squares line {@code y = fixed + perUnit·x} through the points {@code (x_i, y_i)}:
 * what a time costs whatever the size (Spark's job and anything else paid once an epoch) and
 * what it costs per unit of size. A {@code --scaling} run fits one to each kind of time.
 */
record Line(double fixed, double perUnit) {
  static Line fit(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("a line needs two or more points, got " + x.length
          + " x and " + y.length + " y");
    }
    double mx = 0.0;
    double my = 0.0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= x.length;
    my /= y.length;
    double sxy = 0.0;
    double sxx = 0.0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    if (!(sxx > 0)) {
      throw new IllegalArgumentException("a line needs two or more distinct sizes");
    }
    double perUnit = sxy / sxx;
    return new Line(my - perUnit * mx, perUnit);
  }

  /** The JSON object, with x in millions of rows. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fixedSeconds", fixed);
    m.put("secondsPerMillionRows", perUnit);
    return m;
  }
}
