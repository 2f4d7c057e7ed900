package descent.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An executor's copy of the parameters reaches exactly the version a task names: across gaps
 * of several versions, onto a new base, for a stale task without moving back, once for two
 * tasks of one step, and after a fetch that failed; a slow fetch holds up no task that needs
 * none.
 */
class ParameterCopiesTest {
  private static final int P = 6;
  private static final AtomicLong RUNS = new AtomicLong(1000);

  /** The run's versions: v_0 = (0, 1, …), and version t sets coordinate t mod P to 10·t. */
  static double[] expected(long t) {
    double[] v = new double[P];
    for (int j = 0; j < P; j++) {
      v[j] = j;
    }
    for (long u = 1; u <= t; u++) {
      v[(int) (u % P)] = 10.0 * u;
    }
    return v;
  }

  /** Serves the base of version {@code base} and the deltas after it; counts what it serves. */
  static final class Source implements ParameterSource {
    private static final long serialVersionUID = 1L;
    final double[] baseValues;
    final long base;
    final AtomicInteger baseFetches = new AtomicInteger();
    final AtomicInteger[] deltaFetches = new AtomicInteger[64];
    transient CountDownLatch gate;
    transient CountDownLatch fetching;
    transient RuntimeException failNext;

    Source(long base) {
      this.base = base;
      this.baseValues = expected(base);
      for (int i = 0; i < deltaFetches.length; i++) {
        deltaFetches[i] = new AtomicInteger();
      }
    }

    @Override
    public double[] base() {
      baseFetches.incrementAndGet();
      return baseValues;
    }

