package descent.driver;

/**
 * The data part of the objective over one window, as a sparse step needs it: the mean loss
 * {@code L = Σ s_i ℓ_i / Σ s_i} (no penalty), the weight sum {@code Σ s_i}, the rows read, and
 * the mean gradient {@code ∇L = Σ s_i ∇ℓ_i / Σ s_i} with respect to the parameters
 * {@code w = (scale·v, intercepts)}. While the merged gradient stayed sparse it comes as the
 * touched coordinates, ascending (intercepts included), with their values, and {@code dense} is
 * null; when it went dense, {@code dense} holds it and the two sparse arrays are null.
 */
public record SparseEvaluation(double loss, double weightSum, long rows, int[] coordinates,
    double[] values, double[] dense) {

  /** Whether the gradient comes as touched coordinates and values. */
  public boolean isSparse() {
    return dense == null;
  }

  /** The gradient coordinates carried: the touched ones, or every one when dense. */
  public int storedCoordinates() {
    return dense == null ? coordinates.length : dense.length;
  }
}
