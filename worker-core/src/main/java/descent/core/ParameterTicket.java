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
 */
public final class ParameterTicket implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long runId;
  private final int numParams;
  private final long baseVersion;
  private final long version;
  private final double scale;
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

  public ParameterSource source() {
    return source;
  }

  @Override
  public String toString() {
    return "ParameterTicket(run " + Long.toHexString(runId) + ", version " + version + " on base "
        + baseVersion + ", scale " + scale + ")";
  }
}
