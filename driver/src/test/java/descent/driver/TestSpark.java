package descent.driver;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: {@code local[2]} with descent's Kryo settings
 * (registration required), created on first use and stopped when the JVM exits. A test that
 * needs another master (task retries need {@code local[n,maxFailures]}) asks for it with
 * {@link #session(String)}, which replaces the session; the next {@link #session()} puts
 * {@code local[2]} back ({@link #jsc()} keeps the current one).
 */
public final class TestSpark {
  /** The master of the shared session. */
  public static final String MASTER = "local[2]";

  private static SparkSession session;
  private static boolean hooked;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    return session(MASTER);
  }

  /**
   * The session on {@code master}: the current one when it runs there, else a new one in its
   * place (one SparkContext per JVM). Data cached on the replaced session is gone.
   */
  public static synchronized SparkSession session(String master) {
    if (session != null && !session.sparkContext().isStopped()
        && session.sparkContext().master().equals(master)) {
      return session;
    }
    if (session != null) {
      session.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    SparkConf conf = new SparkConf()
        .setMaster(master)
        .setAppName("descent-tests")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    DescentSpark.configure(conf);
    session = SparkSession.builder().config(conf).getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    if (!hooked) {
      hooked = true;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        synchronized (TestSpark.class) {
          session.stop();
        }
      }));
    }
    return session;
  }

  /** The current session's context, whatever its master ({@code local[2]} if none runs). */
  public static synchronized JavaSparkContext jsc() {
    SparkSession current = session != null && !session.sparkContext().isStopped()
        ? session : session();
    return JavaSparkContext.fromSparkContext(current.sparkContext());
  }

  /** A file of ../shared/data (the real data sets with their reference optima). */
  public static Path sharedData(String name) {
    String dir = System.getProperty("descent.shared.data");
    Path base = dir != null ? Paths.get(dir) : Paths.get("..", "..", "shared", "data");
    Path p = base.resolve(name).normalize();
    if (!p.toFile().exists()) {
      // Fall back to the layout of a checkout: <root>/../shared/data, from a module directory.
      p = Paths.get("..", "..", "shared", "data", name).toAbsolutePath().normalize();
    }
    return p;
  }
}
