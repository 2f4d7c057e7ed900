package descent.jobs;

import descent.driver.StepReport;
import descent.driver.TrainingListener;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * {@code train --trace}: prints every step as in the classic walk-through of gradient descent,
 * one row per parameter with its derivative, the step size and the new value:
 *
 * <pre>
 * step 1  loss 0.1766666667  lr 0.06
 *   parameter  derivative         step size          new value
 *   w1         -0.1333333333      -0.008             1.008
 *   intercept  -0.2666666667      -0.016             0.016
 * </pre>
 *
 * The derivative is ∂F/∂θ_j of the mini-batch objective F (penalty included) at the parameters
 * before the step, the step size is {@code θ_j(before) − θ_j(after)} (lr·∂F/∂θ_j for plain SGD)
 * and the new value is {@code θ_j(after)}. Coefficient {@code wj} belongs to feature j
 * (the LIBSVM index; for CSV the j-th feature column). At most {@link #MAX_ROWS} parameters are
 * listed a step.
 */
final class TraceListener implements TrainingListener {
  static final int MAX_ROWS = 50;
  private static final MathContext DIGITS = new MathContext(10);

  private final PrintStream out;
  private final boolean fitIntercept;

  TraceListener(PrintStream out, boolean fitIntercept) {
    this.out = out;
    this.fitIntercept = fitIntercept;
  }

  @Override
  public boolean wantsParameters() {
    return true;
  }

  @Override
  public void onParameters(StepReport r, double[] gradient, double[] previous, double[] params) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "step %d  loss %s  lr %s%n", r.step(), number(r.loss()),
        number(r.learningRate())));
    s.append(String.format(Locale.ROOT, "  %-10s %-18s %-18s %s%n", "parameter", "derivative",
        "step size", "new value"));
    int n = params.length;
    int shown = Math.min(n, MAX_ROWS);
    for (int j = 0; j < shown; j++) {
      String name = fitIntercept && j == n - 1 ? "intercept" : "w" + (j + 1);
      s.append(String.format(Locale.ROOT, "  %-10s %-18s %-18s %s%n", name, number(gradient[j]),
          number(previous[j] - params[j]), number(params[j])));
    }
    if (shown < n) {
      s.append(String.format(Locale.ROOT, "  (%d more parameters not shown)%n", n - shown));
    }
    out.print(s);
    out.flush();
  }

  @Override
  public void onStep(StepReport report) {}

  /** Ten significant digits, trailing zeros dropped: 0.016, -0.2666666667, 1.008. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return "0";
    }
    BigDecimal b = new BigDecimal(x).round(DIGITS).stripTrailingZeros();
    int exponent = b.precision() - b.scale() - 1;
    return exponent < -6 || exponent > 9 ? b.toString() : b.toPlainString();
  }
}
