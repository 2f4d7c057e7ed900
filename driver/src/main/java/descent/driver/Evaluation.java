package descent.driver;

/**
 * The objective at one point: its value {@code F(θ)}, its gradient {@code ∇F(θ)}, the Hessian
 * {@code ∇²F(θ)} as a full symmetric column-major {@code p×p} matrix when it was asked for
 * (else null), and the rows the pass read. All include the L2 penalty.
 */
public record Evaluation(double value, double[] gradient, double[] hessian, long rows) {}
