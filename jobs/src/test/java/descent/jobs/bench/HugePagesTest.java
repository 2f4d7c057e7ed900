package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HugePagesTest {
  @TempDir Path dir;

  @Test
  void readsTheSelectedModeOfTheKernelFile() throws Exception {
    Path file = dir.resolve("enabled");
    Files.writeString(file, "always [madvise] never\n");
    assertEquals("madvise", HugePages.systemMode(file));
    Files.writeString(file, "[always] madvise never\n");
    assertEquals("always", HugePages.systemMode(file));
    Files.writeString(file, "always madvise never\n");
    assertNull(HugePages.systemMode(file));
    assertNull(HugePages.systemMode(dir.resolve("missing")));
  }

  @Test
  void theHeapGetsHugePagesWhenTheKernelGivesThemOrTheJvmAsksAndTheKernelListens() {
    assertTrue(new HugePages(false, "always").heap());
    assertTrue(new HugePages(true, "madvise").heap());
    assertFalse(new HugePages(false, "madvise").heap());
    assertFalse(new HugePages(true, "never").heap());
    assertFalse(new HugePages(true, null).heap());
    assertFalse(new HugePages(null, null).heap());
  }

  @Test
  void describesPagesModeAndFlag() {
    assertEquals("heap on 2 MiB pages (system THP madvise, -XX:+UseTransparentHugePages)",
        new HugePages(true, "madvise").describe());
    assertEquals("heap on 4 KiB pages (system THP madvise)",
        new HugePages(false, "madvise").describe());
    assertEquals("heap on 4 KiB pages (no transparent huge pages)",
        new HugePages(null, null).describe());
  }

  @Test
  void thisJvmReportsItsOwnFlag() {
    // Surefire's JVM runs without -XX:+UseTransparentHugePages.
    assertEquals(Boolean.FALSE, HugePages.current().jvmFlag());
  }
}
