package descent.benchmarks;

import descent.core.LogisticLoss;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The logistic loss's {@code log1p(e)}, {@code e = exp(−|y·m|) ∈ (0, 1]}, two ways in one run:
 * {@code Math.log1p} and {@link LogisticLoss#log1p} (the {@code Math.log} intrinsic of the
 * rounded {@code 1 + e} plus the rounding's correction, with the division the multiplier needs
 * anyway). Nanoseconds per row, each computing the loss term and the multiplier {@code 1/(1+e)}
 * as the kernel does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Log1pBenchmark {
  static final int N = 4096;
  private final double[] e = new double[N];
  private final double[] mult = new double[N];

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < N; i++) {
      e[i] = Math.exp(-Math.abs(random.nextGaussian() * 3));
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double mathLog1p() {
    double loss = 0.0;
    for (int i = 0; i < N; i++) {
      loss += Math.log1p(e[i]);
      mult[i] = 1.0 / (1.0 + e[i]);
    }
    return loss;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double logOfRoundedSum() {
    double loss = 0.0;
    for (int i = 0; i < N; i++) {
      double u = 1.0 + e[i];
      double inv = 1.0 / u;
      loss += LogisticLoss.log1p(e[i], u, inv);
      mult[i] = inv;
    }
    return loss;
  }
}
