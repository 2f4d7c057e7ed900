package descent.driver;

/**
 * The state of an {@link Optimizer}: everything it needs to continue bit for bit (moments,
 * history, the step count), as one record per optimizer, so a checkpoint holds typed state
 * rather than arrays under string keys. {@link Optimizer#state()} gives one and
 * {@link Optimizer#restore} takes it back; {@link StateJson} writes and reads it as JSON, with
 * a {@code "type"} field holding the optimizer's command-line name.
 *
 * <p>Arrays in a state are the state's own: the optimizer copies them both ways. Like every
 * Java record, a state compares its arrays by identity; compare states field by field, or their
 * {@link StateJson#toTree} trees.
 */
public interface OptimizerState {}
