/**
 * {@code descent bench}: descent's gradient steps timed against Spark MLlib's and Spark ML's on
 * the same cached data in one session, with the floor and Spark's empty job to measure them by,
 * a scaling run over row counts and a soak of the driver's heap. The command
 * ({@link descent.jobs.bench.BenchCommand}) hands each mode to a run ({@code ComparisonRun},
 * {@code ScalingRun}, {@code SoakRun}); the runs time bodies round-robin ({@code Rounds}), keyed by
 * {@code StepKind}, and hand the medians to a report that prints them, writes CSV and JSON, and
 * judges them against {@code BenchTargets}.
 */
package descent.jobs.bench;
