package descent.driver;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained linear model as saved in {@code model.json}: the model type, the feature count, one
 * coefficient per feature (coefficient j belongs to LIBSVM index j+1), the intercept, and the
 * training summary. Saved by writing a temporary file and renaming it, so a reader never sees a
 * partial model and a good one is never overwritten by a broken one.
 */
public final class LinearModel {
  // A plain tree mapper: no default typing, so no type id in a file names a class to create.
  // NaN and Infinity are parsed so that they are reported as non-finite numbers, not as syntax.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final ModelType modelType;
  private final double[] coefficients;
  private final double intercept;
  private final boolean fitIntercept;
  private final Map<String, Object> training;

  public LinearModel(ModelType modelType, double[] coefficients, double intercept,
      boolean fitIntercept, Map<String, Object> training) {
    this.modelType = modelType;
    this.coefficients = coefficients.clone();
    this.intercept = intercept;
    this.fitIntercept = fitIntercept;
    this.training = new LinkedHashMap<>(training);
  }

  /** The model of a run's final parameters {@code [w, b]}. */
  public static LinearModel of(TrainingConfig config, int numFeatures, double[] params,
      Map<String, Object> training) {
    double[] w = java.util.Arrays.copyOf(params, numFeatures);
    double b = config.fitIntercept() ? params[numFeatures] : 0.0;
    return new LinearModel(config.modelType(), w, b, config.fitIntercept(), training);
  }

  public ModelType modelType() {
    return modelType;
  }

  public int numFeatures() {
    return coefficients.length;
  }

  public double[] coefficients() {
    return coefficients.clone();
  }

  public double intercept() {
    return intercept;
  }

  public boolean fitIntercept() {
    return fitIntercept;
  }

  /** The training summary (steps, objective, stopReason, ...). */
  public Map<String, Object> training() {
    return new LinkedHashMap<>(training);
  }

  /** Parameters {@code [w, b]} (b present when the model fits an intercept). */
  public double[] params() {
    double[] p = java.util.Arrays.copyOf(coefficients, coefficients.length + (fitIntercept ? 1 : 0));
    if (fitIntercept) {
      p[coefficients.length] = intercept;
    }
    return p;
  }

  /** The JSON text of model.json. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("modelType", modelType.id());
    root.put("numFeatures", coefficients.length);
    ArrayNode coef = root.putArray("coefficients");
    for (double c : coefficients) {
      coef.add(c);
    }
    root.put("intercept", intercept);
    root.put("fitIntercept", fitIntercept);
    root.set("training", JSON.valueToTree(training));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code dir/model.json} through a temporary file and an atomic rename. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeAtomically(dir.resolve("model.json"), toJson());
  }

  /** Writes {@code text} to {@code target} via a temporary sibling and a rename. */
  public static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Reads a model from {@code path} (a model.json file or a directory holding one).
   *
   * @throws IllegalArgumentException naming the file and the problem when it is not a valid model
   */
  public static LinearModel load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve("model.json") : path;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + ": model file not found");
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String original = String.valueOf(e.getOriginalMessage());
      String problem = e instanceof JsonEOFException
          || original.startsWith("Unexpected end-of-input")
          ? "the file ends before the JSON does; is it truncated?"
          : original.lines().findFirst().orElse("");
      throw new IllegalArgumentException(file + ": not a valid model.json (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + problem + ")");
    }
    try {
      return fromJson(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": not a valid model.json (" + e.getMessage() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  static LinearModel fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the top level is not a JSON object");
    }
    JsonNode typeName = required(root, "modelType");
    if (!typeName.isTextual()) {
      throw new IllegalArgumentException(
          "modelType must be a string, linear or logistic, found " + shown(typeName));
    }
    ModelType type = ModelType.parse(typeName.asText());
    JsonNode nf = required(root, "numFeatures");
    if (!nf.canConvertToInt() || nf.asInt() < 0) {
      throw new IllegalArgumentException("numFeatures " + nf + " is not a non-negative integer");
    }
    JsonNode coef = required(root, "coefficients");
    if (!coef.isArray() || coef.size() != nf.asInt()) {
      throw new IllegalArgumentException("coefficients must be an array of numFeatures = "
          + nf.asInt() + " numbers, found " + (coef.isArray() ? coef.size() : shown(coef)));
    }
    double[] w = new double[coef.size()];
    for (int j = 0; j < w.length; j++) {
      w[j] = finite(coef.get(j), "coefficients[" + j + "]");
    }
    double b = finite(required(root, "intercept"), "intercept");
    boolean fit = root.has("fitIntercept") ? root.get("fitIntercept").asBoolean() : b != 0.0;
    Map<String, Object> training = root.has("training")
        ? JSON.convertValue(root.get("training"), Map.class) : Map.of();
    return new LinearModel(type, w, b, fit, training);
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    return node;
  }

  private static double finite(JsonNode node, String what) {
    if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw new IllegalArgumentException(what + " is not a finite number: " + shown(node));
    }
    return node.asDouble();
  }

  /** A node as JSON text for a message, cut at 80 characters. */
  private static String shown(JsonNode node) {
    // A number as written (NaN, not the string Jackson would quote it as); anything else as JSON.
    String text = node != null && node.isNumber() ? node.asText() : String.valueOf(node);
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
