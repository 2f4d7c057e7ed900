package descent.jobs.bench;

import descent.driver.TrainingData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.RDDInfo;

/**
 * Bytes one representation of the data takes in Spark's cache, against the raw arrays: the
 * memory side of the comparison, since a step that reads fewer bytes is faster on a machine
 * bound by memory.
 */
record Memory(String name, long bytes, double ratioToRaw, String note) {

  /** The raw arrays, descent's cached blocks and MLlib's cached points, from Spark's storage info. */
  static List<Memory> of(BenchData data) {
    TrainingData td = data.training();
    long rawBytes = td.arrayBytes();
    List<Memory> memory = new ArrayList<>();
    memory.add(new Memory("raw_arrays", rawBytes, 1.0, rawNote(td)));
    memory.add(new Memory("descent_cached_blocks", td.cachedBytes(),
        (double) td.cachedBytes() / rawBytes, "TrainingData.cachedBytes(): Spark storage info of"
            + " the blocks RDD, " + cachedPartitionsNote(td.blocks().rdd())));
    long pointBytes = TrainingData.storedBytes(data.points().rdd());
    memory.add(new Memory("mllib_cached_points", pointBytes, (double) pointBytes / rawBytes,
        "RDD<LabeledPoint> MEMORY_ONLY, " + cachedPartitionsNote(data.points().rdd())));
    return memory;
  }

  /**
   * descent's cached blocks over the raw arrays, as the table measured them when everything was
   * cached (before the timed rounds, which may push a block to disk under a small heap).
   */
  static double cachedToRaw(List<Memory> memory) {
    for (Memory m : memory) {
      if (m.name().equals("descent_cached_blocks")) {
        return m.ratioToRaw();
      }
    }
    throw new IllegalStateException("no descent_cached_blocks row in " + memory);
  }

  /** The line of the printed memory table. */
  String row() {
    return String.format(Locale.ROOT, "%-28s %14d %10.4f  %s", name, bytes, ratioToRaw, note);
  }

  /** The line of bench.csv. */
  String csv() {
    return String.format(Locale.ROOT, "%s,,,,%d,%.9g%n", name, bytes, ratioToRaw);
  }

  /** The JSON object of the entry. */
  Map<String, Object> toJson() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put("bytes", bytes);
    e.put("ratioToRaw", ratioToRaw);
    e.put("note", note);
    return e;
  }

  /** How the raw array bytes of the data are made up. */
  private static String rawNote(TrainingData td) {
    return "labels, values and CSR indices of the blocks (dense 8nd+8n, CSR 12nnz+4(n+blocks)+8n),"
        + " n=" + td.totalRows() + " d=" + td.numFeatures();
  }

  /** "k of p partitions cached", from Spark's storage info. */
  private static String cachedPartitionsNote(RDD<?> rdd) {
    RDDInfo info = storageInfo(rdd);
    return info == null ? "not cached"
        : info.numCachedPartitions() + " of " + info.numPartitions() + " partitions cached";
  }

  /** Spark's storage info of {@code rdd}, or null when none of it is cached. */
  static RDDInfo storageInfo(RDD<?> rdd) {
    for (RDDInfo info : rdd.context().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info;
      }
    }
    return null;
  }

  /**
   * Fails unless every partition of every data set is held in memory: blocks that Spark evicted
   * or spilled to disk would be timed as recomputation or disk reads, not as a pass over cached
   * data.
   */
  static void requireInMemory(List<TrainingData> data) {
    for (TrainingData td : data) {
      RDDInfo info = storageInfo(td.blocks().rdd());
      if (info == null || info.numCachedPartitions() != info.numPartitions()
          || info.diskSize() > 0) {
        String held = info == null ? "no partition cached"
            : info.numCachedPartitions() + " of " + info.numPartitions() + " partitions cached, "
                + info.diskSize() + " bytes on disk";
        throw new IllegalStateException("--scaling caches every size at once, and the "
            + td.totalRows() + "-row data no longer fits in memory (" + held + "): give the JVM"
            + " more heap (DESCENT_JAVA_OPTS=-Xmx19g for 1M+2M+4M rows of 100 features) or"
            + " fewer sizes");
      }
    }
  }
}
