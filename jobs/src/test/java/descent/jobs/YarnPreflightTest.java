package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What submit-yarn.sh's check refuses before submitting, computed by hand: a container of heap
 * plus overhead (the overhead property, else a tenth of the heap, at least 384 MB) above the
 * cluster's largest, and a jar that is missing or a directory. The same check against a running
 * ResourceManager and HDFS is in deploy's YarnClusterIT.
 */
class YarnPreflightTest {
  @TempDir Path tmp;

  private static SparkConf conf(String... keyValues) {
    SparkConf c = new SparkConf(false);
    for (int i = 0; i < keyValues.length; i += 2) {
      c.set(keyValues[i], keyValues[i + 1]);
    }
    return c;
  }

  @Test
  void anExecutorAboveTheLargestContainerIsNamedWithItsParts() {
    // 4096 MB heap + max(409.6 -> 409, 384) overhead = 4505 MB.
    assertEquals(List.of("each executor asks YARN for a container of 4505 MB (4096 MB heap + 409 MB"
        + " overhead), above the largest this cluster grants, 2048 MB"
        + " (yarn.scheduler.maximum-allocation-mb); lower EXECUTOR_MEMORY (spark.executor.memory)"
        + " or EXECUTOR_MEMORY_OVERHEAD (spark.executor.memoryOverhead)"),
        YarnPreflightCommand.tooLarge(conf("spark.executor.memory", "4g"), false, 2048, 2));
    // 640 MB + 384 MB given = 1024 MB; the 1 GB driver (1024 + 384) fits too.
    assertEquals(List.of(), YarnPreflightCommand.tooLarge(conf("spark.executor.memory", "640m",
        "spark.executor.memoryOverhead", "384m"), true, 2048, 2));
    // 1700 MB + 384 MB (170 is below the minimum) = 2084 MB, just above 2048.
    assertEquals(1, YarnPreflightCommand.tooLarge(conf("spark.executor.memory", "1700m"), false,
        2048, 2).size());
    assertEquals(List.of(), YarnPreflightCommand.tooLarge(conf("spark.executor.memory", "1664m"),
        false, 2048, 2));
  }

  @Test
  void theDriversContainerCountsInClusterModeOnly() {
    SparkConf c = conf("spark.executor.memory", "512m", "spark.driver.memory", "2g");
    assertEquals(List.of(), YarnPreflightCommand.tooLarge(c, false, 2048, 2));
    assertEquals(List.of("the driver (the application master in cluster mode) asks YARN for a"
        + " container of 2432 MB (2048 MB heap + 384 MB overhead), above the largest this"
        + " cluster grants, 2048 MB (yarn.scheduler.maximum-allocation-mb); lower DRIVER_MEMORY"
        + " (spark.driver.memory)"), YarnPreflightCommand.tooLarge(c, true, 2048, 2));
  }

  @Test
  void moreCoresThanTheLargestContainerAreNamed() {
    assertEquals(List.of("each executor asks YARN for 4 vcores, above the largest container"
        + " this cluster grants, 2 vcores (yarn.scheduler.maximum-allocation-vcores); lower"
        + " EXECUTOR_CORES (spark.executor.cores)"), YarnPreflightCommand.tooLarge(
            conf("spark.executor.memory", "512m", "spark.executor.cores", "4"), false, 2048, 2));
  }

  @Test
  void aJarThatIsMissingOrADirectoryIsNamed() throws Exception {
    Configuration hadoop = new Configuration();
    Path jar = Files.writeString(tmp.resolve("descent-jobs.jar"), "PK");
    assertNull(YarnPreflightCommand.unreadable(jar.toString(), hadoop));
    assertNull(YarnPreflightCommand.unreadable("local:///opt/descent/descent-jobs.jar", hadoop));
    assertEquals("no such file",
        YarnPreflightCommand.unreadable(tmp.resolve("none.jar").toString(), hadoop));
    assertEquals("not a file", YarnPreflightCommand.unreadable(tmp.toString(), hadoop));
  }
}
