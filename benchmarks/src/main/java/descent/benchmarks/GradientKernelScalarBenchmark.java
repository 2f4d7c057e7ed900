package descent.benchmarks;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link GradientKernelBenchmark} with the logistic loss's row loop forced scalar
 * ({@code -Ddescent.simd=false}), so that one JMH run times both loops on the same blocks:
 * {@code java -jar benchmarks/target/benchmarks.jar "GradientKernel.*" -p loss=logistic}.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Ddescent.simd=false"})
public class GradientKernelScalarBenchmark extends GradientKernelBenchmark {}
