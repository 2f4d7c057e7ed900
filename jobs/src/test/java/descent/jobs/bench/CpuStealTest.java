package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steal share of {@code /proc/stat}'s counters, on hand-written lines. */
class CpuStealTest {

  @Test
  void theSummaryLineGivesStealAndTheTotalWithoutGuestTime() {
    // user 10, nice 2, system 3, idle 80, iowait 1, irq 0, softirq 1, steal 3; guest 5 is in user.
    CpuSteal c = CpuSteal.parse("cpu  10 2 3 80 1 0 1 3 5 0");
    assertEquals(3, c.steal());
    assertEquals(100, c.total());
  }

  @Test
  void theShareIsTheStolenPartOfTheTimeBetweenTwoReadings() {
    // 10 of the 200 ticks between the readings were stolen.
    assertEquals(0.05, CpuSteal.share(new CpuSteal(3, 100), new CpuSteal(13, 300)), 1e-15);
    assertNull(CpuSteal.share(null, new CpuSteal(13, 300)));
    assertNull(CpuSteal.share(new CpuSteal(3, 100), new CpuSteal(3, 100)));
  }

  @Test
  void anOldKernelWithoutAStealFieldReadsNoSteal() {
    CpuSteal c = CpuSteal.parse("cpu 1 2 3 4");
    assertEquals(0, c.steal());
    assertEquals(10, c.total());
  }

  @Test
  void aLineOfOneCpuIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CpuSteal.parse("cpu0 1 2 3 4 5 6 7 8"));
  }

  @Test
  void theFileIsReadAtItsSummaryLine(@TempDir Path dir) throws Exception {
    Path stat = dir.resolve("stat");
    Files.writeString(stat, "cpu  10 2 3 80 1 0 1 3 0 0\ncpu0 5 1 1 40 0 0 1 2 0 0\nctxt 9\n");
    assertEquals(new CpuSteal(3, 100), CpuSteal.read(stat));
    Files.writeString(stat, "ctxt 9\n");
    assertNull(CpuSteal.read(stat));
    assertNull(CpuSteal.read(dir.resolve("missing")));
  }
}
