package descent.core;

import java.io.Serializable;

/**
 * What a task carries to compute with exactly the parameters of one evaluation: the run, the
 * version {@code t} (the parameters of the run's evaluation t), the coefficient scale of that
 * version, and where to fetch the base version {@code b ≤ t} and the deltas {@code b+1..t}.
 * The parameters are {@code w_j = scale·v_j} for the coefficients and {@code v_j} for the
 * intercepts; an executor keeps {@code v} per run and JVM in {@link ParameterCopies} and brings
 * it to version t with the deltas it lacks, so a step that changed few coordinates ships those
 * only.
 *
 * <p>A paired ticket ships {@code v} and then a second vector {@code y} of the same length in
 * one array of {@link #numParams()} = twice the model's parameters, and the coefficients are
 * {@code w_j = scale·v_j + secondScale·y_j}: a sparse momentum step keeps its model so.
 */
public final class ParameterTicket implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long runId;
  private final int numParams;
  private final long baseVersion;
  private final long version;
  private final double scale;
  private final double secondScale;
  private final boolean paired;
  private final ParameterSource source;

  /**
   * @param runId the shipping run; versions of different runs never mix
   * @param numParams the length of v
   * @param baseVersion the version {@link ParameterSource#base()} holds
   * @param version this ticket's version, at least {@code baseVersion}
   * @param scale the coefficient scale of this version
   */
  public ParameterTicket(long runId, int numParams, long baseVersion, long version, double scale,
      ParameterSource source) {
    this(runId, numParams, baseVersion, version, scale, 0.0, false, source);
  }

  /**
   * @param numParams the length of the shipped array: twice the model's parameters when
   *     {@code paired}
   * @param secondScale y's scale; 0 unless {@code paired}
   * @param paired whether the shipped array holds v and then y
   */
  public ParameterTicket(long runId, int numParams, long baseVersion, long version, double scale,
      double secondScale, boolean paired, ParameterSource source) {
    if (!paired && secondScale != 0.0) {
      throw new IllegalArgumentException("a second scale " + secondScale + " needs a paired"
          + " ticket");
    }
    if (paired && numParams % 2 != 0) {
      throw new IllegalArgumentException("a paired ticket ships v and y of one length, not "
          + numParams + " values");
    }
    if (version < baseVersion) {
      throw new IllegalArgumentException("version " + version + " precedes its base "
          + baseVersion);
    }
    if (numParams < 0) {
      throw new IllegalArgumentException("numParams " + numParams + " is negative");
    }
    this.runId = runId;
    this.numParams = numParams;
    this.baseVersion = baseVersion;
    this.version = version;
    this.scale = scale;
    this.secondScale = secondScale;
    this.paired = paired;
    this.source = source;
  }

  public long runId() {
    return runId;
  }

  public int numParams() {
    return numParams;
  }

  public long baseVersion() {
    return baseVersion;
  }

  public long version() {
    return version;
  }

  /** The coefficient scale: {@code w_j = scale·v_j}. */
  public double scale() {
    return scale;
  }

  /** y's scale: {@code w_j = scale·v_j + secondScale·y_j}; 0 for an unpaired ticket. */
  public double secondScale() {
    return secondScale;
  }

  /** Whether the shipped array holds v and then y, each {@code numParams()/2} long. */
  public boolean paired() {
    return paired;
  }

  public ParameterSource source() {
    return source;
  }

  @Override
  public String toString() {
    return "ParameterTicket(run " + Long.toHexString(runId) + ", version " + version + " on base "
        + baseVersion + ", scale " + scale + (paired ? ", second scale " + secondScale : "")
        + ")";
  }
}
