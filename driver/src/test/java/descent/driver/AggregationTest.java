package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Aggregation} computes what {@code treeAggregate} computes: every partition folded from
 * its own copy of the zero, the partials merged, and at depth 1 merged in partition order, so
 * the floating-point sum is the same on every run.
 */
class AggregationTest {
  private static JavaSparkContext jsc;

  @BeforeAll
  static void spark() {
    jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
  }

  /** Values whose floating-point sum depends on the order they are added in. */
  private static List<Double> awkwardValues(int n) {
    Random random = new Random(11);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(Math.pow(10, random.nextInt(30) - 15) * random.nextGaussian());
    }
    return values;
  }

  @Test
  void depthOneMergesThePartitionSumsInPartitionOrder() {
    JavaRDD<Double> rdd = jsc.parallelize(awkwardValues(20_000), 7);
    // The reference: each partition's left fold, then partition 0 + 1 + ... + 6 in that order.
    List<Double> partials = rdd.mapPartitions((Iterator<Double> it) -> {
      double s = 0.0;
      while (it.hasNext()) {
        s += it.next();
      }
      return List.of(s).iterator();
    }).collect();
    double expected = partials.get(0);
    for (int i = 1; i < partials.size(); i++) {
      expected += partials.get(i);
    }
    for (int run = 0; run < 10; run++) {
      double sum = Aggregation.aggregate(rdd, 0.0, Double::sum, Double::sum, 1);
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(sum),
          "run " + run + ": " + sum + " instead of " + expected);
    }
  }

  @Test
  void everyTaskFoldsIntoItsOwnCopyOfAMutableZero() {
    JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 4);
    long[] zero = new long[2];
    for (int depth : new int[] {1, 2}) {
      long[] result = Aggregation.aggregate(rdd, zero, (acc, x) -> {
        acc[0] += x;
        acc[1]++;
        return acc;
      }, (a, b) -> {
        a[0] += b[0];
        a[1] += b[1];
        return a;
      }, depth);
      assertArrayEquals(new long[] {55, 10}, result, "depth " + depth);
      assertArrayEquals(new long[] {0, 0}, zero, "the caller's zero is left alone");
    }
  }

  @Test
  void depthTwoGivesTreeAggregatesResult() {
    JavaRDD<Integer> rdd = jsc.parallelize(java.util.stream.IntStream.range(0, 1000).boxed()
        .toList(), 12);
    long viaTree = rdd.treeAggregate(0L, (s, x) -> s + x, Long::sum, 2);
    assertEquals(499_500L, viaTree);
    assertEquals(viaTree, Aggregation.aggregate(rdd, 0L, (s, x) -> s + x, Long::sum, 2));
    assertEquals(viaTree, Aggregation.aggregate(rdd, 0L, (s, x) -> s + x, Long::sum, 1));
  }

  @Test
  void emptyPartitionsAndNoPartitionsGiveTheZero() {
    JavaRDD<Integer> someEmpty = jsc.parallelize(List.of(5), 4);
    assertEquals(5L, Aggregation.aggregate(someEmpty, 0L, (s, x) -> s + x, Long::sum, 1));
    JavaRDD<Integer> none = jsc.<Integer>emptyRDD();
    assertEquals(0, none.getNumPartitions());
    assertEquals(7L, Aggregation.aggregate(none, 7L, (s, x) -> s + x, Long::sum, 1));
  }

  @Test
  void aFailingFoldFailsTheJobWithItsMessage() {
    JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2, 3), 3);
    SparkException e = assertThrows(SparkException.class,
        () -> Aggregation.aggregate(rdd, 0L, (s, x) -> {
          if (x == 2) {
            throw new IllegalArgumentException("row 2 is bad");
          }
          return s + x;
        }, Long::sum, 1));
    assertTrue(String.valueOf(e.getMessage()).contains("row 2 is bad"), e::toString);
  }
}
