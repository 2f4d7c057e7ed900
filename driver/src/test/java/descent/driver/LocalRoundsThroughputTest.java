package descent.driver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.RowBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rows a second of per-row SGD in rounds ({@code batchSize 1}, H local steps) on generated
 * dense rows, against synchronous one-row steps. A measurement, run on demand:
 * {@code -Ddescent.measure.rows=1000000} (rows of 100 features; the test JVM's 4 GB holds 1M).
 */
@EnabledIfSystemProperty(named = "descent.measure.rows", matches = "\\d+")
class LocalRoundsThroughputTest {

  static TrainingData generated(long n, int d, int partitions) {
    List<Integer> parts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      parts.add(i);
    }
    JavaRDD<RowBuffer> rows = TestSpark.jsc().parallelize(parts, partitions).mapPartitions(it -> {
      int part = it.next();
      SplittableRandom random = new SplittableRandom(42L * 0x9E3779B97F4A7C15L + part);
      RowBuffer b = new RowBuffer();
      long count = n / partitions + (part < n % partitions ? 1 : 0);
      for (long i = 0; i < count; i++) {
        double margin = 0;
        for (int j = 0; j < d; j++) {
          double x = random.nextGaussian();
          margin += ((j % 7) - 3) / 3.0 * x;
          b.addFeature(j, x);
        }
        b.endRow(margin + random.nextGaussian() > 0 ? 1.0 : -1.0);
      }
      return Collections.singletonList(b).iterator();
    }, true);
    return TrainingData.fromRows(rows, d, 42, true, "generated rows");
  }

  @Test
  void perRowSgdInRounds() {
    long n = Long.getLong("descent.measure.rows");
    TrainingData data = generated(n, 100, 2);
    try {
      for (int h : new int[] {10_000, 100_000, 1_000_000}) {
        long rounds = Math.max(3, 4_000_000L / h);
        TrainingConfig config = TrainingConfig.builder().modelType(ModelType.LOGISTIC)
            .regL2(1e-4).batchSize(1L).localSteps(h).innerLearningRate(0.01).maxSteps(rounds)
            .build();
        new Trainer(config, TrainingListener.NONE).train(data);
        long start = System.nanoTime();
        TrainingResult r = new Trainer(config, TrainingListener.NONE).train(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("per-row SGD, H = %d: %d rounds, %.0f rows/s (objective %.5f,"
            + " %.2f s with the final objective)%n", h, rounds, rounds * (double) h / r.seconds(),
            r.objective(), seconds);
        assertTrue(r.objective() < 0.7);
      }
      TrainingConfig sync = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
          .batchSize(1L).learningRate(0.01).maxSteps(300L).build();
      TrainingResult r = new Trainer(sync, TrainingListener.NONE).train(data);
      System.out.printf("synchronous one-row steps: %.0f rows/s%n", 300 / r.seconds());
    } finally {
      data.unpersist();
    }
  }
}
