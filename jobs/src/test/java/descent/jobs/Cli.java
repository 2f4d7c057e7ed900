package descent.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in-process and keeps what it printed: picocli's out and err writers, and
 * System.out (where train, evaluate and predict print their progress and results).
 */
public final class Cli {
  /** The exit code and the text of the three streams of one run. */
  public record Result(int exitCode, String out, String err, String stdout) {
    /** Everything the run printed, for assertion messages. */
    public String all() {
      return "exit " + exitCode + "\n--- err:\n" + err + "--- out:\n" + out + "--- stdout:\n" + stdout;
    }
  }

  private Cli() {}

  /** Runs {@code descent args...} and returns what it printed. */
  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try (PrintStream capture = new PrintStream(new TeeStream(stdout, original), true,
        StandardCharsets.UTF_8)) {
      System.setOut(capture);
      try {
        code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
      } finally {
        System.setOut(original);
      }
    }
    // Echo picocli's streams so that the test log shows them next to Spark's output.
    System.err.print(out);
    System.err.print(err);
    return new Result(code, out.toString(), err.toString(),
        stdout.toString(StandardCharsets.UTF_8));
  }

  /** Copies the captured bytes to the real System.out too, so the test log shows them. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }
}
