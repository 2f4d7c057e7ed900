package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.core.DataBlock;
import descent.core.GradientAccumulator;
import descent.core.LabelDomain;
import descent.core.LibSvmParser;
import descent.core.LogisticLoss;
import descent.core.Loss;
import descent.core.MiniBatchPlan;
import descent.core.ParameterCopies;
import descent.core.ParameterDelta;
import descent.core.ParameterTicket;
import descent.core.RowBuffer;
import descent.core.SoftmaxLoss;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.storage.BroadcastBlockId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * Parameters shipped as versioned deltas give every task exactly its step's parameters: over a
 * sequence of sparse steps with a changing coefficient scale, with every task failing its first
 * attempt after it used (and moved) its executor's copy, with steps the executor never saw,
 * with the copies dropped as by a replaced executor, and with a stale ticket evaluated after a
 * newer one, the loss and gradient have the bits of the same evaluation with the whole vector
 * in the closure. The live broadcasts stay bounded over any number of steps.
 */
class ParameterShippingTest {
  /** Two task threads; a task may fail three times before its job does. */
  static final String RETRYING = "local[2,4]";
  static final int D = 1 << 15;
  static final int PARTITIONS = 4;
  static final int ROWS = 4000;
  static final AtomicInteger FAILED_ATTEMPTS = new AtomicInteger();

  private static SparkContext sc;
  private static TrainingData binary;
  private static TrainingData threeClasses;

  @BeforeAll
  static void data() {
    sc = TestSpark.session(RETRYING).sparkContext();
    binary = generated(2, 17);
    threeClasses = generated(3, 18);
  }

  @AfterAll
  static void release() {
    binary.unpersist();
    threeClasses.unpersist();
  }

