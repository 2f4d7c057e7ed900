package descent.driver;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of a test JVM: {@code local[2]} with descent's Kryo settings
 * (registration required), created on first use and stopped when the JVM exits.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      SparkConf conf = new SparkConf()
          .setMaster("local[2]")
          .setAppName("descent-tests")
          .set("spark.ui.enabled", "false")
          .set("spark.ui.showConsoleProgress", "false")
          .set("spark.sql.shuffle.partitions", "2")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1");
      DescentSpark.configure(conf);
      session = SparkSession.builder().config(conf).getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }

  public static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
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
