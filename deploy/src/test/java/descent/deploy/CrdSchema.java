package descent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a Kubernetes object against the OpenAPI v3 schema of a CustomResourceDefinition version
 * the way the API server treats it: a field the schema does not declare is an error here (the
 * server would silently drop it, so a misspelled option would vanish), and so are a value of the
 * wrong type, a missing required field and a value outside an enum. It reads {@code type},
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code required}, {@code enum},
 * {@code x-kubernetes-int-or-string} and {@code x-kubernetes-preserve-unknown-fields}; an object
 * schema with neither properties nor additionalProperties (such as {@code metadata}, which the
 * server checks itself) takes any fields.
 */
final class CrdSchema {
  private CrdSchema() {}

  /** The {@code openAPIV3Schema} of version {@code version} of the CRD {@code crd}. */
  static JsonNode versionSchema(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("name").asText().equals(version)) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    throw new IllegalArgumentException("the CRD has no version " + version);
  }

  /** Every way {@code value} breaks {@code schema}, one line each naming the field's path. */
  static List<String> problems(JsonNode value, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "", problems);
    return problems;
  }

  private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
    String at = path.isEmpty() ? "(top level)" : path;
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        problems.add(at + ": an integer or a string, not " + shown(value));
      }
      return;
    }
    String type = schema.path("type").asText("");
    if (!type.isEmpty() && !hasType(value, type)) {
      problems.add(at + ": " + ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type
          + ", not " + shown(value));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        problems.add(at + ": one of " + schema.get("enum") + ", not " + shown(value));
      }
    }
    if (value.isObject()) {
      for (JsonNode name : schema.path("required")) {
        if (!value.has(name.asText())) {
          problems.add(at + ": the required field " + name.asText() + " is missing");
        }
      }
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          || (properties.isMissingNode() && additional == null);
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        if (properties.has(f.getKey())) {
          check(f.getValue(), properties.get(f.getKey()), child, problems);
        } else if (additional != null && additional.isObject()) {
          check(f.getValue(), additional, child, problems);
        } else if (!open && !(additional != null && additional.asBoolean(false))) {
          problems.add(child + ": no such field in the schema (the API server would drop it)");
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), schema.get("items"), path + "[" + i + "]", problems);
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  private static String shown(JsonNode value) {
    return value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
  }
}
