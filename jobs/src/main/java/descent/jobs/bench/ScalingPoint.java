package descent.jobs.bench;

/**
 * One size of a {@code --scaling} run: the epoch, the floor and Spark's empty job, each the
 * median seconds of its rounds, with the size's cached and raw bytes. Seconds per million rows
 * are what the sizes are compared by.
 */
record ScalingPoint(long rows, double secondsPerEpoch, double floorSeconds, double jobSeconds,
    long cachedBytes, long rawBytes) {

  /** The epoch's seconds per million rows. */
  double secondsPerMillionRows() {
    return secondsPerEpoch / (rows / 1e6);
  }

  /** The floor pass's seconds per million rows. */
  double floorSecondsPerMillionRows() {
    return floorSeconds / (rows / 1e6);
  }

  /** The epoch less Spark's empty job, per million rows: descent's own part of the epoch. */
  double netSecondsPerMillionRows() {
    return (secondsPerEpoch - jobSeconds) / (rows / 1e6);
  }

  /** Spark's cached bytes of the size's blocks against their raw arrays. */
  double cachedRatio() {
    return (double) cachedBytes / rawBytes;
  }
}
