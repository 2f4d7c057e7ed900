package descent.driver;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import descent.driver.schedule.ScheduleState;

/**
 * JSON for {@link OptimizerState} and {@link ScheduleState}: one shared, configured Jackson
 * mapper, so that a checkpoint written by one run is read by the next exactly. Every double
 * round-trips bit for bit (Jackson writes the shortest decimal that parses back to the same
 * value), and NaN, +Infinity and −Infinity, which JSON numbers cannot hold, are written as the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} and read back as themselves.
 *
 * <p>Reading is strict, so a damaged or foreign state fails here rather than being half used:
 * an unknown {@code "type"} or field, a missing field (every field is written, null where a
 * state holds no array), a null where a number belongs and a fraction where a count belongs are
 * errors. Shapes and ranges are then checked by the {@code restore} of the optimizer or
 * schedule that takes the state.
 */
public final class StateJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .build();

  private StateJson() {}

  /**
   * The shared mapper, for embedding states in a larger JSON document (a checkpoint): a field
   * typed {@link OptimizerState} or {@link ScheduleState} is written with its {@code "type"}.
   * Do not reconfigure it; {@link ObjectMapper#copy()} it to change a setting.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code state} as a JSON document, with its {@code "type"}. */
  public static String toJson(OptimizerState state) {
    return write(state, OptimizerState.class);
  }

  /** {@code state} as a JSON document, with its {@code "type"}. */
  public static String toJson(ScheduleState state) {
    return write(state, ScheduleState.class);
  }

  /** {@code state} as a JSON tree, with its {@code "type"}. */
  public static JsonNode toTree(OptimizerState state) {
    return MAPPER.valueToTree(state);
  }

  /** {@code state} as a JSON tree, with its {@code "type"}. */
  public static JsonNode toTree(ScheduleState state) {
    return MAPPER.valueToTree(state);
  }

  /**
   * The optimizer state written by {@link #toJson(OptimizerState)}.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code json} is not one
   */
  public static OptimizerState optimizerState(String json) {
    return read(json, OptimizerState.class, "an optimizer state");
  }

  /** The optimizer state in {@code tree}, as {@link #optimizerState(String)}. */
  public static OptimizerState optimizerState(JsonNode tree) {
    return read(tree, OptimizerState.class, "an optimizer state");
  }

  /**
   * The schedule state written by {@link #toJson(ScheduleState)}.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code json} is not one
   */
  public static ScheduleState scheduleState(String json) {
    return read(json, ScheduleState.class, "a schedule state");
  }

  /** The schedule state in {@code tree}, as {@link #scheduleState(String)}. */
  public static ScheduleState scheduleState(JsonNode tree) {
    return read(tree, ScheduleState.class, "a schedule state");
  }

  /**
   * The {@code "type"} under which {@code state} is written: the optimizer's command-line name
   * for an {@link OptimizerState}, the schedule's for a {@link ScheduleState}, or the class name
   * of anything else (for error messages).
   */
  public static String typeName(Object state) {
    if (state == null) {
      return "null";
    }
    for (Class<?> base : new Class<?>[] {OptimizerState.class, ScheduleState.class}) {
      for (JsonSubTypes.Type t : base.getAnnotation(JsonSubTypes.class).value()) {
        if (t.value() == state.getClass()) {
          return t.name();
        }
      }
    }
    return state.getClass().getName();
  }

  private static String write(Object state, Class<?> type) {
    if (state == null) {
      throw new IllegalArgumentException("the state to write is null");
    }
    try {
      return MAPPER.writerFor(type).writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + typeName(state) + " state as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  private static <T> T read(String json, Class<T> type, String what) {
    if (json == null) {
      throw new IllegalArgumentException("cannot read " + what + " from null");
    }
    try {
      return notNull(MAPPER.readValue(json, type), what);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + what + " from JSON" + where(e) + ": "
          + e.getOriginalMessage(), e);
    }
  }

  private static <T> T read(JsonNode tree, Class<T> type, String what) {
    if (tree == null) {
      throw new IllegalArgumentException("cannot read " + what + " from null");
    }
    try {
      return notNull(MAPPER.treeToValue(tree, type), what);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + what + " from JSON" + where(e) + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /** " at expAvg[2]", say: the field where reading failed, or nothing when not known. */
  private static String where(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "" : " at " + path;
  }

  private static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("cannot read " + what + " from JSON null");
    }
    return value;
  }
}
