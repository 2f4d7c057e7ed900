package descent.core;

import java.io.Serializable;

/**
 * Where an executor fetches the parameters of a {@link ParameterTicket}: the base vector and the
 * deltas that lead from it to the ticket's version. The driver implements it over its broadcasts
 * (or carries small deltas inline); worker-core only reads it, so the executor's copy needs no
 * Spark.
 */
public interface ParameterSource extends Serializable {

  /**
   * The parameters of the ticket's base version. Callers copy it and never write into it: in
   * local mode it may be the very array the driver broadcast.
   */
  double[] base();

  /**
   * The delta that takes version {@code version − 1} to {@code version}, for
   * {@code base < version ≤} the ticket's version.
   */
  ParameterDelta delta(long version);
}
