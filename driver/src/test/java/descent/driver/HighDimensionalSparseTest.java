package descent.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.RowBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hashed, high-dimensional sparse data: a9a's 123 features scattered by an injective random map
 * over 2^18 indices. The objective is invariant under a relabelling of the features, so L-BFGS
 * must reach a9a's own optimum; and the cache holds CSR rows, not 2^18 doubles per row.
 */
class HighDimensionalSparseTest {
  static final int D = 1 << 18;

  @Test
  void a9aScatteredOver2To18FeaturesReachesA9aOptimumAndStaysSparse() throws IOException {
    int[] map = new int[124];
    Set<Integer> used = new HashSet<>();
    Random random = new Random(5);
    for (int j = 1; j <= 123; j++) {
      int h;
      do {
        h = 1 + random.nextInt(D);
      } while (!used.add(h));
      map[j] = h;
    }
    List<String> lines = Files.readAllLines(TestSpark.sharedData("a9a"));
    LibSvmParser parser = new LibSvmParser(LabelDomain.BINARY, D);
    List<RowBuffer> buffers = new ArrayList<>();
    int partitions = 2;
    int per = (lines.size() + partitions - 1) / partitions;
    for (int p = 0; p < partitions; p++) {
      RowBuffer b = new RowBuffer();
      for (int i = p * per; i < Math.min(lines.size(), (p + 1) * per); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        // Re-index, then sort: LIBSVM indices ascend within a row.
        List<int[]> pairs = new ArrayList<>();
        for (int k = 1; k < f.length; k++) {
          String[] iv = f[k].split(":");
          pairs.add(new int[] {map[Integer.parseInt(iv[0])], (int) Double.parseDouble(iv[1])});
        }
        pairs.sort((x, y) -> Integer.compare(x[0], y[0]));
        StringBuilder line = new StringBuilder(f[0]);
        for (int[] pv : pairs) {
          line.append(' ').append(pv[0]).append(':').append(pv[1]);
        }
        parser.parse(line.toString(), b);
      }
      buffers.add(b);
    }
    TrainingData data = TrainingData.fromRows(TestSpark.jsc().parallelize(buffers, partitions), D,
        42, true, "a9a hashed into 2^18");
    try {
      long dense = 8L * D * data.totalRows();
      long stored = data.arrayBytes();
      // CSR: about 14 non-zeros a row, 12 bytes each, plus label and row pointer.
      assertTrue(stored < 40L * 14 * data.totalRows(), stored + " bytes cached");
      assertTrue(stored < dense / 1000, stored + " bytes cached against " + dense + " dense");

      TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
          .regL2(1e-4).optimizer("lbfgs").maxSteps(400L).tol(1e-12).evalEvery(1).build();
      TrainingResult r = new Trainer(config, TrainingListener.NONE).train(data);
      double gap = (r.objective() - SecondOrderOnRealDataTest.A9A_OPTIMUM)
          / SecondOrderOnRealDataTest.A9A_OPTIMUM;
      System.out.printf("a9a in 2^18 features, lbfgs: %d steps, %.2f s, gap %.3e%n", r.steps(),
          r.seconds(), gap);
      assertTrue(gap > -1e-9 && gap < 1e-6, "relative gap " + gap);
      assertEquals(D, r.params().length);
      // Features no row uses keep coefficient 0 (their gradient is regL2·w = 0 from w = 0).
      int nonZero = 0;
      for (double w : r.params()) {
        nonZero += w != 0.0 ? 1 : 0;
      }
      assertTrue(nonZero <= 123, nonZero + " non-zero coefficients");
    } finally {
      data.unpersist();
    }
  }
}
