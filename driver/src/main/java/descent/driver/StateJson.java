package descent.driver;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import descent.driver.optim.Adagrad;
import descent.driver.optim.Adam;
import descent.driver.optim.AdamW;
import descent.driver.optim.DeltaBarDelta;
import descent.driver.optim.Lamb;
import descent.driver.optim.Lbfgs;
import descent.driver.optim.MomentumSgd;
import descent.driver.optim.Newton;
import descent.driver.optim.RmsProp;
import descent.driver.schedule.LinearWarmup;
import descent.driver.schedule.ReduceLrOnPlateau;
import descent.driver.schedule.ScheduleState;
import descent.driver.schedule.SequentialSchedule;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for {@link OptimizerState} and {@link ScheduleState}: one shared, configured Jackson
 * mapper, so that a checkpoint written by one run is read by the next exactly. Every double
 * round-trips bit for bit (Jackson writes the shortest decimal that parses back to the same
 * value), and NaN, +Infinity and −Infinity, which JSON numbers cannot hold, are written as the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} and read back as themselves.
 *
 * <p>The {@code "type"} names come from one fixed table of record classes here (the optimizers'
 * command-line names; {@code none}, {@code plateau}, {@code warmup} and {@code chain} for
 * schedules): a document never names a Java class, so reading one cannot instantiate anything
 * else.
 *
 * <p>Reading is strict, so a damaged or foreign state fails here rather than being half used:
 * an unknown {@code "type"} or field, a missing field (every field is written, null where a
 * state holds no array), a null where a number belongs and a fraction where a count belongs are
 * errors. Shapes and ranges are then checked by the {@code restore} of the optimizer or
 * schedule that takes the state.
 */
public final class StateJson {

  private static final Map<String, Class<? extends OptimizerState>> OPTIMIZER_TYPES =
      new LinkedHashMap<>();
  private static final Map<String, Class<? extends ScheduleState>> SCHEDULE_TYPES =
      new LinkedHashMap<>();

  static {
    OPTIMIZER_TYPES.put("sgd", MomentumSgd.State.class);
    OPTIMIZER_TYPES.put("adagrad", Adagrad.State.class);
    OPTIMIZER_TYPES.put("rmsprop", RmsProp.State.class);
    OPTIMIZER_TYPES.put("adam", Adam.State.class);
    OPTIMIZER_TYPES.put("adamw", AdamW.State.class);
    OPTIMIZER_TYPES.put("lamb", Lamb.State.class);
    OPTIMIZER_TYPES.put("delta-bar-delta", DeltaBarDelta.State.class);
    OPTIMIZER_TYPES.put("newton", Newton.State.class);
    OPTIMIZER_TYPES.put("lbfgs", Lbfgs.State.class);
    SCHEDULE_TYPES.put("none", ScheduleState.Stateless.class);
    SCHEDULE_TYPES.put("plateau", ReduceLrOnPlateau.State.class);
    SCHEDULE_TYPES.put("warmup", LinearWarmup.State.class);
    SCHEDULE_TYPES.put("chain", SequentialSchedule.State.class);
  }

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new SimpleModule("descent-state")
          .addSerializer(OptimizerState.class, new Typed<>(OptimizerState.class, OPTIMIZER_TYPES))
          .addDeserializer(OptimizerState.class,
              new Typed<>(OptimizerState.class, OPTIMIZER_TYPES).reader())
          .addSerializer(ScheduleState.class, new Typed<>(ScheduleState.class, SCHEDULE_TYPES))
          .addDeserializer(ScheduleState.class,
              new Typed<>(ScheduleState.class, SCHEDULE_TYPES).reader()))
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
    for (Map<String, ? extends Class<?>> types : java.util.List.of(OPTIMIZER_TYPES,
        SCHEDULE_TYPES)) {
      for (Map.Entry<String, ? extends Class<?>> t : types.entrySet()) {
        if (t.getValue() == state.getClass()) {
          return t.getKey();
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

  /**
   * A state record as a JSON object: its {@code "type"} from {@code types}, then each record
   * component by name; read back strictly (an unknown type or field, or a missing field, is an
   * error naming it).
   */
  private static final class Typed<T> extends StdSerializer<T> {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Class<? extends T>> types;

    Typed(Class<T> base, Map<String, Class<? extends T>> types) {
      super(base);
      this.types = types;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      String name = null;
      for (Map.Entry<String, Class<? extends T>> t : types.entrySet()) {
        if (t.getValue() == value.getClass()) {
          name = t.getKey();
        }
      }
      if (name == null) {
        throw JsonMappingException.from(gen, value.getClass().getName()
            + " is not a state descent writes");
      }
      gen.writeStartObject();
      gen.writeStringField("type", name);
      for (RecordComponent c : value.getClass().getRecordComponents()) {
        gen.writeFieldName(c.getName());
        provider.defaultSerializeValue(component(c, value), gen);
      }
      gen.writeEndObject();
    }

    private static Object component(RecordComponent c, Object record) throws IOException {
      try {
        return c.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IOException("cannot read " + c.getName() + " of " + record.getClass(), e);
      }
    }

    StdDeserializer<T> reader() {
      return new StdDeserializer<T>(handledType()) {
        private static final long serialVersionUID = 1L;

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
          JsonNode tree = ctxt.readTree(p);
          if (!tree.isObject()) {
            throw JsonMappingException.from(p, "expected an object with a \"type\", got " + tree);
          }
          JsonNode type = tree.get("type");
          if (type == null || !type.isTextual()) {
            throw JsonMappingException.from(p, "the field \"type\" is missing; expected one of "
                + types.keySet());
          }
          Class<? extends T> cls = types.get(type.asText());
          if (cls == null) {
            throw JsonMappingException.from(p, "unknown type \"" + type.asText()
                + "\"; expected one of " + types.keySet());
          }
          RecordComponent[] components = cls.getRecordComponents();
          Map<String, RecordComponent> byName = new LinkedHashMap<>();
          for (RecordComponent c : components) {
            byName.put(c.getName(), c);
          }
          for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("type") && !byName.containsKey(field)) {
              throw JsonMappingException.from(p, "Unrecognized field \"" + field + "\" in a "
                  + type.asText() + " state; expected " + byName.keySet());
            }
          }
          Object[] args = new Object[components.length];
          Class<?>[] parameterTypes = new Class<?>[components.length];
          for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            JsonNode v = tree.get(c.getName());
            if (v == null) {
              throw JsonMappingException.from(p, "the field \"" + c.getName()
                  + "\" of a " + type.asText() + " state is missing");
            }
            try {
              args[i] = ctxt.readTreeAsValue(v, ctxt.constructType(c.getGenericType()));
            } catch (JsonMappingException e) {
              throw JsonMappingException.wrapWithPath(e, cls, c.getName());
            }
          }
          try {
            return cls.getDeclaredConstructor(parameterTypes).newInstance(args);
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
              throw r;
            }
            throw new IOException(e.getCause());
          } catch (ReflectiveOperationException e) {
            throw new IOException("cannot build a " + type.asText() + " state", e);
          }
        }
      };
    }
  }
}
