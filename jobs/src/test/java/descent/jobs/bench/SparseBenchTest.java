package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.core.Blockifier;
import descent.core.DataBlock;
import descent.core.RowBuffer;
import descent.driver.TestSpark;
import descent.jobs.Cli;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --sparse}: the CTR-like generator (Zipf frequencies, sorted unique binary rows,
 * logistic labels, the same rows for the same seed) and a tiny run of the sparse table.
 */
class SparseBenchTest {
  @TempDir Path dir;

  @Test
  void zipfRanksFallAsOneOverKToTheS() {
    SparseRows.Zipf zipf = new SparseRows.Zipf(1 << 22, 1.1);
    SplittableRandom random = new SplittableRandom(1);
    int[] counts = new int[5];
    int draws = 2_000_000;
    for (int i = 0; i < draws; i++) {
      int k = zipf.sample(random);
      assertTrue(k >= 1 && k <= 1 << 22, "rank " + k);
      if (k <= 4) {
        counts[k]++;
      }
    }
    for (int k = 2; k <= 4; k++) {
      double expected = Math.pow(k, 1.1);
      double ratio = (double) counts[1] / counts[k];
      assertEquals(expected, ratio, 0.03 * expected, "P(1)/P(" + k + ")");
    }
  }

  @Test
  void rankToFeatureIsABijectionOnAPowerOfTwo() {
    int d = 1 << 12;
    boolean[] seen = new boolean[d];
    for (int rank = 1; rank <= d; rank++) {
      int j = SparseRows.feature(rank, d);
      assertFalse(seen[j], "feature " + j + " twice");
      seen[j] = true;
    }
    assertEquals(41, SparseRows.feature(42, 1000), "other widths keep the rank's order");
  }

  @Test
  void rowsAreSortedUniqueBinaryAndTheSameForTheSameSeed() {
    RowBuffer a = new RowBuffer();
    RowBuffer b = new RowBuffer();
    SparseRows.generate(1, 2000, 1 << 16, 40, 1.1, 9, a);
    SparseRows.generate(1, 2000, 1 << 16, 40, 1.1, 9, b);
    List<DataBlock> blocks = Blockifier.blockify(a, 1 << 16, 0, 0, false);
    List<DataBlock> again = Blockifier.blockify(b, 1 << 16, 0, 0, false);
    long nnz = 0;
    int positives = 0;
    for (int t = 0; t < blocks.size(); t++) {
      DataBlock block = blocks.get(t);
      assertFalse(block.isDense());
      assertTrue(java.util.Arrays.equals(block.indices(), again.get(t).indices()));
      assertTrue(java.util.Arrays.equals(block.labels(), again.get(t).labels()));
      int[] indptr = block.indptr();
      for (int i = 0; i < block.numRows(); i++) {
        for (int k = indptr[i] + 1; k < indptr[i + 1]; k++) {
          assertTrue(block.indices()[k] > block.indices()[k - 1], "sorted, unique");
        }
        positives += block.labels()[i] > 0 ? 1 : 0;
      }
      for (double v : block.values()) {
        assertEquals(1.0, v);
      }
      nnz += block.values().length;
    }
    double mean = nnz / 2000.0;
    // 20 to 60 draws a row, mean 40, less the repeats of frequent features.
    assertTrue(mean > 25 && mean <= 40, "mean nonzeros " + mean);
    assertTrue(positives > 200 && positives < 1800, positives + " positive of 2000");
  }

  @Test
  @Timeout(300)
  void aTinySparseRunPrintsTheTableAndItsTargets() throws Exception {
    SparkSession.setActiveSession(TestSpark.session());
    Cli.Result r = Cli.run("bench", "--sparse", "--rows", "3000", "--features", "4096",
        "--nnz", "10", "--repetitions", "1", "--warmup", "0", "--warmup-jobs", "3", "--steps",
        "2", "--heap-steps", "40", "--race", "none", "--output", dir.toString());
    assertEquals(0, r.exitCode(), r::all);
    String out = r.stdout();
    assertTrue(out.contains("data: generated CTR-like, 3000 rows x 4096 features in 2 partitions"
        + " (about 10 nonzeros a row, Zipf 1.1, seed 42)"), r::all);
    assertTrue(out.contains("targets (stated for 2,000,000 x 2^22 CTR-like generated rows"),
        r::all);
    assertTrue(out.contains("this run's data differ, so for reference only"), r::all);
    assertTrue(out.contains("driver heap over 1 % steps (Adam, cosine, through Trainer): 40"
        + " steps"), r::all);
    for (String name : List.of("descent_1pct_step", "descent_full_step", "mllib_sgd_1pct_step",
        "mllib_sgd_full_step", "spark_empty_job", "ml_logreg_fit")) {
      assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ")), name + "\n" + out);
    }

    JsonNode root = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    assertEquals("generated CTR-like", root.get("data").get("source").asText());
    assertEquals(4096, root.get("data").get("features").asInt());
    assertTrue(root.get("settings").get("sparse").asBoolean());
    JsonNode targets = root.get("targets").get("targets");
    List<String> names = new java.util.ArrayList<>();
    targets.forEach(t -> names.add(t.get("name").asText()));
    assertEquals(List.of("descent_1pct_trainer_step / spark_empty_job",
        "descent_1pct_trainer_step / mllib_sgd_1pct_step",
        "descent_full_step / mllib_sgd_full_step",
        "seconds to ml objective / ml_logreg_fit", "driver heap end / settled",
        "descent_cached_blocks / raw_arrays"), names);
    assertEquals(3.0, targets.get(0).get("limit").asDouble());
    assertEquals(0.05, targets.get(1).get("limit").asDouble());
    assertEquals(0.3, targets.get(2).get("limit").asDouble());
    assertEquals(0.3, targets.get(3).get("limit").asDouble());
    for (JsonNode t : targets) {
      if (t.get("name").asText().startsWith("seconds to ml objective")) {
        assertTrue(t.get("value").isNull(), t::toString);
        assertEquals("not measured: --race none", t.get("note").asText());
      } else {
        assertTrue(t.get("value").asDouble() > 0, t::toString);
      }
    }
    JsonNode heap = root.get("driverHeap");
    assertEquals(40, heap.get("steps").asLong());
    assertTrue(heap.get("settledMib").asDouble() > 0, heap::toString);
    // CSR blocks: the raw arrays are those of the nonzeros, far below the dense 8·n·d.
    JsonNode memory = root.get("memory");
    assertTrue(memory.get(0).get("bytes").asLong() < 8L * 3000 * 4096 / 50, memory::toString);
    double cached = memory.get(1).get("ratioToRaw").asDouble();
    assertTrue(cached >= 1.0 && cached <= 1.05, memory::toString);
  }

  @Test
  void sparseOptionsAreCheckedBeforeSparkStarts() {
    Cli.Result r = Cli.run("bench", "--sparse", "--nnz", "0", "--zipf", "-1", "--heap-steps",
        "1");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("--nnz must be from 1 to --features (4194304), got 0"), r::all);
    assertTrue(r.err().contains("--zipf must be a positive number, got -1.0"), r::all);
    assertTrue(r.err().contains("--heap-steps must be 0 (skip) or at least 2, got 1"), r::all);
  }
}
