package descent.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time counters from Linux's {@code /proc/stat}: all of it and the part the
 * hypervisor gave to other guests ("steal"). On a shared virtual machine a timing's spread follows
 * the steal (4–26 % in 5-second samples during one run of 1 % steps here; see
 * {@code docs/benchmarks.md}), so {@code bench} reports the steal of its timed rounds beside its ratios.
 *
 * @param steal ticks stolen, summed over the CPUs
 * @param total ticks of user, nice, system, idle, iowait, irq, softirq and steal time (guest time
 *     is counted in user and nice already)
 */
record CpuSteal(long steal, long total) {
  private static final Path STAT = Path.of("/proc/stat");

  /** The counters now, or null where there is no {@code /proc/stat} (off Linux). */
  static CpuSteal read() {
    return read(STAT);
  }

  static CpuSteal read(Path stat) {
    try {
      for (String line : Files.readAllLines(stat, StandardCharsets.US_ASCII)) {
        if (line.startsWith("cpu ")) {
          return parse(line);
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The counters of {@code /proc/stat}'s summary line ({@code cpu  user nice system idle iowait
   * irq softirq steal ...}); kernels before 2.6.11 have no steal field, read as 0.
   */
  static CpuSteal parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (!f[0].equals("cpu") || f.length < 5) {
      throw new IllegalArgumentException("not the summary line of /proc/stat: " + line);
    }
    long total = 0;
    int fields = Math.min(8, f.length - 1);
    for (int i = 1; i <= fields; i++) {
      total += Long.parseLong(f[i]);
    }
    long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
    return new CpuSteal(steal, total);
  }

  /**
   * The fraction of the CPU time between {@code before} and {@code after} that was stolen; null
   * when either is unknown or no time passed.
   */
  static Double share(CpuSteal before, CpuSteal after) {
    if (before == null || after == null || after.total <= before.total) {
      return null;
    }
    return (double) (after.steal - before.steal) / (after.total - before.total);
  }
}
