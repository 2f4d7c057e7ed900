package descent.driver.ml;

import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params of descent's estimators and models, as Spark ML declares them: one public no-arg
 * method per param (Spark finds params by reflection on such methods), a getter and a setter.
 * {@code S} is the implementing stage, so setters chain. The params live in the stage's
 * {@link DescentParamSet}.
 *
 * <p>Spark ML's names: {@code maxIter}, {@code regParam}, {@code elasticNetParam},
 * {@code fitIntercept}, {@code standardization}, {@code tol}, {@code aggregationDepth},
 * {@code weightCol}, {@code seed}, and LogisticRegression's bounds
 * {@code lowerBoundsOnCoefficients}, {@code upperBoundsOnCoefficients} (matrices of one row per
 * class, or one row for a binomial or linear model), {@code lowerBoundsOnIntercepts},
 * {@code upperBoundsOnIntercepts} (vectors); descent's: {@code optimizer}, {@code learningRate},
 * {@code batchSize}, {@code schedule}.
 */
public interface DescentParams<S extends DescentParams<S>> extends Params {
  /** The stage's params, created on first use (Spark's base classes need them early). */
  DescentParamSet descentParams();

  /** This stage, typed for chaining. */
  @SuppressWarnings("unchecked")
  default S self() {
    return (S) this;
  }

  default IntParam maxIter() {
    return descentParams().maxIter;
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default S setMaxIter(int value) {
    set(maxIter(), value);
    return self();
  }

  default DoubleParam regParam() {
    return descentParams().regParam;
  }

  default double getRegParam() {
    return (Double) getOrDefault(regParam());
  }

  default S setRegParam(double value) {
    set(regParam(), value);
    return self();
  }

  default DoubleParam elasticNetParam() {
    return descentParams().elasticNetParam;
  }

  default double getElasticNetParam() {
    return (Double) getOrDefault(elasticNetParam());
  }

  default S setElasticNetParam(double value) {
    set(elasticNetParam(), value);
    return self();
  }

  default BooleanParam fitIntercept() {
    return descentParams().fitIntercept;
  }

  default boolean getFitIntercept() {
    return (Boolean) getOrDefault(fitIntercept());
  }

  default S setFitIntercept(boolean value) {
    set(fitIntercept(), value);
    return self();
  }

  default BooleanParam standardization() {
    return descentParams().standardization;
  }

  default boolean getStandardization() {
    return (Boolean) getOrDefault(standardization());
  }

  default S setStandardization(boolean value) {
    set(standardization(), value);
    return self();
  }

  default DoubleParam tol() {
    return descentParams().tol;
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  default S setTol(double value) {
    set(tol(), value);
    return self();
  }

  default IntParam aggregationDepth() {
    return descentParams().aggregationDepth;
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  default S setAggregationDepth(int value) {
    set(aggregationDepth(), value);
    return self();
  }

  default Param<String> weightCol() {
    return descentParams().weightCol;
  }

  default String getWeightCol() {
    return (String) getOrDefault(weightCol());
  }

  default S setWeightCol(String value) {
    set(weightCol(), value);
    return self();
  }

  default Param<String> optimizer() {
    return descentParams().optimizer;
  }

  default String getOptimizer() {
    return (String) getOrDefault(optimizer());
  }

  default S setOptimizer(String value) {
    set(optimizer(), value);
    return self();
  }

  default DoubleParam learningRate() {
    return descentParams().learningRate;
  }

  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  default S setLearningRate(double value) {
    set(learningRate(), value);
    return self();
  }

  default LongParam batchSize() {
    return descentParams().batchSize;
  }

  default long getBatchSize() {
    return (Long) getOrDefault(batchSize());
  }

  default S setBatchSize(long value) {
    set(batchSize(), value);
    return self();
  }

  default IntParam localSteps() {
    return descentParams().localSteps;
  }

  default int getLocalSteps() {
    return (Integer) getOrDefault(localSteps());
  }

  default S setLocalSteps(int value) {
    set(localSteps(), value);
    return self();
  }

  default Param<String> sparseUpdate() {
    return descentParams().sparseUpdate;
  }

  default String getSparseUpdate() {
    return getOrDefault(sparseUpdate());
  }

  default S setSparseUpdate(String value) {
    set(sparseUpdate(), value);
    return self();
  }

  default Param<String> schedule() {
    return descentParams().schedule;
  }

  default String getSchedule() {
    return (String) getOrDefault(schedule());
  }

  default S setSchedule(String value) {
    set(schedule(), value);
    return self();
  }

  default LongParam seed() {
    return descentParams().seed;
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default S setSeed(long value) {
    set(seed(), value);
    return self();
  }

  default Param<Matrix> lowerBoundsOnCoefficients() {
    return descentParams().lowerBoundsOnCoefficients;
  }

  default Matrix getLowerBoundsOnCoefficients() {
    return getOrDefault(lowerBoundsOnCoefficients());
  }

  default S setLowerBoundsOnCoefficients(Matrix value) {
    set(lowerBoundsOnCoefficients(), value);
    return self();
  }

  default Param<Matrix> upperBoundsOnCoefficients() {
    return descentParams().upperBoundsOnCoefficients;
  }

  default Matrix getUpperBoundsOnCoefficients() {
    return getOrDefault(upperBoundsOnCoefficients());
  }

  default S setUpperBoundsOnCoefficients(Matrix value) {
    set(upperBoundsOnCoefficients(), value);
    return self();
  }

  default Param<Vector> lowerBoundsOnIntercepts() {
    return descentParams().lowerBoundsOnIntercepts;
  }

  default Vector getLowerBoundsOnIntercepts() {
    return getOrDefault(lowerBoundsOnIntercepts());
  }

  default S setLowerBoundsOnIntercepts(Vector value) {
    set(lowerBoundsOnIntercepts(), value);
    return self();
  }

  default Param<Vector> upperBoundsOnIntercepts() {
    return descentParams().upperBoundsOnIntercepts;
  }

  default Vector getUpperBoundsOnIntercepts() {
    return getOrDefault(upperBoundsOnIntercepts());
  }

  default S setUpperBoundsOnIntercepts(Vector value) {
    set(upperBoundsOnIntercepts(), value);
    return self();
  }

  /**
   * The box constraints of the four bound params (Spark ML LogisticRegression's), or null when
   * none is set: a coefficient matrix row by row (class by class), an intercept vector as it is.
   */
  default descent.driver.BoxConstraints boundsOrNull() {
    return new descent.driver.BoxConstraints(
        rowMajor(isDefined(lowerBoundsOnCoefficients()) ? getLowerBoundsOnCoefficients() : null),
        rowMajor(isDefined(upperBoundsOnCoefficients()) ? getUpperBoundsOnCoefficients() : null),
        isDefined(lowerBoundsOnIntercepts()) ? getLowerBoundsOnIntercepts().toArray() : null,
        isDefined(upperBoundsOnIntercepts()) ? getUpperBoundsOnIntercepts().toArray() : null)
        .orNull();
  }

  /** {@code m}'s values row by row (null for null). */
  private static double[] rowMajor(Matrix m) {
    if (m == null) {
      return null;
    }
    double[] out = new double[m.numRows() * m.numCols()];
    for (int i = 0; i < m.numRows(); i++) {
      for (int j = 0; j < m.numCols(); j++) {
        out[i * m.numCols() + j] = m.apply(i, j);
      }
    }
    return out;
  }

  /** The weight column, or null when rows weigh 1 (unset or empty, as in Spark ML). */
  default String weightColOrNull() {
    return isDefined(weightCol()) && !getWeightCol().isEmpty() ? getWeightCol() : null;
  }
}
