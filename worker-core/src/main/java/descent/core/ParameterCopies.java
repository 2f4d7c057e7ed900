package descent.core;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The parameters of each training run, kept once per JVM (per executor): the vector {@code v}
 * of {@link ParameterTicket} at the newest version a task of this JVM asked for. A task
 * {@link #acquire}s the version its ticket names and computes with it; the copy moves forward
 * by the deltas it lacks, so an executor that ran step t − 1 receives only what step t changed,
 * and the tasks of one step share one array instead of one each.
 *
 * <p>For a ticket of version {@code t} on base {@code b}, with the copy at version {@code u}:
 * <ul>
 *   <li>{@code u == t}: the task reads the copy;
 *   <li>{@code b ≤ u < t}: the copy applies the deltas {@code u+1..t} in place, once, after the
 *       tasks still reading version {@code u} (zombie or speculative tasks of an earlier step)
 *       have released it; one task fetches them, outside the copy's lock, while the others
 *       of version t wait for it;
 *   <li>{@code u < b}, or no copy yet: the copy is rebuilt from the base and the deltas since it;
 *   <li>{@code t < u} (a retried, speculative or zombie task of an earlier step): the task builds
 *       a private copy from its ticket's base and deltas; the shared copy never moves back.
 * </ul>
 * Every way a task computes with exactly version t's parameters. The base array is only read:
 * in local mode it may be the driver's own array.
 *
 * <p>Copies of at most {@value #MAX_RUNS} runs are kept; a new run drops the least recently
 * used one (tasks that still hold it finish with it).
 */
public final class ParameterCopies {
  /** Runs whose copy a JVM keeps at once. */
  public static final int MAX_RUNS = 2;

  /** Copies by run id, least recently used first. */
  private static final LinkedHashMap<Long, Copy> COPIES = new LinkedHashMap<>(4, 0.75f, true);

  private ParameterCopies() {}

  /**
   * The parameters of {@code ticket}'s version for the caller to read until it closes the lease;
   * never write into them.
   */
  public static Lease acquire(ParameterTicket ticket) {
    Copy copy;
    synchronized (COPIES) {
      copy = COPIES.get(ticket.runId());
      if (copy == null) {
        Iterator<Copy> eldest = COPIES.values().iterator();
        while (COPIES.size() >= MAX_RUNS) {
          eldest.next();
          eldest.remove();
        }
        copy = new Copy();
        COPIES.put(ticket.runId(), copy);
      }
    }
    return copy.acquire(ticket);
  }

  /** The version of this JVM's shared copy of run {@code runId}, or −1 when it holds none. */
  public static long version(long runId) {
    synchronized (COPIES) {
      Copy copy = COPIES.get(runId);
      return copy == null ? -1 : copy.version();
    }
  }

  /** The runs this JVM holds a copy of. */
  public static int runs() {
    synchronized (COPIES) {
      return COPIES.size();
    }
  }

  /**
   * Drops every copy of this JVM, as a replaced executor starts without one; the next task of
   * each run rebuilds its copy from the base.
   */
  public static void clear() {
    synchronized (COPIES) {
      COPIES.clear();
    }
  }

  /** A task's hold on one version's parameters; closing it lets the copy move on. */
  public static final class Lease implements AutoCloseable {
    private final Copy copy;
    private final double[] params;
    private boolean closed;

    private Lease(Copy copy, double[] params) {
      this.copy = copy;
      this.params = params;
    }

    /** The vector v of the ticket's version (coefficients, then intercepts); read only. */
    public double[] params() {
      return params;
    }

    /** Whether these are the JVM's shared copy (false: a private one of a stale task). */
    public boolean isShared() {
      return copy != null;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (copy != null) {
          copy.release();
        }
      }
    }
  }

  /** One run's shared vector, its version, and the tasks reading it. */
  private static final class Copy {
    private double[] values;
    private long version = -1;
    private int readers;
    /**
     * Whether a task is fetching what the copy lacks; meanwhile tasks of the copy's version still
     * read it, and no other task moves it.
     */
    private boolean advancing;

    synchronized long version() {
      return values == null ? -1 : version;
    }

    Lease acquire(ParameterTicket ticket) {
      Advance advance = null;
      synchronized (this) {
        while (advance == null) {
          if (values != null && version > ticket.version()) {
            break;
          }
          if (values != null && version == ticket.version()
              && values.length == ticket.numParams()) {
            readers++;
            return new Lease(this, values);
          }
          if (!advancing && readers == 0) {
            advancing = true;
            boolean rebuild = values == null || values.length != ticket.numParams()
                || version < ticket.baseVersion();
            advance = new Advance(rebuild, rebuild ? ticket.baseVersion() : version);
          } else {
            waitForTasks(ticket);
          }
        }
      }
      if (advance == null) {
        return new Lease(null, build(ticket));
      }
      // The base and the deltas may be broadcasts read from other executors: they are fetched
      // outside the lock, so that a slow fetch never holds up a task that needs none.
      try {
        double[] base = advance.rebuild() ? base(ticket) : null;
        ParameterDelta[] deltas = new ParameterDelta[(int) (ticket.version() - advance.from())];
        for (int i = 0; i < deltas.length; i++) {
          deltas[i] = ticket.source().delta(advance.from() + 1 + i);
        }
        synchronized (this) {
          while (readers > 0) {
            // Tasks of the copy's version that came while this one fetched: apply when they are done.
            waitForTasks(ticket);
          }
          apply(ticket, base, deltas);
          readers++;
          return new Lease(this, values);
        }
      } finally {
        synchronized (this) {
          advancing = false;
          notifyAll();
        }
      }
    }

    /** Waits, holding the lock on entry and on return, for a task to release or advance the copy. */
    private void waitForTasks(ParameterTicket ticket) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while tasks of version " + version
            + " held the parameters that " + ticket + " needs", e);
      }
    }

    synchronized void release() {
      readers--;
      if (readers == 0) {
        notifyAll();
      }
    }

    /**
     * Brings the copy to the ticket's version with what was fetched: the base (when rebuilding)
     * and the deltas after the copy's version or the base's. No task reads the copy meanwhile.
     */
    private void apply(ParameterTicket ticket, double[] base, ParameterDelta[] deltas) {
      // Until the last delta is in, the copy has no version: an exception on the way leaves it
      // to be rebuilt from the base by the next task.
      version = -1;
      if (base != null) {
        if (values == null || values.length != base.length) {
          values = null;
          values = new double[base.length];
        }
        System.arraycopy(base, 0, values, 0, base.length);
      }
      for (ParameterDelta delta : deltas) {
        delta.applyTo(values);
      }
      version = ticket.version();
    }
  }

  /** What a task fetches to move the shared copy: from the base, or from the copy's version. */
  private record Advance(boolean rebuild, long from) {}

  /** A private vector of the ticket's version: its base, then its deltas. */
  private static double[] build(ParameterTicket ticket) {
    double[] v = base(ticket).clone();
    for (long u = ticket.baseVersion() + 1; u <= ticket.version(); u++) {
      ticket.source().delta(u).applyTo(v);
    }
    return v;
  }

  private static double[] base(ParameterTicket ticket) {
    double[] base = ticket.source().base();
    if (base.length != ticket.numParams()) {
      throw new IllegalStateException("the base of " + ticket + " holds " + base.length
          + " parameters, not " + ticket.numParams());
    }
    return base;
  }
}