  /** Rows of 20 features among D (a few popular ones, the rest uniform); classes from a model. */
  static TrainingData generated(int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] truth = new double[D * classes];
    for (int j = 0; j < truth.length; j++) {
      truth[j] = r.nextGaussian();
    }
    LibSvmParser parser = new LibSvmParser(classes == 2 ? LabelDomain.BINARY
        : LabelDomain.classes(classes), D);
    List<RowBuffer> buffers = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      RowBuffer b = new RowBuffer();
      for (int i = 0; i < ROWS / PARTITIONS; i++) {
        java.util.TreeSet<Integer> features = new java.util.TreeSet<>();
        while (features.size() < 20) {
          features.add(r.nextInt(8) == 0 ? r.nextInt(64) : r.nextInt(D));
        }
        StringBuilder line = new StringBuilder();
        double[] score = new double[classes];
        for (int j : features) {
          line.append(' ').append(j + 1).append(":0.25");
          for (int c = 0; c < classes; c++) {
            score[c] += 0.25 * truth[c * D + j];
          }
        }
        int label = 0;
        for (int c = 1; c < classes; c++) {
          if (score[c] + r.nextGaussian() > score[label]) {
            label = c;
          }
        }
        parser.parse(label + line.toString(), b);
      }
      buffers.add(b);
    }
    return TrainingData.fromRows(TestSpark.jsc().parallelize(buffers, PARTITIONS), D, seed, true,
        "generated " + classes + "-class rows");
  }

  /** The blocks, each task of which fails on its first attempt once it has read them all. */
  static JavaRDD<DataBlock> failingFirstAttempts(JavaRDD<DataBlock> blocks) {
    return blocks.mapPartitions(it -> new Iterator<DataBlock>() {
      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more && TaskContext.get().attemptNumber() == 0) {
          FAILED_ATTEMPTS.incrementAndGet();
          throw new IllegalStateException("the first attempt of every task fails");
        }
        return more;
      }

      @Override
      public DataBlock next() {
        return it.next();
      }
    }, true);
  }

  /** The accumulated sums of the window with the whole (v, scale) in the closure: no copies. */
  static GradientAccumulator whole(TrainingData data, MiniBatchPlan plan, Loss loss, long window,
      double[] v, double scale) {
    return whole(data, plan, loss, window, v, scale, 0.0, v.length);
  }

  /** The same for {@code p} parameters and {@code v}, paired (v then y) when 2p long. */
  static GradientAccumulator whole(TrainingData data, MiniBatchPlan plan, Loss loss, long window,
      double[] v, double scale, double second, int p) {
    double[] params = v.clone();
    Function2<GradientAccumulator, DataBlock, GradientAccumulator> seqOp = (acc, block) -> {
      plan.forEachRange(block.partition(), window, block.firstRow(), block.numRows(),
          (from, to) -> acc.add(block, from, to, loss, params, scale, second, true));
      return acc;
    };
    return Aggregation.aggregate(data.blocks(), new GradientAccumulator(p, true), seqOp,
        GradientAccumulator::merge, 1);
  }

  /** The evaluation {@link BatchObjective#evaluateSparse} must give, from whole sums. */
  static SparseEvaluation expected(GradientAccumulator acc) {
    double w = acc.weightSum();
    double[] values = new double[acc.storedCoordinates()];
    int[] coordinates = acc.gradientCoordinates(values);
    for (int i = 0; i < values.length; i++) {
      values[i] /= w;
    }
    return new SparseEvaluation(acc.lossSum() / w, w, acc.rows(), coordinates, values, null);
  }

  static void assertSameBits(SparseEvaluation expected, SparseEvaluation actual, String where) {
    assertEquals(Double.doubleToLongBits(expected.loss()), Double.doubleToLongBits(actual.loss()),
        where + ": loss " + actual.loss() + " instead of " + expected.loss());
    assertEquals(expected.rows(), actual.rows(), where);
    assertTrue(actual.isSparse(), where);
    assertArrayEquals(expected.coordinates(), actual.coordinates(), where);
    assertArrayEquals(expected.values(), actual.values(), where);
  }

  @Test
  void logisticStepsWithRetriedTasksSeeExactlyTheirParameters() {
    run(binary, new LogisticLoss(), 30);
  }

  @Test
  void softmaxStepsWithRetriedTasksSeeExactlyTheirParameters() {
    run(threeClasses, new SoftmaxLoss(3), 12);
  }

  @Test
  void pairedStepsWithRetriedTasksSeeExactlyTheirVectorsAndScales() {
    run(binary, new LogisticLoss(), 20, true);
    run(threeClasses, new SoftmaxLoss(3), 8, true);
  }

  private static void run(TrainingData data, Loss loss, int steps) {
    run(data, loss, steps, false);
  }

  /**
   * Sparse steps on the driver: {@code v_j −= lr·g_j/scale} where the window's gradient
   * touched, the intercepts unscaled, {@code scale ·= 1 − lr·λ}; every 13th step says "all
   * changed". Every 7th ticket is shipped but not evaluated (the executor lags behind), copies
   * are dropped every 11th step, and each ticket is also evaluated once more after the next
   * one, as a stale task would be. Paired: the shipped array is v and then y, y's touched
   * coefficients move too and the second scale changes every step, as a sparse momentum step's.
   */
  private static void run(TrainingData data, Loss loss, int steps, boolean paired) {
    int p = loss.numParams(D, true);
    int coefficients = loss.numCoefficients(D);
    MiniBatchPlan plan = new MiniBatchPlan(data.partitionRows(), 120);
    BatchObjective objective = new BatchObjective(failingFirstAttempts(data.blocks()), plan, loss,
        true, Regularizer.NONE, null, 1, p);
    SplittableRandom r = new SplittableRandom(3);
    double[] v = new double[paired ? 2 * p : p];
    for (int j = 0; j < v.length; j++) {
      v[j] = 0.1 * r.nextGaussian();
    }
    double scale = 1.0;
    double second = 0.0;
    double lr = 0.5;
    int failedBefore = FAILED_ATTEMPTS.get();
    ParameterShipping shipping = paired ? ParameterShipping.paired(sc, p)
        : new ParameterShipping(sc, p, 4, p / 2);
    try {
      int[] changed = null;
      ParameterTicket previous = null;
      SparseEvaluation previousExpected = null;
      for (int t = 0; t < steps; t++) {
        ParameterTicket ticket = paired ? shipping.ship(v, scale, second, changed)
            : shipping.ship(v, scale, changed);
        assertEquals(t, ticket.version());
        assertEquals(paired, ticket.paired());
        SparseEvaluation want = expected(whole(data, plan, loss, t, v, scale, second, p));
        if (t % 7 != 3) {
          if (t % 11 == 5) {
            ParameterCopies.clear();
          }
          SparseEvaluation got = objective.evaluateSparse(t, ticket);
          assertSameBits(want, got, loss + " step " + t);
          if (previous != null && previous.baseVersion() == ticket.baseVersion()) {
            assertSameBits(previousExpected,
                objective.evaluateSparse(previous.version(), previous),
                loss + " step " + previous.version() + " again after step " + t);
          }
          assertEquals(t, ParameterCopies.version(shipping.runId()));
        }
        previous = ticket;
        previousExpected = want;
        int[] touched = want.coordinates();
        double[] g = want.values();
        int[] moved = touched;
        for (int i = 0; i < touched.length; i++) {
          int j = touched[i];
          v[j] -= j < coefficients ? lr * g[i] / scale : lr * g[i];
        }
        if (paired) {
          int k = (int) java.util.Arrays.stream(touched).filter(j -> j < coefficients).count();
          moved = java.util.Arrays.copyOf(touched, touched.length + k);
          for (int i = 0; i < k; i++) {
            v[p + touched[i]] += 0.5 * g[i];
            moved[touched.length + i] = p + touched[i];
          }
          second = 0.3 * Math.sin(t + 1.0);
        }
        scale *= 1 - lr * 1e-2;
        changed = t % 13 == 12 ? null : moved;
      }
      if (!paired) {
        assertTrue(shipping.bases() >= 3, shipping.bases() + " bases");
        assertTrue(shipping.bases() < steps / 2, shipping.bases() + " bases");
      }
    } finally {
      shipping.close();
    }
    assertTrue(FAILED_ATTEMPTS.get() - failedBefore >= PARTITIONS * steps,
        (FAILED_ATTEMPTS.get() - failedBefore) + " first attempts failed");
  }

  @Test
  void aSparseEvaluationIsTheObjectivesGradientAtScaledCoefficients() {
    Loss loss = new LogisticLoss();
    int p = D + 1;
    MiniBatchPlan plan = new MiniBatchPlan(binary.partitionRows(), 200);
    BatchObjective objective = new BatchObjective(binary.blocks(), plan, loss, true,
        Regularizer.NONE, null, 1, p);
    SplittableRandom r = new SplittableRandom(8);
    double[] v = new double[p];
    for (int j = 0; j < p; j++) {
      v[j] = r.nextGaussian();
    }
    double scale = 0.625;
    double[] w = v.clone();
    for (int j = 0; j < D; j++) {
      w[j] *= scale;
    }
    try (ParameterShipping shipping = new ParameterShipping(sc, p)) {
      SparseEvaluation sparse = objective.evaluateSparse(2, shipping.ship(v, scale, null));
      Evaluation dense = objective.window(2).evaluate(w);
      assertEquals(dense.value(), sparse.loss(), 1e-13);
      assertEquals(dense.rows(), sparse.rows());
      double[] g = dense.gradient();
      Set<Integer> touched = new HashSet<>();
      for (int i = 0; i < sparse.coordinates().length; i++) {
        int j = sparse.coordinates()[i];
        touched.add(j);
        assertEquals(g[j], sparse.values()[i], 1e-14, "coordinate " + j);
      }
      for (int j = 0; j < p; j++) {
        if (!touched.contains(j)) {
          assertEquals(0.0, g[j], "coordinate " + j + " untouched");
        }
      }
      assertTrue(touched.contains(D), "the intercept");
      assertNull(sparse.dense());
    }
  }

  @Test
  void theLiveBroadcastsStayBoundedOverManySteps() throws InterruptedException {
    Loss loss = new LogisticLoss();
    int p = D + 1;
    int maxDeltas = 6;
    MiniBatchPlan plan = new MiniBatchPlan(binary.partitionRows(), 40);
    BatchObjective objective = new BatchObjective(binary.blocks(), plan, loss, true,
        Regularizer.NONE, null, 1, p);
    SplittableRandom r = new SplittableRandom(12);
    double[] v = new double[p];
    Set<Long> seen = new HashSet<>();
    long[] live;
    ParameterShipping shipping = new ParameterShipping(sc, p, maxDeltas, p);
    try {
      live = new long[0];
      for (int t = 0; t < 150; t++) {
        // Alternately small deltas (inline) and ones past the inline limit (broadcast).
        int[] changed = new int[t % 2 == 0 ? 50 : ParameterShipping.INLINE_ENTRIES + 1];
        for (int i = 0; i < changed.length; i++) {
          changed[i] = r.nextInt(p);
          v[changed[i]] = r.nextGaussian() * 1e-3;
        }
        ParameterTicket ticket = shipping.ship(v, 1.0, changed);
        objective.evaluateSparse(t, ticket);
        assertTrue(shipping.liveBroadcasts() <= 1 + maxDeltas, shipping.liveBroadcasts() + "");
        live = ((ParameterShipping.Source) ticket.source()).broadcastIds();
        assertEquals(shipping.liveBroadcasts(), live.length);
        for (long id : live) {
          seen.add(id);
        }
      }
      assertTrue(shipping.bases() > 150 / (maxDeltas + 1) - 1, shipping.bases() + " bases");
      for (long id : live) {
        seen.remove(id);
      }
      assertTrue(seen.size() > 60, seen.size() + " broadcasts made and destroyed");
      awaitRemoved(seen);
    } finally {
      shipping.close();
    }
    Set<Long> rest = new HashSet<>();
    for (long id : live) {
      rest.add(id);
    }
    awaitRemoved(rest);
    assertThrows(IllegalStateException.class, () -> shipping.ship(v, 1.0, null));
  }

  /** Waits until the block manager holds no block of the broadcasts {@code ids}. */
  private static void awaitRemoved(Set<Long> ids) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    Set<Long> held = new HashSet<>(ids);
    while (!held.isEmpty() && System.nanoTime() < deadline) {
      held.removeIf(id -> sc.env().blockManager().master()
          .getBlockStatus(new BroadcastBlockId(id, ""), true).isEmpty());
      if (!held.isEmpty()) {
        Thread.sleep(20);
      }
    }
    assertTrue(held.isEmpty(), held.size() + " destroyed broadcasts still held: " + held);
  }

  @Test
  void aDeltaBroadcastRoundTripsThroughKryoWithRegistrationRequired() {
    SerializerInstance kryo = new KryoSerializer(DescentSpark.configure(new SparkConf()))
        .newInstance();
    ParameterDelta delta = new ParameterDelta(new int[] {4, 1}, new double[] {0.5, -2});
    ByteBuffer bytes = kryo.serialize(delta, ClassTag$.MODULE$.apply(ParameterDelta.class));
    ParameterDelta back = kryo.deserialize(bytes,
        ClassTag$.MODULE$.apply(ParameterDelta.class));
    double[] v = new double[5];
    back.applyTo(v);
    assertArrayEquals(new double[] {0, -2, 0, 0, 0.5}, v);
  }

  @Test
  void badCoordinatesAreRefusedBeforeAnythingShips() {
    try (ParameterShipping shipping = new ParameterShipping(sc, 10)) {
      shipping.ship(new double[10], 1.0, null);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> shipping.ship(new double[10], 1.0, new int[] {3, 10}));
      assertTrue(e.getMessage().contains("changed coordinate 10 at position 1"), e.getMessage());
      assertEquals(0, shipping.version());
      assertEquals(1, shipping.ship(new double[10], 1.0, new int[] {3}).version());
    }
  }
}