    @Override
    public ParameterDelta delta(long version) {
      assertTrue(version > base, "delta " + version + " of base " + base);
      deltaFetches[(int) version].incrementAndGet();
      if (fetching != null) {
        fetching.countDown();
      }
      if (failNext != null) {
        RuntimeException e = failNext;
        failNext = null;
        throw e;
      }
      if (gate != null) {
        try {
          gate.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return new ParameterDelta(new int[] {(int) (version % P)}, new double[] {10.0 * version});
    }

    ParameterTicket ticket(long run, long version) {
      return new ParameterTicket(run, P, base, version, 1.0, this);
    }
  }

  private long run;

  @BeforeEach
  void newRun() {
    run = RUNS.incrementAndGet();
  }

  private static double[] read(ParameterTicket ticket) {
    try (ParameterCopies.Lease lease = ParameterCopies.acquire(ticket)) {
      return lease.params().clone();
    }
  }

  @Test
  void aCopyCatchesUpOverAGapWithEachMissingDeltaOnce() {
    Source s = new Source(0);
    assertArrayEquals(expected(1), read(s.ticket(run, 1)));
    assertArrayEquals(expected(5), read(s.ticket(run, 5)));
    assertArrayEquals(expected(5), read(s.ticket(run, 5)));
    assertEquals(1, s.baseFetches.get());
    for (int t = 1; t <= 5; t++) {
      assertEquals(1, s.deltaFetches[t].get(), "delta " + t);
    }
    assertEquals(5, ParameterCopies.version(run));
    assertArrayEquals(expected(0), s.baseValues, "the base is only read");
  }

  @Test
  void aStaleTaskReadsAPrivateCopyAndTheSharedOneStays() {
    Source s = new Source(0);
    read(s.ticket(run, 4));
    try (ParameterCopies.Lease stale = ParameterCopies.acquire(s.ticket(run, 2))) {
      assertFalse(stale.isShared());
      assertArrayEquals(expected(2), stale.params());
    }
    assertEquals(4, ParameterCopies.version(run));
    try (ParameterCopies.Lease current = ParameterCopies.acquire(s.ticket(run, 4))) {
      assertTrue(current.isShared());
      assertArrayEquals(expected(4), current.params());
    }
    assertArrayEquals(expected(0), s.baseValues);
  }

  @Test
  void aCopyBehindANewBaseIsRebuiltFromIt() {
    Source first = new Source(0);
    read(first.ticket(run, 3));
    Source second = new Source(6);
    assertArrayEquals(expected(8), read(second.ticket(run, 8)));
    assertEquals(1, second.baseFetches.get());
    assertEquals(0, second.deltaFetches[6].get());
    assertEquals(1, second.deltaFetches[7].get());
    assertEquals(1, second.deltaFetches[8].get());
    assertArrayEquals(expected(6), second.baseValues, "the base is only read");
  }

  @Test
  void aCopyAheadOfANewBaseTakesOnlyTheDeltasItLacks() {
    Source first = new Source(0);
    read(first.ticket(run, 4));
    Source second = new Source(3);
    assertArrayEquals(expected(6), read(second.ticket(run, 6)));
    assertEquals(0, second.baseFetches.get());
    assertEquals(0, second.deltaFetches[4].get());
    assertEquals(1, second.deltaFetches[5].get());
    assertEquals(1, second.deltaFetches[6].get());
  }

  @Test
  void twoTasksOfOneStepApplyItsDeltaOnceAndShareTheArray() throws Exception {
    Source s = new Source(0);
    read(s.ticket(run, 1));
    s.gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch started = new CountDownLatch(2);
      List<Future<double[]>> arrays = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        arrays.add(pool.submit(() -> {
          started.countDown();
          try (ParameterCopies.Lease lease = ParameterCopies.acquire(s.ticket(run, 3))) {
            assertArrayEquals(expected(3), lease.params());
            return lease.params();
          }
        }));
      }
      started.await();
      Thread.sleep(50);
      s.gate.countDown();
      assertSame(arrays.get(0).get(5, TimeUnit.SECONDS), arrays.get(1).get(5, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, s.deltaFetches[2].get());
    assertEquals(1, s.deltaFetches[3].get());
  }

  @Test
  void aNewerStepWaitsForTheTasksStillReadingTheOlderOne() throws Exception {
    Source s = new Source(0);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (ParameterCopies.Lease older = ParameterCopies.acquire(s.ticket(run, 1))) {
      Future<double[]> newer = pool.submit(() -> read(s.ticket(run, 2)));
      Thread.sleep(100);
      assertFalse(newer.isDone());
      assertArrayEquals(expected(1), older.params(), "the older step's parameters stay put");
      older.close();
      assertArrayEquals(expected(2), newer.get(5, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aJvmKeepsTheCopiesOfAFewRunsOnly() {
    Source s = new Source(0);
    read(s.ticket(run, 1));
    for (int i = 0; i < ParameterCopies.MAX_RUNS + 2; i++) {
      read(s.ticket(RUNS.incrementAndGet(), 1));
    }
    assertTrue(ParameterCopies.runs() <= ParameterCopies.MAX_RUNS);
    assertEquals(-1, ParameterCopies.version(run));
    assertArrayEquals(expected(2), read(s.ticket(run, 2)));
  }

  @Test
  void clearedCopiesAreRebuiltFromTheBase() {
    Source s = new Source(0);
    double[] before;
    try (ParameterCopies.Lease lease = ParameterCopies.acquire(s.ticket(run, 2))) {
      before = lease.params();
    }
    ParameterCopies.clear();
    try (ParameterCopies.Lease lease = ParameterCopies.acquire(s.ticket(run, 2))) {
      assertNotSame(before, lease.params());
      assertArrayEquals(expected(2), lease.params());
    }
    assertEquals(2, s.baseFetches.get());
  }

  @Test
  void aSlowFetchHoldsUpNoTaskOfTheCopysVersion() throws Exception {
    Source s = new Source(0);
    read(s.ticket(run, 1));
    s.gate = new CountDownLatch(1);
    s.fetching = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<double[]> newer = pool.submit(() -> read(s.ticket(run, 2)));
      assertTrue(s.fetching.await(5, TimeUnit.SECONDS));
      // The newer step's task waits on its fetch; a task of version 1 reads the copy meanwhile.
      try (ParameterCopies.Lease older = ParameterCopies.acquire(s.ticket(run, 1))) {
        assertTrue(older.isShared());
        assertArrayEquals(expected(1), older.params());
        s.gate.countDown();
        Thread.sleep(100);
        assertFalse(newer.isDone(), "the copy moved while a task of version 1 read it");
        assertArrayEquals(expected(1), older.params());
      }
      assertArrayEquals(expected(2), newer.get(5, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, s.deltaFetches[2].get());
  }

  @Test
  void aFetchThatFailsLeavesTheCopyForTheNextTaskToBringForward() {
    Source s = new Source(0);
    read(s.ticket(run, 1));
    s.failNext = new IllegalStateException("broadcast_7 is lost");
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> read(s.ticket(run, 3)));
    assertEquals("broadcast_7 is lost", e.getMessage());
    assertEquals(1, ParameterCopies.version(run), "a failed fetch leaves the copy as it was");
    assertArrayEquals(expected(3), read(s.ticket(run, 3)), "the retried task");
    assertEquals(3, ParameterCopies.version(run));
  }
}
