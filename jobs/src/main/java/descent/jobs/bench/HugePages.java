package descent.jobs.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this JVM's heap, and so the cached blocks, sits on Linux's transparent huge pages (one
 * TLB entry per 2 MiB instead of per 4 KiB). Every timing of the bench streams the heap, and in
 * paired runs the floor, MLlib's steps and descent's full step each moved by up to 15 % with the
 * pages, not always the same way (see {@code docs/benchmarks.md}): the bench reports the mode
 * beside the JVM so that its ratios can be compared.
 *
 * @param jvmFlag {@code -XX:+UseTransparentHugePages}, or null where the JVM has no such flag
 * @param system the kernel's mode ({@code always}, {@code madvise}, {@code never}), or null off
 *     Linux
 */
record HugePages(Boolean jvmFlag, String system) {
  private static final Path MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  private static final Pattern SELECTED = Pattern.compile("\\[(\\w+)\\]");

  /**
   * This JVM's flag and this machine's kernel mode: the driver's, which in local mode (the bench's
   * default) is also the executors'. On a cluster the executors' own flags are not seen here.
   */
  static HugePages current() {
    return new HugePages(readJvmFlag(), systemMode(MODE));
  }

  /**
   * True when the heap gets huge pages: the kernel gives them to every mapping
   * ({@code always}), or to those that ask ({@code madvise}) and the JVM asks.
   */
  boolean heap() {
    return "always".equals(system)
        || ("madvise".equals(system) && Boolean.TRUE.equals(jvmFlag));
  }

  /** One line for the bench's header. */
  String describe() {
    String mode = system == null ? "no transparent huge pages" : "system THP " + system;
    String flag = jvmFlag == null ? "" : (jvmFlag ? ", -XX:+UseTransparentHugePages" : "");
    return (heap() ? "heap on 2 MiB pages (" : "heap on 4 KiB pages (") + mode + flag + ")";
  }

  /** The JSON object the bench writes under {@code environment.transparentHugePages}. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("jvmFlag", jvmFlag);
    m.put("system", system);
    m.put("heap", heap());
    return m;
  }

  /** The bracketed mode of {@code file} ({@code always [madvise] never}), or null. */
  static String systemMode(Path file) {
    try {
      Matcher m = SELECTED.matcher(Files.readString(file, StandardCharsets.US_ASCII));
      return m.find() ? m.group(1) : null;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  private static Boolean readJvmFlag() {
    try {
      VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("UseTransparentHugePages");
      return Boolean.valueOf(option.getValue());
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }
}
