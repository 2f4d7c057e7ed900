package descent.jobs.bench;

import descent.core.RowBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.regression.LabeledPoint;

/**
 * The generated data: standard normal features, label sign(w·x + noise), w_j = (j % 7 − 3)/3
 * (or, for {@code bench --mlp}, the class whose noisy score under a seeded linear teacher is
 * largest), drawn per partition from a seed, so that descent's rows and MLlib's points hold the
 * same values and a run with the same {@code --seed} gets the same data.
 */
final class SyntheticRows {
  private SyntheticRows() {}

  /** Receives one generated row (the array is fresh for every row). */
  @FunctionalInterface
  interface Sink {
    void row(double[] x, double label);
  }

  /** Rows of partition {@code part} when {@code n} rows are split over {@code p}. */
  static long partitionRows(long n, int p, int part) {
    return n / p + (part < n % p ? 1 : 0);
  }

  /** The generating weight of feature {@code j}. */
  static double weight(int j) {
    return ((j % 7) - 3) / 3.0;
  }

  /** Generates the partition's rows from a SplittableRandom seeded by (seed, partition). */
  static void generate(int part, long count, int d, long seed, Sink sink) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + part);
    for (long i = 0; i < count; i++) {
      double[] x = new double[d];
      double margin = 0.0;
      for (int j = 0; j < d; j++) {
        x[j] = random.nextGaussian();
        margin += weight(j) * x[j];
      }
      margin += random.nextGaussian();
      sink.row(x, margin > 0 ? 1.0 : -1.0);
    }
  }

  /**
   * The teacher of the class rows: a {@code classes × d} matrix of normal entries scaled by
   * 3/√d (so each class's score w_k·x has standard deviation about 3), drawn from the seed.
   */
  static double[] teacher(int classes, int d, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL + 1);
    double[] w = new double[classes * d];
    double scale = 3.0 / Math.sqrt(d);
    for (int i = 0; i < w.length; i++) {
      w[i] = scale * random.nextGaussian();
    }
    return w;
  }

  /**
   * Generates the partition's rows of {@code classes} classes: standard normal features, label
   * argmax_k (w_k·x + ε_k) over the {@link #teacher}'s rows with standard normal ε_k, drawn from
   * a SplittableRandom seeded by (seed, partition) as {@link #generate}'s.
   */
  static void generateClasses(int part, long count, int d, int classes, long seed, Sink sink) {
    double[] w = teacher(classes, d, seed);
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + part);
    for (long i = 0; i < count; i++) {
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = random.nextGaussian();
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        double score = random.nextGaussian();
        for (int j = 0; j < d; j++) {
          score += w[k * d + j] * x[j];
        }
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      }
      sink.row(x, best);
    }
  }

  /** {@code n} generated rows of {@code classes} classes ({@link #generateClasses}). */
  static JavaRDD<RowBuffer> classRows(JavaSparkContext jsc, long n, int d, int classes, int p,
      long s) {
    return partitions(jsc, p).mapPartitions(it -> {
      int part = it.next();
      RowBuffer b = new RowBuffer();
      generateClasses(part, partitionRows(n, p, part), d, classes, s, (x, y) -> {
        for (int j = 0; j < x.length; j++) {
          b.addFeature(j, x[j]);
        }
        b.endRow(y);
      });
      return Collections.singletonList(b).iterator();
    }, true);
  }

  /** The same class rows as MLlib's points over {@code parts}, the class as the label. */
  static JavaRDD<LabeledPoint> classPoints(JavaRDD<Integer> parts, long n, int d, int classes,
      int p, long s) {
    return parts.mapPartitions(it -> {
      int part = it.next();
      List<LabeledPoint> out = new ArrayList<>();
      generateClasses(part, partitionRows(n, p, part), d, classes, s,
          (x, y) -> out.add(new LabeledPoint(y, Vectors.dense(x))));
      return out.iterator();
    }, true);
  }

  /** One element a partition, its index: what the generating jobs run over. */
  static JavaRDD<Integer> partitions(JavaSparkContext jsc, int p) {
    List<Integer> r = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      r.add(i);
    }
    return jsc.parallelize(r, p);
  }

  /** {@code n} generated rows of {@code d} features over {@code p} partitions, one buffer each. */
  static JavaRDD<RowBuffer> rows(JavaSparkContext jsc, long n, int d, int p, long s) {
    return partitions(jsc, p).mapPartitions(it -> {
      int part = it.next();
      RowBuffer b = new RowBuffer();
      generate(part, partitionRows(n, p, part), d, s, (x, y) -> {
        for (int j = 0; j < x.length; j++) {
          b.addFeature(j, x[j]);
        }
        b.endRow(y);
      });
      return Collections.singletonList(b).iterator();
    }, true);
  }

  /** The same rows as MLlib's points over {@code parts} (labels ±1 → 0/1). */
  static JavaRDD<LabeledPoint> points(JavaRDD<Integer> parts, long n, int d, int p, long s) {
    return parts.mapPartitions(it -> {
      int part = it.next();
      List<LabeledPoint> out = new ArrayList<>();
      generate(part, partitionRows(n, p, part), d, s,
          (x, y) -> out.add(new LabeledPoint(y > 0 ? 1.0 : 0.0, Vectors.dense(x))));
      return out.iterator();
    }, true);
  }
}
