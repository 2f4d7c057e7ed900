package descent.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a location's files go: paths without a scheme and {@code file:} URIs are local (java.nio),
 * URIs with a scheme and a slash go through Hadoop's file systems; every file is written under a
 * temporary name and renamed over the old one, which the Hadoop directory does with
 * FileContext's rename (here on Hadoop's local file system, the same code that runs on HDFS).
 */
class OutputDirTest {
  @TempDir Path tmp;

  @Test
  void aSchemeAndASlashMakeAHadoopLocationEverythingElseIsLocal() {
    for (String hadoop : List.of("hdfs:///runs/a9a", "hdfs://nn:8020/runs/a9a/", "s3a://bucket/runs",
        "viewfs://cluster/x")) {
      assertInstanceOf(OutputDir.Hadoop.class, OutputDir.of(hadoop), hadoop);
    }
    assertEquals(new OutputDir.Local(Path.of("runs/a9a")), OutputDir.of("runs/a9a"));
    assertEquals(new OutputDir.Local(Path.of("/tmp/runs")), OutputDir.of("/tmp/runs/"));
    // A colon inside a local file name is no scheme, nor is a drive letter.
    assertEquals(new OutputDir.Local(Path.of("a:b")), OutputDir.of("a:b"));
    assertEquals(new OutputDir.Local(Path.of("/tmp/runs")), OutputDir.of("file:///tmp/runs"));
    assertEquals(new OutputDir.Local(Path.of("/tmp/runs")), OutputDir.of("file:/tmp/runs"));
  }

  @Test
  void filesAreNamedAsTheLocationWasGiven() {
    assertEquals("hdfs:///runs/a9a/model.json", OutputDir.of("hdfs:///runs/a9a/").file("model.json"));
    assertEquals("hdfs://nn:8020/model.json", OutputDir.of("hdfs://nn:8020/").file("model.json"));
    assertEquals("hdfs://nn:8020/x/model.json", OutputDir.of("hdfs://nn:8020/x//").file("model.json"));
    assertEquals("runs/a9a/model.json", OutputDir.of("runs/a9a/").file("model.json"));
    assertEquals("hdfs:///runs/a9a/report.html",
        OutputDir.parentOf("hdfs:///runs/a9a/report.html").file("report.html"));
    assertEquals("report.html", OutputDir.nameOf("hdfs:///runs/a9a/report.html"));
    assertEquals("report.html", OutputDir.parentOf("report.html").file("report.html"));
  }

  @Test
  void aHadoopDirectoryReplacesAFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path local = tmp.resolve("runs/a");
    OutputDir dir = new OutputDir.Hadoop("file://" + local);
    assertFalse(dir.exists());
    dir.create();
    assertTrue(dir.isDirectory());
    dir.writeAtomically("model.json", "old\n".getBytes(StandardCharsets.UTF_8));
    dir.writeAtomically("model.json", "new\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("new\n", Files.readString(local.resolve("model.json")));
    assertArrayEquals("new\n".getBytes(StandardCharsets.UTF_8), dir.readAllBytes("model.json"));
    assertTrue(dir.isFile("model.json"));
    try (Stream<Path> files = Files.list(local)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("tmp")).toList());
    }
    // A file in the way of a directory is seen as one.
    try (OutputStream out = dir.newOutputStream("plain")) {
      out.write(1);
    }
    assertFalse(new OutputDir.Hadoop("file://" + local.resolve("plain")).isDirectory());
    assertTrue(new OutputDir.Hadoop("file://" + local.resolve("plain")).exists());
  }

  @Test
  void aModelSavedThroughHadoopReadsBackTheSame() throws Exception {
    Path local = tmp.resolve("model");
    LinearModel model = LinearModel.of(ModelType.LOGISTIC, 2, true, ModelType.DEFAULT_HUBER_DELTA,
        new double[] {0.5, -1.0 / 3, 1e-300}, Map.of("steps", 40));
    model.save(new OutputDir.Hadoop("file://" + local));
    LinearModel back = LinearModel.load(local.toString());
    assertArrayEquals(model.params(), back.params(), 0.0);
    assertEquals(model.toJson(), Files.readString(local.resolve("model.json")));
    assertEquals(local.resolve("model.json").toString(), LinearModel.modelFile(local.toString(), false));
    assertEquals(local.resolve("model.json").toString(),
        LinearModel.modelFile("file://" + local.resolve("model.json"), false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinearModel.load(tmp.resolve("none").toString()));
    assertEquals(tmp.resolve("none") + ": model file not found", e.getMessage());
  }
}
