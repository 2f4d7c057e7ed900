package descent.driver;

import descent.core.Blockifier;
import descent.core.DataBlock;
import descent.core.RowBuffer;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set ready to train on: each partition's rows shuffled once with the run's seed and
 * blockified into {@link DataBlock}s, cached ({@code MEMORY_AND_DISK}), with the row count of
 * every partition known on the driver so that the {@link descent.core.MiniBatchPlan} needs no
 * further job.
 */
public final class TrainingData {
  private final JavaRDD<DataBlock> blocks;
  private final long[] partitionRows;
  private final long totalRows;
  private final int numFeatures;
  private final String source;
  private final boolean sparse;
  private final long storedValues;

  private TrainingData(JavaRDD<DataBlock> blocks, long[] partitionRows, int numFeatures,
      String source, boolean sparse, long storedValues) {
    this.blocks = blocks;
    this.sparse = sparse;
    this.storedValues = storedValues;
    this.partitionRows = partitionRows;
    long total = 0;
    for (long n : partitionRows) {
      total += n;
    }
    this.totalRows = total;
    this.numFeatures = numFeatures;
    this.source = source;
  }

  /**
   * Blockifies and caches parsed rows (one {@link RowBuffer} per partition).
   *
   * @param numFeatures the feature count, or 0 to take it from the largest index in the data
   * @param shuffle false keeps input order (prediction); true shuffles each partition with seed
   * @throws IllegalArgumentException when the data holds no row
   */
  /**
   * Splits the rows into training and validation data ({@code fraction} of the rows, drawn per
   * row from (seed, partition, row)), then blockifies and caches both with the feature count of
   * all rows.
   *
   * @throws IllegalArgumentException when either side holds no row
   */
  public static TrainingData[] fromRowsSplit(JavaRDD<RowBuffer> rows, int numFeatures,
      double fraction, long seed, String source) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("--validation-fraction must be in (0, 1), got " + fraction);
    }
    rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      int d = numFeatures;
      if (d <= 0) {
        rows.context().setJobDescription("descent: count features of " + source);
        d = rows.map(RowBuffer::maxIndex).fold(-1, Math::max) + 1;
      }
      JavaRDD<RowBuffer> train = rows.mapPartitionsWithIndex((p, it) -> Collections.singletonList(
          (it.hasNext() ? it.next() : new RowBuffer()).split(fraction, seed, p)[0]).iterator(),
          true);
      JavaRDD<RowBuffer> validation = rows.mapPartitionsWithIndex((p, it) ->
          Collections.singletonList((it.hasNext() ? it.next() : new RowBuffer())
              .split(fraction, seed, p)[1]).iterator(), true);
      TrainingData t = fromRows(train, d, seed, true, source + " (training part)");
      TrainingData v;
      try {
        v = fromRows(validation, d, seed, true, source + " (validation part)");
      } catch (RuntimeException e) {
        t.unpersist();
        throw e;
      }
      return new TrainingData[] {t, v};
    } finally {
      rows.unpersist(false);
    }
  }

  public static TrainingData fromRows(JavaRDD<RowBuffer> rows, int numFeatures, long seed,
      boolean shuffle, String source) {
    int d = numFeatures;
    boolean cachedRows = false;
    if (d <= 0) {
      rows.persist(StorageLevel.MEMORY_AND_DISK());
      cachedRows = true;
      rows.context().setJobDescription("descent: count features of " + source);
      d = rows.map(RowBuffer::maxIndex).fold(-1, Math::max) + 1;
    }
    final int features = d;
    JavaRDD<DataBlock> blocks = rows.mapPartitionsWithIndex((p, it) -> {
      RowBuffer buffer = it.hasNext() ? it.next() : new RowBuffer();
      if (it.hasNext()) {
        throw new IllegalStateException("more than one row buffer in partition " + p);
      }
      return Blockifier.blockify(buffer, features, seed, p, shuffle).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
    rows.context().setJobDescription("descent: load and cache " + source);
    // Per partition: its rows, the rows of its dense blocks, and the values its blocks store.
    List<long[]> counts = blocks.mapPartitions(it -> {
      long n = 0;
      long dense = 0;
      long stored = 0;
      while (it.hasNext()) {
        DataBlock b = it.next();
        n += b.numRows();
        dense += b.isDense() ? b.numRows() : 0;
        stored += b.storedValues();
      }
      return Collections.singletonList(new long[] {n, dense, stored}).iterator();
    }).collect();
    if (cachedRows) {
      rows.unpersist(false);
    }
    long[] partitionRows = new long[counts.size()];
    long total = 0;
    long denseRows = 0;
    long stored = 0;
    for (int p = 0; p < partitionRows.length; p++) {
      partitionRows[p] = counts.get(p)[0];
      total += partitionRows[p];
      denseRows += counts.get(p)[1];
      stored += counts.get(p)[2];
    }
    if (total == 0) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(source + ": no rows (the data is empty)");
    }
    return new TrainingData(blocks, partitionRows, features, source, denseRows == 0,
        stored);
  }

  public JavaRDD<DataBlock> blocks() {
    return blocks;
  }

  /**
   * The same data read through {@code view}, an RDD over these cached blocks that yields the
   * same blocks in the same partitions (a {@code mapPartitions} that passes them through, say):
   * for benchmarks that make every job over the data pay something more, such as a scheduler's
   * delay. Unpersisting the view leaves this data's cache alone.
   */
  public TrainingData withBlocks(JavaRDD<DataBlock> view) {
    if (view.getNumPartitions() != blocks.getNumPartitions()) {
      throw new IllegalArgumentException("the view has " + view.getNumPartitions()
          + " partitions; the data has " + blocks.getNumPartitions());
    }
    return new TrainingData(view, partitionRows, numFeatures, source, sparse, storedValues);
  }

  public long[] partitionRows() {
    return partitionRows.clone();
  }

  public long totalRows() {
    return totalRows;
  }

  public int numFeatures() {
    return numFeatures;
  }

  /**
   * The class count the labels show, largest label + 1: K for a softmax model whose count is
   * not given. One job over the cache; the labels are class indices (checked when read).
   */
  public int labelClasses() {
    blocks.context().setJobDescription("descent: count the classes of " + source);
    double max = blocks.map(b -> {
      double m = -1;
      for (double y : b.labels()) {
        m = Math.max(m, y);
      }
      return m;
    }).fold(-1.0, Math::max);
    return (int) max + 1;
  }

  /**
   * Whether every block is CSR: the rows are sparse enough that the blockifier stored none of
   * them densely. A step on such data can sum, update and ship only the coordinates its rows
   * touch.
   */
  public boolean isSparse() {
    return sparse;
  }

  /**
   * The values the blocks store: the nonzeros of CSR blocks, every cell of dense ones. Over
   * {@link #totalRows()} it gives the values a row holds on average.
   */
  public long storedValues() {
    return storedValues;
  }

  /** Where the data came from, for messages. */
  public String source() {
    return source;
  }

  /**
   * Bytes Spark's block manager holds for the cached blocks, in memory plus on disk, as its
   * storage page reports them ({@link #storedBytes}); no job runs.
   */
  public long cachedBytes() {
    return storedBytes(blocks.rdd());
  }

  /**
   * Bytes of the blocks' own arrays (labels, weights, values and the CSR index arrays): the
   * payload the cache cannot do without. One job over the cache.
   */
  public long arrayBytes() {
    blocks.context().setJobDescription("descent: sum the array bytes of " + source);
    return blocks.map(DataBlock::sizeInBytes).fold(0L, Long::sum);
  }

  /**
   * Memory plus disk bytes that Spark's block manager reports for the cached partitions of
   * {@code rdd} ({@code SparkContext.getRDDStorageInfo}: memory sizes are Spark's
   * {@code SizeEstimator} of the stored objects), or 0 when none of them is cached.
   */
  public static long storedBytes(RDD<?> rdd) {
    for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return 0L;
  }

  /**
   * Drops the cached blocks and waits until the executors have: a job that stops its
   * SparkContext next would otherwise leave the removal's replies to a closed thread pool, and
   * Spark prints a {@code RejectedExecutionException} for each.
   */
  public void unpersist() {
    blocks.unpersist(true);
  }
}
