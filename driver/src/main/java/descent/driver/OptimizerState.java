package descent.driver;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import descent.driver.optim.Adagrad;
import descent.driver.optim.Adam;
import descent.driver.optim.AdamW;
import descent.driver.optim.DeltaBarDelta;
import descent.driver.optim.Lamb;
import descent.driver.optim.Lbfgs;
import descent.driver.optim.MomentumSgd;
import descent.driver.optim.Newton;
import descent.driver.optim.RmsProp;

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
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MomentumSgd.State.class, name = "sgd"),
    @JsonSubTypes.Type(value = Adagrad.State.class, name = "adagrad"),
    @JsonSubTypes.Type(value = RmsProp.State.class, name = "rmsprop"),
    @JsonSubTypes.Type(value = Adam.State.class, name = "adam"),
    @JsonSubTypes.Type(value = AdamW.State.class, name = "adamw"),
    @JsonSubTypes.Type(value = Lamb.State.class, name = "lamb"),
    @JsonSubTypes.Type(value = DeltaBarDelta.State.class, name = "delta-bar-delta"),
    @JsonSubTypes.Type(value = Newton.State.class, name = "newton"),
    @JsonSubTypes.Type(value = Lbfgs.State.class, name = "lbfgs")})
public interface OptimizerState {}
