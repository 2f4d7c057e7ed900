package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * What the start watchdog watches and how it words a run's ask. Its firing on a real cluster
 * (workers too small, a master that is not there) is tested in deploy's StandaloneClusterIT.
 */
class StartWatchdogTest {
  private static SparkConf conf(String master) {
    return new SparkConf(false).setMaster(master);
  }

  @Test
  void localMastersAndAZeroTimeoutAreNotWatched() {
    assertNull(StartWatchdog.start(conf("local[*]"), null));
    assertNull(StartWatchdog.start(conf("local"), null));
    assertNull(StartWatchdog.start(conf("spark://127.0.0.1:7077"), 0L));
    assertNull(StartWatchdog.start(conf("spark://127.0.0.1:7077")
        .set(StartWatchdog.TIMEOUT_PROPERTY, "0"), null));
  }

  @Test
  void aNegativeTimeoutIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StartWatchdog.start(conf("spark://127.0.0.1:7077"), -1L));
    assertTrue(e.getMessage().contains("--start-timeout"), e.getMessage());
  }

  @Test
  void theAskIsTheExecutorsMemoryAndCores() {
    try (StartWatchdog w = StartWatchdog.start(conf("spark://127.0.0.1:7077"), null)) {
      assertNotNull(w);
      assertEquals("1g and at least 1 core", w.ask());
    }
    SparkConf sized = conf("yarn").set("spark.executor.memory", "1536m")
        .set("spark.executor.cores", "2").set(StartWatchdog.TIMEOUT_PROPERTY, "2m");
    try (StartWatchdog w = StartWatchdog.start(sized, null)) {
      assertEquals("1536m and 2 cores", w.ask());
    }
  }

  @Test
  void onKubernetesTheLineSaysWhereThePendingPodsAreAndHowToAskWhy() {
    SparkConf k8s = conf("k8s://https://127.0.0.1:6443").set("spark.executor.memory", "4g")
        .set("spark.executor.cores", "2").set("spark.kubernetes.namespace", "ml");
    try (StartWatchdog w = StartWatchdog.start(k8s, null)) {
      assertEquals("each executor pod asks for 4g and 2 cores in namespace ml; none is running"
          + " (kubectl describe pod -l spark-app-selector=APP_ID,spark-role=executor says why)",
          w.diagnose());
    }
  }

  @Test
  void onYarnTheLineSaysTheContainerWithItsOverheadAndTheQueue() {
    SparkConf yarn = conf("yarn").set("spark.executor.memory", "4g")
        .set("spark.yarn.queue", "ml");
    try (StartWatchdog w = StartWatchdog.start(yarn, null)) {
      // 4096 MB heap + max(384, 0.1 · 4096) MB overhead, as YARN's container request.
      assertEquals("each executor asks YARN for a container of 4505m (4g heap + 409m overhead)"
          + " and 1 core in queue ml; YARN granted none (the queue or the nodes have no room for"
          + " it: yarn application -status APP_ID)", w.diagnose());
    }
  }

  @Test
  void memoryIsWrittenAsSparkWritesIt() {
    assertEquals("2g", StartWatchdog.memory(2048));
    assertEquals("512m", StartWatchdog.memory(512));
  }

  @Test
  void aFailureWithoutAWatchdogIsNotTheClusters() {
    StartWatchdog.start(conf("local[2]"), null);
    assertTrue(StartWatchdog.explain(new IllegalStateException("boom")).isEmpty());
  }
}
