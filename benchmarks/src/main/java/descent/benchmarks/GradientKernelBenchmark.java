package descent.benchmarks;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.core.SoftmaxLoss;
import descent.core.SquaredLoss;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the gradient kernel one task runs per block, {@link GradientAccumulator#add}
 * over all rows of one {@link DataBlock}, in rows per second (one operation is one row).
 *
 * <p>Layouts: {@code dense}, 4096 rows × 100 standard normal features (3.2 MB, row-major, in
 * cache: the margins and {@code Xᵀ·multipliers} run as DenseSimd's pipelined row loop, or as two
 * BLAS GEMVs with {@code -Ddescent.simd=false}; the pipelining pays off on blocks streamed from
 * memory, which this in-cache benchmark does not show); {@code csr}, 4096 a9a-like rows of 123
 * binary features with 14 non-zeros each. Losses: logistic (labels ±1), squared, and softmax
 * over 10 classes (labels 0..9; 10 score GEMMs' worth of work per row, so its rows per second
 * are lower by about that factor). The accumulator and its workspace are reused across calls, as
 * a task reuses them across blocks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GradientKernelBenchmark {
  /** Rows per block. */
  static final int ROWS = 4096;
  static final int DENSE_FEATURES = 100;
  static final int SPARSE_FEATURES = 123;
  static final int SPARSE_NNZ_PER_ROW = 14;
  static final int SOFTMAX_CLASSES = 10;

  @Param({"dense", "csr"})
  public String layout;

  @Param({"logistic", "squared", "softmax"})
  public String loss;

  private DataBlock block;
  private Loss lossFunction;
  private double[] params;
  private GradientAccumulator accumulator;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    double[] labels = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      labels[i] = loss.equals("softmax") ? random.nextInt(SOFTMAX_CLASSES)
          : random.nextBoolean() ? 1.0 : -1.0;
    }
    int d;
    if (layout.equals("dense")) {
      d = DENSE_FEATURES;
      double[] values = new double[ROWS * d];
      for (int k = 0; k < values.length; k++) {
        values[k] = random.nextGaussian();
      }
      block = DataBlock.dense(0, 0, d, labels, null, values);
    } else if (layout.equals("csr")) {
      d = SPARSE_FEATURES;
      int[] indptr = new int[ROWS + 1];
      int[] indices = new int[ROWS * SPARSE_NNZ_PER_ROW];
      double[] values = new double[indices.length];
      int pos = 0;
      for (int i = 0; i < ROWS; i++) {
        // SPARSE_NNZ_PER_ROW distinct ascending indices: one feature from each of as many
        // equal bands of the 123, like a9a's one-hot encoded categorical columns.
        for (int b = 0; b < SPARSE_NNZ_PER_ROW; b++) {
          int lo = b * d / SPARSE_NNZ_PER_ROW;
          int hi = (b + 1) * d / SPARSE_NNZ_PER_ROW;
          indices[pos] = lo + random.nextInt(hi - lo);
          values[pos] = 1.0;
          pos++;
        }
        indptr[i + 1] = pos;
      }
      block = DataBlock.sparse(0, 0, d, labels, null, indptr, indices, values);
    } else {
      throw new IllegalArgumentException("layout: dense or csr, got " + layout);
    }
    lossFunction = switch (loss) {
      case "logistic" -> new LogisticLoss();
      case "squared" -> new SquaredLoss();
      case "softmax" -> new SoftmaxLoss(SOFTMAX_CLASSES);
      // Not in the default @Param list; run them with -p loss=hinge,squared-hinge,huber.
      case "hinge" -> new descent.core.HingeLoss();
      case "squared-hinge" -> new descent.core.SquaredHingeLoss();
      case "huber" -> new descent.core.HuberLoss(1.0);
      default -> throw new IllegalArgumentException(
          "loss: logistic, squared, softmax, hinge, squared-hinge or huber, got " + loss);
    };
    int p = lossFunction.numParams(d, false);
    params = new double[p];
    for (int j = 0; j < p; j++) {
      params[j] = 0.1 * random.nextGaussian();
    }
    accumulator = new GradientAccumulator(p, true);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public GradientAccumulator gradient() {
    return accumulator.add(block, 0, ROWS, lossFunction, params, false);
  }
}
