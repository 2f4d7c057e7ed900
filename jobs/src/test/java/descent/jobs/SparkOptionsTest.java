package descent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who chooses the master: spark-submit passes its {@code --master} and {@code --name} to the driver
 * as {@code spark.master} and {@code spark.app.name} system properties, which must win over
 * descent's defaults ({@code local[*]}, "descent train"); descent's own {@code --master} wins over
 * everything.
 */
class SparkOptionsTest {
  private String savedMaster;
  private String savedName;

  private void setSubmitProperties(String master, String name) {
    savedMaster = System.getProperty("spark.master");
    savedName = System.getProperty("spark.app.name");
    System.setProperty("spark.master", master);
    System.setProperty("spark.app.name", name);
  }

  @AfterEach
  void restore() {
    restore("spark.master", savedMaster);
    restore("spark.app.name", savedName);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void sparkSubmitsMasterAndNameWinOverTheDefaults() {
    setSubmitProperties("spark://10.0.0.1:7077", "nightly a9a");
    SparkConf conf = new SparkOptions().conf("descent train", "local[*]");
    assertEquals("spark://10.0.0.1:7077", conf.get("spark.master"));
    assertEquals("nightly a9a", conf.get("spark.app.name"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
  }

  @Test
  void descentsMasterOptionWinsOverSparkSubmits() {
    setSubmitProperties("spark://10.0.0.1:7077", "nightly a9a");
    SparkOptions options = new SparkOptions();
    options.master = "local[3]";
    assertEquals("local[3]", options.conf("descent train", "local[*]").get("spark.master"));
  }

  @Test
  void withoutSparkSubmitTheDefaultsApply() {
    savedMaster = System.getProperty("spark.master");
    savedName = System.getProperty("spark.app.name");
    System.clearProperty("spark.master");
    System.clearProperty("spark.app.name");
    SparkConf conf = new SparkOptions().conf("descent bench", "local[2]");
    assertEquals("local[2]", conf.get("spark.master"));
    assertEquals("descent bench", conf.get("spark.app.name"));
    assertEquals("true", conf.get("spark.kryo.registrationRequired"));
  }
}
