package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.driver.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.GradientDescent;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SimpleUpdater;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.Tuple2;

/**
 * What {@code bench} assumes of Spark MLlib's {@code runMiniBatchSGD} when it turns a call's time
 * into a time per step ({@link MllibSteps#perStep}): a call of {@code n} iterations counts
 * its data once, then runs {@code n + 1} gradient jobs. Should a Spark upgrade change that, this
 * test fails and the bench's divisor must change with it.
 */
class MllibJobsTest {
  private static final String GROUP = "descent-mllib-jobs";
  private static final String MARKER = "descent-mllib-jobs-marker";

  @Test
  @Timeout(60)
  void aCallOfNIterationsCountsOnceAndRunsNPlusOneGradientJobs() throws Exception {
    SparkContext sc = TestSpark.session().sparkContext();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    List<String> jobs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch markerSeen = new CountDownLatch(1);
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String group = start.properties() == null ? null
            : start.properties().getProperty("spark.jobGroup.id");
        if (GROUP.equals(group)) {
          jobs.add(start.stageInfos().head().name());
        } else if (MARKER.equals(group)) {
          markerSeen.countDown();
        }
      }
    };
    List<Tuple2<Object, Vector>> points = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      points.add(new Tuple2<>(i % 2 == 0 ? 1.0 : 0.0, Vectors.dense(i % 3, i % 5, 1.0)));
    }
    JavaRDD<Tuple2<Object, Vector>> data = jsc.parallelize(points, 2).cache();
    data.count();
    sc.addSparkListener(listener);
    try {
      sc.setJobGroup(GROUP, "runMiniBatchSGD of 3 iterations", false);
      GradientDescent.runMiniBatchSGD(data.rdd(), new LogisticGradient(), new SimpleUpdater(),
          1.0, 3, 0.0, 1.0, Vectors.zeros(3), 0.0);
      // The listener bus delivers in order: once the marker job's start is seen, so are all of
      // the call's.
      sc.setJobGroup(MARKER, "marker", false);
      data.count();
      assertTrue(markerSeen.await(30, TimeUnit.SECONDS), "the marker job was not seen");
    } finally {
      sc.clearJobGroup();
      sc.removeSparkListener(listener);
      data.unpersist(true);
    }
    long counts = jobs.stream().filter(name -> name.startsWith("count at")).count();
    long gradients = jobs.stream().filter(name -> name.startsWith("treeAggregate at")).count();
    assertEquals(1, counts, jobs::toString);
    assertEquals(3 + 1, gradients, jobs::toString);
    assertEquals(5, jobs.size(), jobs::toString);
  }
}
