package descent.driver;

import descent.core.ParameterCopies;
import descent.core.ParameterDelta;
import descent.core.ParameterSource;
import descent.core.ParameterTicket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Sends each version of the parameters to the executors as the coordinates it changed, against
 * a base vector broadcast now and then, so that a sparse step costs what it touched rather than
 * {@code O(d)}. Version {@code t} is the parameters of the {@code t}-th call to {@link #ship}
 * (from 0): {@code w_j = scale·v_j} for the coefficients and {@code v_j} for the intercepts,
 * as a sparse optimizer keeps them (the L2 decay in the scalar {@code scale}). The returned
 * {@link ParameterTicket} goes into the tasks' closure; there {@link ParameterCopies} brings the
 * executor's one copy of {@code v} to version {@code t}.
 *
 * <p><b>What travels.</b> A delta (the changed coordinates and their new values) rides inside
 * the ticket while the deltas carried that way since the base hold at most
 * {@value #INLINE_ENTRIES} entries, and otherwise in a broadcast of its own (fetched once per
 * executor). A full base (a copy of {@code v}) is broadcast at the first call, when a call says
 * every coordinate changed, and when another delta would take the chain since the base past
 * {@code maxDeltas} deltas or {@code maxDeltaEntries} entries (by default {@value #MAX_DELTAS}
 * and the parameter count: a lagging or new executor then reads at most the base and about
 * one and a half bases' worth of deltas). Each ticket names its base and every delta since, so
 * an executor at any version since the base, or none, reaches exactly version {@code t}.
 *
 * <p><b>Cost and memory.</b> A call that changes {@code k} coordinates does {@code O(k)} work
 * (plus {@code O(maxDeltas)} to list the chain) unless it makes a base, which is {@code O(d)}.
 * A new base destroys the previous base and its deltas' broadcasts, so at most
 * {@code 1 + maxDeltas} broadcasts are live, whatever the number of steps. The driver holds
 * the base (and, in local mode, Spark's serialized copy of it) and the deltas since it.
 *
 * <p><b>Paired shipping.</b> A sparse momentum step keeps its coefficients as
 * {@code w_j = scale·v_j + secondScale·y_j}; {@link #paired} ships {@code v} and {@code y} as
 * one array of twice the parameters (coordinate {@code j} of y is entry {@code numParams + j})
 * with both scales in the ticket.
 *
 * <p><b>Life cycle.</b> A ticket stays valid until a later call makes a new base: evaluate each
 * ticket before shipping the next. {@link #close} destroys every broadcast.
 */
public final class ParameterShipping implements AutoCloseable {
  /** Deltas since the base at most, by default. */
  public static final int MAX_DELTAS = 64;

  /** Delta entries since the base that may ride inside the tickets rather than in broadcasts. */
  public static final int INLINE_ENTRIES = BatchObjective.CLOSURE_LIMIT;

  private static final SecureRandom RUN_IDS = new SecureRandom();

  private final SparkContext sc;
  private final int numParams;
  private final int maxDeltas;
  private final long maxDeltaEntries;
  private final long runId;
  private final boolean paired;

  private long version = -1;
  private long baseVersion;
  private Broadcast<double[]> base;
  /** The deltas since the base, by version: the inline one, or null where broadcast. */
  private final List<ParameterDelta> inline = new ArrayList<>();
  private final List<Broadcast<ParameterDelta>> broadcast = new ArrayList<>();
  private long chainEntries;
  private long inlineEntries;
  private long bases;
  private boolean closed;

  /** Shipping of {@code numParams} parameters with the default bounds. */
  public ParameterShipping(SparkContext sc, int numParams) {
    this(sc, numParams, MAX_DELTAS, numParams);
  }

  /**
   * @param maxDeltas the deltas since the base at most before a new base is broadcast
   * @param maxDeltaEntries the changed coordinates summed over those deltas at most
   */
  public ParameterShipping(SparkContext sc, int numParams, int maxDeltas, long maxDeltaEntries) {
    this(sc, numParams, maxDeltas, maxDeltaEntries, false);
  }

  /**
   * Paired shipping of a model of {@code numParams} parameters: each call ships {@code v} and
   * {@code y}, {@code 2·numParams} values, with the default bounds (counted in those values).
   */
  public static ParameterShipping paired(SparkContext sc, int numParams) {
    return new ParameterShipping(sc, 2 * numParams, MAX_DELTAS, 2L * numParams, true);
  }

  private ParameterShipping(SparkContext sc, int numParams, int maxDeltas, long maxDeltaEntries,
      boolean paired) {
    if (numParams < 0 || maxDeltas < 0 || maxDeltaEntries < 0) {
      throw new IllegalArgumentException("numParams " + numParams + ", maxDeltas " + maxDeltas
          + " and maxDeltaEntries " + maxDeltaEntries + " must not be negative");
    }
    this.sc = sc;
    this.numParams = numParams;
    this.maxDeltas = maxDeltas;
    this.maxDeltaEntries = maxDeltaEntries;
    this.runId = RUN_IDS.nextLong();
    this.paired = paired;
  }

  /**
   * The ticket of the next version: {@code v} with the coefficient scale {@code scale}, where
   * {@code changed} lists the coordinates of {@code v} that differ from the previous version
   * (any order; repeats allowed), or is null when any may have changed. {@code v} and
   * {@code changed} are read during the call only: the caller may change them afterwards.
   *
   * @throws IllegalArgumentException when {@code v} has another length, {@code scale} is not
   *     finite, or a coordinate is out of range; nothing is shipped then
   */
  public ParameterTicket ship(double[] v, double scale, int[] changed) {
    return ship(v, scale, 0.0, changed);
  }

  /**
   * {@link #ship(double[], double, int[])} for paired shipping: {@code v} holds v and then y,
   * and the coefficients are {@code w_j = scale·v_j + secondScale·y_j}; {@code changed} lists
   * coordinates of that array.
   *
   * @throws IllegalArgumentException also for a nonzero or non-finite {@code secondScale} on
   *     unpaired shipping
   */
  public ParameterTicket ship(double[] v, double scale, double secondScale, int[] changed) {
    if (!Double.isFinite(secondScale) || (!paired && secondScale != 0.0)) {
      throw new IllegalArgumentException("the second scale is " + secondScale
          + (paired ? "" : " on shipping of one vector"));
    }
    if (closed) {
      throw new IllegalStateException("the parameter shipping of run "
          + Long.toHexString(runId) + " is closed");
    }
    if (v.length != numParams) {
      throw new IllegalArgumentException("shipping " + numParams + " parameters, got "
          + v.length);
    }
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException("the coefficient scale is " + scale);
    }
    boolean rebase = base == null || changed == null || inline.size() >= maxDeltas
        || chainEntries + changed.length > maxDeltaEntries;
    ParameterDelta delta = null;
    if (!rebase) {
      int[] coordinates = changed.clone();
      double[] values = new double[coordinates.length];
      for (int i = 0; i < coordinates.length; i++) {
        int j = coordinates[i];
        if (j < 0 || j >= numParams) {
          throw new IllegalArgumentException("changed coordinate " + j + " at position " + i
              + " is outside the " + numParams + " parameters");
        }
        values[i] = v[j];
      }
      delta = new ParameterDelta(coordinates, values);
    }
    version++;
    if (rebase) {
      destroyBroadcasts();
      base = sc.broadcast(v.clone(), DOUBLES);
      baseVersion = version;
      bases++;
    } else if (inlineEntries + delta.size() <= INLINE_ENTRIES) {
      inline.add(delta);
      broadcast.add(null);
      inlineEntries += delta.size();
      chainEntries += delta.size();
    } else {
      inline.add(null);
      broadcast.add(sc.broadcast(delta, DELTA));
      chainEntries += delta.size();
    }
    @SuppressWarnings("unchecked")
    Broadcast<ParameterDelta>[] handles = broadcast.toArray(new Broadcast[0]);
    Source source = new Source(base, baseVersion, inline.toArray(new ParameterDelta[0]),
        handles);
    return new ParameterTicket(runId, numParams, baseVersion, version, scale, secondScale,
        paired, source);
  }

  /** The version of the last ticket, −1 before the first. */
  public long version() {
    return version;
  }

  /** The version the current base holds. */
  public long baseVersion() {
    return baseVersion;
  }

  /** The bases broadcast so far. */
  public long bases() {
    return bases;
  }

  /** The broadcasts this shipping holds now: the base and the deltas since it that needed one. */
  public int liveBroadcasts() {
    int n = base == null ? 0 : 1;
    for (Broadcast<ParameterDelta> b : broadcast) {
      if (b != null) {
        n++;
      }
    }
    return n;
  }

  /** The run's id, which keys the executors' copies. */
  public long runId() {
    return runId;
  }

  /** Destroys every broadcast; the tickets shipped so far are then void. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      destroyBroadcasts();
    }
  }

  private void destroyBroadcasts() {
    if (base != null) {
      base.destroy();
      base = null;
    }
    for (Broadcast<ParameterDelta> b : broadcast) {
      if (b != null) {
        b.destroy();
      }
    }
    inline.clear();
    broadcast.clear();
    chainEntries = 0;
    inlineEntries = 0;
  }

  private static final ClassTag<double[]> DOUBLES = ClassTag$.MODULE$.apply(double[].class);
  private static final ClassTag<ParameterDelta> DELTA =
      ClassTag$.MODULE$.apply(ParameterDelta.class);

  /**
   * A ticket's base and deltas on the executors: the base broadcast, and each delta since it
   * inline or as its own broadcast.
   */
  static final class Source implements ParameterSource {
    private static final long serialVersionUID = 1L;

    private final Broadcast<double[]> base;
    private final long baseVersion;
    private final ParameterDelta[] inline;
    private final Broadcast<ParameterDelta>[] broadcast;

    Source(Broadcast<double[]> base, long baseVersion, ParameterDelta[] inline,
        Broadcast<ParameterDelta>[] broadcast) {
      this.base = base;
      this.baseVersion = baseVersion;
      this.inline = inline;
      this.broadcast = broadcast;
    }

    @Override
    public double[] base() {
      return base.value();
    }

    @Override
    public ParameterDelta delta(long version) {
      long i = version - baseVersion - 1;
      if (i < 0 || i >= inline.length) {
        throw new IllegalArgumentException("version " + version + " is not among the deltas "
            + (baseVersion + 1) + ".." + (baseVersion + inline.length) + " of this ticket");
      }
      ParameterDelta d = inline[(int) i];
      return d != null ? d : broadcast[(int) i].value();
    }

    /** The ids of the broadcasts this source reads: the base first. */
    long[] broadcastIds() {
      long[] ids = new long[1 + broadcast.length];
      int n = 0;
      ids[n++] = base.id();
      for (Broadcast<ParameterDelta> b : broadcast) {
        if (b != null) {
          ids[n++] = b.id();
        }
      }
      return java.util.Arrays.copyOf(ids, n);
    }
  }
}
