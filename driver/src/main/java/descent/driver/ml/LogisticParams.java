package descent.driver.ml;

import org.apache.spark.ml.param.Param;

/** The params of {@link DescentLogisticRegression} and its model: descent's plus {@code family}. */
public interface LogisticParams<S extends LogisticParams<S>> extends DescentParams<S> {
  /** {@code auto} (binomial for at most 2 classes), {@code binomial} or {@code multinomial}. */
  default Param<String> family() {
    return descentParams().family;
  }

  default String getFamily() {
    return (String) getOrDefault(family());
  }

  default S setFamily(String value) {
    set(family(), value);
    return self();
  }
}
