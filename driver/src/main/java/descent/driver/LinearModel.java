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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained linear model as saved in {@code model.json}: the model type, the feature count, one
 * coefficient per feature (coefficient j belongs to LIBSVM index j+1) and the intercept, or for
 * a K-class softmax model a K×d {@code coefficientMatrix} and K {@code intercepts}; plus the
 * training summary. A model trained on hashed LIBSVM indices records the hashing
 * ({@code featureHashing}: bits, hash and seed, see {@link descent.core.FeatureHashing}), so that
 * whatever reads data for it hashes the same way. Saved by writing a temporary file and renaming it, so a reader never sees a
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
  private final int numFeatures;
  /** K×d row-major (K = 1 unless softmax). */
  private final double[] coefficients;
  private final double[] intercepts;
  private final boolean fitIntercept;
  private final double huberDelta;
  private final Map<String, Object> training;
  /** Bits of the feature hashing the model was trained with; 0 without hashing. */
  private int hashBits;
  /** A network's layout, or null for a linear model. */
  private NetworkSpec network;
  /** A network's parameters {@code [W_1 .. W_{L+1}, b_1 .. b_{L+1}]} (see MlpLoss). */
  private double[] networkParams;
  /** A network's outputs: K for a softmax output, else 1. */
  private int networkOutputs;
  /** A batch-normalized network's statistics for inference, else null. */
  private descent.core.BatchNormStatistics batchNorm;

  /** A model with one output: coefficients {@code w} and intercept {@code b}. */
  public LinearModel(ModelType modelType, double[] coefficients, double intercept,
      boolean fitIntercept, Map<String, Object> training) {
    this(modelType, coefficients.length, coefficients, new double[] {intercept}, fitIntercept,
        ModelType.DEFAULT_HUBER_DELTA, training);
  }

  private LinearModel(ModelType modelType, int numFeatures, double[] coefficients,
      double[] intercepts, boolean fitIntercept, double huberDelta, Map<String, Object> training) {
    this(modelType, numFeatures, coefficients, intercepts, fitIntercept, huberDelta, training,
        false);
  }

  private LinearModel(ModelType modelType, int numFeatures, double[] coefficients,
      double[] intercepts, boolean fitIntercept, double huberDelta, Map<String, Object> training,
      boolean isNetwork) {
    if (!isNetwork && coefficients.length != (long) intercepts.length * numFeatures) {
      throw new IllegalArgumentException(intercepts.length + " outputs of " + numFeatures
          + " features need " + (long) intercepts.length * numFeatures + " coefficients, got "
          + coefficients.length);
    }
    if (!isNetwork
        && (modelType.isMulticlass() ? intercepts.length < 2 : intercepts.length != 1)) {
      throw new IllegalArgumentException("a " + modelType.id() + " model cannot have "
          + intercepts.length + " outputs");
    }
    this.modelType = modelType;
    this.numFeatures = numFeatures;
    this.coefficients = coefficients.clone();
    this.intercepts = intercepts.clone();
    this.fitIntercept = fitIntercept;
    this.huberDelta = huberDelta;
    this.training = new LinkedHashMap<>(training);
  }

  /**
   * The model of parameters {@code [W (K×d row-major), b_0..b_{K−1}]} (the intercepts present
   * when the model fits them), with K = 1 except for softmax.
   */
  public static LinearModel of(ModelType modelType, int numFeatures, boolean fitIntercept,
      double huberDelta, double[] params, Map<String, Object> training) {
    int perOutput = numFeatures + (fitIntercept ? 1 : 0);
    if (perOutput == 0 || params.length % perOutput != 0) {
      throw new IllegalArgumentException(params.length + " parameters do not fit " + numFeatures
          + " features" + (fitIntercept ? " and intercepts" : ""));
    }
    int k = params.length / perOutput;
    double[] w = java.util.Arrays.copyOf(params, k * numFeatures);
    double[] b = fitIntercept ? java.util.Arrays.copyOfRange(params, k * numFeatures, params.length)
        : new double[k];
    return new LinearModel(modelType, numFeatures, w, b, fitIntercept, huberDelta, training);
  }

  /** The model of a run's final parameters (see {@link #of(ModelType, int, boolean, double, double[], Map)}). */
  public static LinearModel of(TrainingConfig config, int numFeatures, double[] params,
      Map<String, Object> training) {
    if (config.modelType().isNetwork()) {
      return ofNetwork(config.network(), numFeatures, params, training);
    }
    return of(config.modelType(), numFeatures, config.fitIntercept(), config.huberDelta(), params,
        training);
  }

  /**
   * The model a run trained: its final parameters and, for a batch-normalized network, its
   * statistics for inference.
   */
  public static LinearModel of(TrainingConfig config, int numFeatures, TrainingResult result,
      Map<String, Object> training) {
    LinearModel model = of(config, numFeatures, result.params(), training);
    return result.batchNorm() == null ? model : model.withBatchNorm(result.batchNorm());
  }

  /**
   * The {@link ModelType#MLP} model of layout {@code network} on {@code numFeatures} inputs with
   * parameters {@code params} (see {@link descent.core.MlpLoss}); the number of outputs follows
   * from their count.
   */
  public static LinearModel ofNetwork(NetworkSpec network, int numFeatures, double[] params,
      Map<String, Object> training) {
    // The hidden layers' weights and biases, then n_L + 1 an output (its weights and bias).
    int[] hidden = network.hidden();
    long fixed = 0;
    for (int l = 0; l < hidden.length; l++) {
      fixed += (long) hidden[l] * ((l == 0 ? numFeatures : hidden[l - 1]) + 1);
      if (network.batchNorm()) {
        fixed += hidden[l];
      }
    }
    int perOutput = hidden[hidden.length - 1] + 1;
    int k = (int) ((params.length - fixed) / perOutput);
    if (k < 1 || fixed + k * perOutput != params.length
        || (network.output() == descent.core.OutputLoss.SOFTMAX ? k < 2 : k != 1)) {
      throw new IllegalArgumentException(params.length + " parameters do not fit a network of "
          + numFeatures + " features and " + network);
    }
    LinearModel m = new LinearModel(ModelType.MLP, numFeatures, new double[0], new double[0],
        true, ModelType.DEFAULT_HUBER_DELTA, training, true);
    m.network = network;
    m.networkParams = params.clone();
    m.networkOutputs = k;
    return m;
  }

  /** A network's layout, or null for a linear model. */
  public NetworkSpec network() {
    return network;
  }

  /**
   * The linear model whose loss the outputs have, which decides the labels and predictions:
   * the model type itself, or a network's {@link NetworkSpec#outputType()}.
   */
  public ModelType outputType() {
    return network != null ? network.outputType() : modelType;
  }

  public ModelType modelType() {
    return modelType;
  }

  public int numFeatures() {
    return numFeatures;
  }

  /** Outputs per row: K for softmax, else 1. */
  public int numOutputs() {
    return network != null ? networkOutputs : intercepts.length;
  }

  /** The coefficients of a one-output model ({@code K·d} values, row-major, for softmax). */
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** The K×d coefficients, one row per output. */
  public double[][] coefficientMatrix() {
    double[][] m = new double[intercepts.length][];
    for (int k = 0; k < m.length; k++) {
      m[k] = java.util.Arrays.copyOfRange(coefficients, k * numFeatures, (k + 1) * numFeatures);
    }
    return m;
  }

  /** The intercept of a one-output model. */
  public double intercept() {
    return intercepts[0];
  }

  /** The K intercepts (one for a one-output model). */
  public double[] intercepts() {
    return intercepts.clone();
  }

  public boolean fitIntercept() {
    return fitIntercept;
  }

  /**
   * This model, recorded as trained on LIBSVM indices hashed into {@code 2^bits} features
   * ({@code bits} 0: no hashing).
   *
   * @throws IllegalArgumentException when the model does not have {@code 2^bits} features
   */
  public LinearModel withFeatureHashing(int bits) {
    if (bits != 0) {
      new descent.core.FeatureHashing(bits);
      if (numFeatures != 1 << bits) {
        throw new IllegalArgumentException("feature hashing of " + bits + " bits makes "
            + (1 << bits) + " features; the model has " + numFeatures);
      }
    }
    LinearModel m = new LinearModel(modelType, numFeatures, coefficients, intercepts,
        fitIntercept, huberDelta, training, network != null);
    m.network = network;
    m.networkParams = networkParams;
    m.networkOutputs = networkOutputs;
    m.batchNorm = batchNorm;
    m.hashBits = bits;
    return m;
  }

  /** Bits of the feature hashing the model was trained with ({@code 2^bits} features); 0: none. */
  public int hashBits() {
    return hashBits;
  }

  /** Huber's δ (meaningful for the Huber model only). */
  public double huberDelta() {
    return huberDelta;
  }

  /**
   * The loss this model was trained with; a batch-normalized network's normalizes with its
   * statistics for inference.
   */
  public descent.core.Loss loss() {
    if (network != null && network.batchNorm()) {
      if (batchNorm == null) {
        throw new IllegalStateException("the batch-normalized network " + network + " has no"
            + " statistics for inference");
      }
      return network.loss(networkOutputs).withStatistics(batchNorm);
    }
    return network != null ? network.loss(networkOutputs)
        : modelType.loss(intercepts.length, huberDelta);
  }

  /**
   * This batch-normalized network with its statistics for inference: the mean and variance of
   * every hidden unit ({@link BatchObjective#inferenceStatistics}). Returns this model.
   */
  public LinearModel withBatchNorm(descent.core.BatchNormStatistics statistics) {
    if (network == null || !network.batchNorm()) {
      throw new IllegalStateException("only a batch-normalized network takes batch statistics");
    }
    if (!statistics.isFixed()) {
      throw new IllegalArgumentException("a model normalizes with constants for inference");
    }
    batchNorm = statistics;
    return this;
  }

  /** A batch-normalized network's statistics for inference, or null. */
  public descent.core.BatchNormStatistics batchNorm() {
    return batchNorm;
  }

  /** The training summary (steps, objective, stopReason, ...). */
  public Map<String, Object> training() {
    return new LinkedHashMap<>(training);
  }

  /** Parameters {@code [W, b]} as the trainer lays them out (b present when the model fits it). */
  public double[] params() {
    if (network != null) {
      return networkParams.clone();
    }
    double[] p = java.util.Arrays.copyOf(coefficients,
        coefficients.length + (fitIntercept ? intercepts.length : 0));
    if (fitIntercept) {
      System.arraycopy(intercepts, 0, p, coefficients.length, intercepts.length);
    }
    return p;
  }

  /** The JSON text of model.json. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("modelType", modelType.id());
    root.put("numFeatures", numFeatures);
    if (hashBits > 0) {
      ObjectNode hashing = root.putObject("featureHashing");
      hashing.put("bits", hashBits);
      hashing.put("hash", descent.core.FeatureHashing.HASH);
      hashing.put("seed", descent.core.FeatureHashing.SEED);
    }
    if (network != null) {
      NetworkJson.write(root, network, numFeatures, networkOutputs, networkParams, batchNorm);
    } else if (modelType.isMulticlass()) {
      root.put("numClasses", intercepts.length);
      ArrayNode matrix = root.putArray("coefficientMatrix");
      for (double[] row : coefficientMatrix()) {
        ArrayNode r = matrix.addArray();
        for (double c : row) {
          r.add(c);
        }
      }
      ArrayNode b = root.putArray("intercepts");
      for (double c : intercepts) {
        b.add(c);
      }
    } else {
      ArrayNode coef = root.putArray("coefficients");
      for (double c : coefficients) {
        coef.add(c);
      }
      root.put("intercept", intercepts[0]);
    }
    root.put("fitIntercept", fitIntercept);
    if (modelType.usesHuberDelta()) {
      root.put("huberDelta", huberDelta);
    }
    root.set("training", JSON.valueToTree(training));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The name of the model file in a model directory. */
  public static final String FILE = "model.json";

  /** Writes {@code dir/model.json} through a temporary file and an atomic rename. */
  public void save(Path dir) throws IOException {
    save(OutputDir.of(dir));
  }

  /**
   * Writes {@code model.json} into {@code dir} (created when missing, on any file system) under a
   * temporary name, then renames it over the old one (see {@link OutputDir#writeAtomically}).
   */
  public void save(OutputDir dir) throws IOException {
    dir.create();
    dir.writeAtomically(FILE, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code text} to {@code target} via a temporary sibling and a rename. */
  public static void writeAtomically(Path target, String text) throws IOException {
    Path parent = target.getParent();
    OutputDir.of(parent == null ? Path.of("") : parent)
        .writeAtomically(target.getFileName().toString(), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a model from {@code path} (a model.json file or a directory holding one).
   *
   * @throws IllegalArgumentException naming the file and the problem when it is not a valid model
   */
  public static LinearModel load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + ": model file not found");
    }
    return parse(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Reads a model from {@code location}: a local path or a Hadoop URI ({@code hdfs://...}) of a
   * model.json file or of a directory holding one.
   *
   * @throws IllegalArgumentException naming the file and the problem when it is not a valid model
   */
  public static LinearModel load(String location) throws IOException {
    if (OutputDir.isLocal(location)) {
      return load(OutputDir.localPath(location));
    }
    OutputDir dir = OutputDir.of(location);
    String name = FILE;
    if (!dir.isDirectory()) {
      dir = OutputDir.parentOf(location);
      name = OutputDir.nameOf(location);
    }
    if (!dir.isFile(name)) {
      throw new IllegalArgumentException(dir.file(name) + ": model file not found");
    }
    return parse(dir.file(name), dir.readAllBytes(name));
  }

  /**
   * The model file that {@code location} (a directory or the file, local or a Hadoop URI)
   * names, as given, for messages; {@code absolute} makes it an absolute path or a qualified URI.
   */
  public static String modelFile(String location, boolean absolute) throws IOException {
    if (OutputDir.isLocal(location)) {
      Path path = OutputDir.localPath(location);
      Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
      return absolute ? file.toAbsolutePath().normalize().toString() : file.toString();
    }
    OutputDir dir = OutputDir.of(location);
    String name = FILE;
    if (!dir.isDirectory()) {
      dir = OutputDir.parentOf(location);
      name = OutputDir.nameOf(location);
    }
    return absolute ? OutputDir.of(dir.absolute()).file(name) : dir.file(name);
  }

  /** The model in {@code bytes}, the content of {@code file}; errors name {@code file}. */
  public static LinearModel parse(String file, byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
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
          "modelType must be a string, " + ModelType.names() + ", found " + shown(typeName));
    }
    ModelType type = ModelType.parse(typeName.asText());
    JsonNode nf = required(root, "numFeatures");
    if (!nf.canConvertToInt() || nf.asInt() < 0) {
      throw new IllegalArgumentException("numFeatures " + nf + " is not a non-negative integer");
    }
    int d = nf.asInt();
    double huberDelta = ModelType.DEFAULT_HUBER_DELTA;
    if (root.has("huberDelta")) {
      huberDelta = finite(root.get("huberDelta"), "huberDelta");
      if (!(huberDelta > 0)) {
        throw new IllegalArgumentException("huberDelta must be positive, found " + huberDelta);
      }
    }
    if (type.isNetwork()) {
      NetworkJson.Read net = NetworkJson.read(root, d);
      Map<String, Object> training = root.has("training")
          ? JSON.convertValue(root.get("training"), Map.class) : Map.of();
      LinearModel model = ofNetwork(net.network(), d, net.params(), training);
      model.batchNorm = net.statistics();
      return root.has("featureHashing") ? model.withFeatureHashing(hashBits(root, d)) : model;
    }
    double[] w;
    double[] b;
    if (type.isMulticlass()) {
      JsonNode nc = required(root, "numClasses");
      if (!nc.canConvertToInt() || nc.asInt() < 2) {
        throw new IllegalArgumentException("numClasses " + nc + " is not an integer of at least 2");
      }
      int k = nc.asInt();
      JsonNode matrix = required(root, "coefficientMatrix");
      if (!matrix.isArray() || matrix.size() != k) {
        throw new IllegalArgumentException("coefficientMatrix must be an array of numClasses = "
            + k + " rows, found " + (matrix.isArray() ? matrix.size() : shown(matrix)));
      }
      w = new double[k * d];
      for (int c = 0; c < k; c++) {
        JsonNode row = matrix.get(c);
        if (!row.isArray() || row.size() != d) {
          throw new IllegalArgumentException("coefficientMatrix[" + c + "] must be an array of"
              + " numFeatures = " + d + " numbers, found "
              + (row.isArray() ? row.size() : shown(row)));
        }
        for (int j = 0; j < d; j++) {
          w[c * d + j] = finite(row.get(j), "coefficientMatrix[" + c + "][" + j + "]");
        }
      }
      JsonNode ints = required(root, "intercepts");
      if (!ints.isArray() || ints.size() != k) {
        throw new IllegalArgumentException("intercepts must be an array of numClasses = " + k
            + " numbers, found " + (ints.isArray() ? ints.size() : shown(ints)));
      }
      b = new double[k];
      for (int c = 0; c < k; c++) {
        b[c] = finite(ints.get(c), "intercepts[" + c + "]");
      }
    } else {
      JsonNode coef = required(root, "coefficients");
      if (!coef.isArray() || coef.size() != d) {
        throw new IllegalArgumentException("coefficients must be an array of numFeatures = "
            + d + " numbers, found " + (coef.isArray() ? coef.size() : shown(coef)));
      }
      w = new double[d];
      for (int j = 0; j < d; j++) {
        w[j] = finite(coef.get(j), "coefficients[" + j + "]");
      }
      b = new double[] {finite(required(root, "intercept"), "intercept")};
    }
    boolean fit = root.has("fitIntercept") ? root.get("fitIntercept").asBoolean()
        : java.util.Arrays.stream(b).anyMatch(v -> v != 0.0);
    Map<String, Object> training = root.has("training")
        ? JSON.convertValue(root.get("training"), Map.class) : Map.of();
    LinearModel model = new LinearModel(type, d, w, b, fit, huberDelta, training);
    return root.has("featureHashing") ? model.withFeatureHashing(hashBits(root, d)) : model;
  }

  /** The bits of a model.json's {@code featureHashing}, checked against its feature count. */
  private static int hashBits(JsonNode root, int numFeatures) {
    JsonNode h = root.get("featureHashing");
    JsonNode bits = h.get("bits");
    if (!h.isObject() || bits == null || !bits.canConvertToInt() || bits.asInt() < 1
        || bits.asInt() > descent.core.FeatureHashing.MAX_BITS) {
      throw new IllegalArgumentException("featureHashing must be an object whose bits are an"
          + " integer from 1 to " + descent.core.FeatureHashing.MAX_BITS + ", found " + shown(h));
    }
    JsonNode hash = h.get("hash");
    JsonNode seed = h.get("seed");
    if (hash == null || !descent.core.FeatureHashing.HASH.equals(hash.asText())
        || seed == null || seed.asInt() != descent.core.FeatureHashing.SEED) {
      throw new IllegalArgumentException("featureHashing " + shown(h) + " is not a hashing"
          + " descent knows: it hashes with " + descent.core.FeatureHashing.HASH + ", seed "
          + descent.core.FeatureHashing.SEED);
    }
    if (numFeatures != 1 << bits.asInt()) {
      throw new IllegalArgumentException("featureHashing of " + bits.asInt() + " bits makes "
          + (1 << bits.asInt()) + " features, but numFeatures is " + numFeatures);
    }
    return bits.asInt();
  }

  static JsonNode required(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("missing field \"" + field + "\"");
    }
    return node;
  }

  static double finite(JsonNode node, String what) {
    if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw new IllegalArgumentException(what + " is not a finite number: " + shown(node));
    }
    return node.asDouble();
  }

  /** A node as JSON text for a message, cut at 80 characters. */
  static String shown(JsonNode node) {
    // A number as written (NaN, not the string Jackson would quote it as); anything else as JSON.
    String text = node != null && node.isNumber() ? node.asText() : String.valueOf(node);
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
