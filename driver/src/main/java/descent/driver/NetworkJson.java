package descent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.core.Activation;
import descent.core.BatchNormStatistics;
import descent.core.MlpLoss;
import descent.core.OutputLoss;

/**
 * The model.json form of a network ({@link ModelType#MLP}): {@code outputLoss}, {@code numClasses}
 * for a softmax output, and {@code layers}, one object a weight layer from the first hidden layer
 * to the output layer, each with its {@code inputs} and {@code units} counts, its
 * {@code activation} ({@code identity} for the output layer, whose scores the output loss reads),
 * its {@code weights} ({@code units} rows of {@code inputs} numbers: row u holds unit u's incoming
 * weights) and its {@code biases}. Reading checks that the layers chain from {@code numFeatures}
 * inputs to the outputs and that every number is finite.
 */
final class NetworkJson {
  private NetworkJson() {}

  /** A network read back: its layout and its parameters in {@link MlpLoss}'s order. */
  record Read(NetworkSpec network, double[] params, BatchNormStatistics statistics) {}

  /** The output layer's activation in model.json: the scores pass through unchanged. */
  static final String OUTPUT_ACTIVATION = "identity";

  static void write(ObjectNode root, NetworkSpec network, int numFeatures, int numOutputs,
      double[] params, BatchNormStatistics statistics) {
    MlpLoss loss = network.loss(numOutputs);
    root.put("outputLoss", network.output().id());
    if (network.output() == OutputLoss.SOFTMAX) {
      root.put("numClasses", numOutputs);
    }
    ArrayNode layers = root.putArray("layers");
    for (int l = 1; l <= loss.numLayers(); l++) {
      int inputs = loss.width(l - 1, numFeatures);
      int units = loss.width(l, numFeatures);
      ObjectNode layer = layers.addObject();
      layer.put("inputs", inputs);
      layer.put("units", units);
      layer.put("activation", l < loss.numLayers() ? network.activation().id()
          : OUTPUT_ACTIVATION);
      ArrayNode weights = layer.putArray("weights");
      int w = loss.weightOffset(l, numFeatures);
      for (int u = 0; u < units; u++) {
        ArrayNode row = weights.addArray();
        for (int j = 0; j < inputs; j++) {
          row.add(params[w + u * inputs + j]);
        }
      }
      ArrayNode biases = layer.putArray("biases");
      int b = loss.biasOffset(l, numFeatures);
      for (int u = 0; u < units; u++) {
        biases.add(params[b + u]);
      }
      if (network.batchNorm() && l < loss.numLayers()) {
        // The layer's biases are its β; γ, the mean and the variance complete it.
        ObjectNode norm = layer.putObject("batchNorm");
        ArrayNode gamma = norm.putArray("gamma");
        int g = loss.gammaOffset(l, numFeatures);
        for (int u = 0; u < units; u++) {
          gamma.add(params[g + u]);
        }
        if (statistics == null) {
          throw new IllegalStateException("the batch-normalized network " + network + " has no"
              + " statistics for inference to save");
        }
        {
          int s = statistics.unitOffset(l);
          double[] mean = statistics.mean();
          double[] variance = statistics.variance();
          ArrayNode m = norm.putArray("mean");
          ArrayNode v = norm.putArray("variance");
          for (int u = 0; u < units; u++) {
            m.add(mean[s + u]);
            v.add(variance[s + u]);
          }
        }
        norm.put("eps", BatchNormStatistics.EPS);
      }
    }
  }

  static Read read(JsonNode root, int numFeatures) {
    JsonNode outputNode = LinearModel.required(root, "outputLoss");
    OutputLoss output = OutputLoss.parse(outputNode.asText());
    JsonNode layers = LinearModel.required(root, "layers");
    if (!layers.isArray() || layers.size() < 2) {
      throw new IllegalArgumentException("layers must be an array of at least two layers (a"
          + " hidden layer and the output layer), found " + LinearModel.shown(layers));
    }
    int count = layers.size();
    int[] hidden = new int[count - 1];
    int[] inputs = new int[count];
    int[] units = new int[count];
    Activation activation = null;
    for (int l = 0; l < count; l++) {
      JsonNode layer = layers.get(l);
      String where = "layers[" + l + "]";
      if (!layer.isObject()) {
        throw new IllegalArgumentException(where + " is not an object: "
            + LinearModel.shown(layer));
      }
      inputs[l] = count(layer, "inputs", where);
      units[l] = count(layer, "units", where);
      int expected = l == 0 ? numFeatures : units[l - 1];
      if (inputs[l] != expected) {
        throw new IllegalArgumentException(where + ".inputs is " + inputs[l] + "; it must be "
            + (l == 0 ? "numFeatures = " : "the units of layers[" + (l - 1) + "] = ") + expected);
      }
      String act = LinearModel.required(layer, "activation").asText();
      if (l == count - 1) {
        if (!OUTPUT_ACTIVATION.equals(act)) {
          throw new IllegalArgumentException(where + " is the output layer; its activation must"
              + " be " + OUTPUT_ACTIVATION + " (the outputLoss reads its scores), found " + act);
        }
      } else {
        hidden[l] = units[l];
        Activation a = Activation.parse(act);
        if (activation != null && a != activation) {
          throw new IllegalArgumentException(where + ".activation is " + act + "; every hidden"
              + " layer of a descent network has the same activation, " + activation.id());
        }
        activation = a;
      }
    }
    int k = units[count - 1];
    if (output == OutputLoss.SOFTMAX) {
      JsonNode nc = LinearModel.required(root, "numClasses");
      if (!nc.canConvertToInt() || nc.asInt() != k || k < 2) {
        throw new IllegalArgumentException("numClasses " + nc + " must equal the output layer's"
            + " units, " + k + ", and be at least 2");
      }
    } else if (k != 1) {
      throw new IllegalArgumentException("a " + output.id() + " output has one unit; the output"
          + " layer has " + k);
    }
    boolean batchNorm = layers.get(0).has("batchNorm");
    for (int l = 0; l < count; l++) {
      boolean has = layers.get(l).has("batchNorm");
      if (l < count - 1 && has != batchNorm) {
        throw new IllegalArgumentException("layers[" + l + "] " + (has ? "has" : "has no")
            + " batchNorm; layers[0] " + (batchNorm ? "has" : "has no") + ": a descent network"
            + " normalizes every hidden layer or none");
      }
      if (l == count - 1 && has) {
        throw new IllegalArgumentException("layers[" + l + "] is the output layer; it takes no"
            + " batchNorm");
      }
    }
    NetworkSpec network = new NetworkSpec(hidden, activation, output, batchNorm);
    MlpLoss loss = network.loss(k);
    double[] params = new double[loss.numParams(numFeatures, true)];
    for (int l = 1; l <= count; l++) {
      JsonNode layer = layers.get(l - 1);
      String where = "layers[" + (l - 1) + "]";
      JsonNode weights = LinearModel.required(layer, "weights");
      int n = units[l - 1];
      int fanIn = inputs[l - 1];
      if (!weights.isArray() || weights.size() != n) {
        throw new IllegalArgumentException(where + ".weights must be an array of units = " + n
            + " rows, found " + (weights.isArray() ? weights.size()
                : LinearModel.shown(weights)));
      }
      int w = loss.weightOffset(l, numFeatures);
      for (int u = 0; u < n; u++) {
        JsonNode row = weights.get(u);
        if (!row.isArray() || row.size() != fanIn) {
          throw new IllegalArgumentException(where + ".weights[" + u + "] must be an array of"
              + " inputs = " + fanIn + " numbers, found " + (row.isArray() ? row.size()
                  : LinearModel.shown(row)));
        }
        for (int j = 0; j < fanIn; j++) {
          params[w + u * fanIn + j] = LinearModel.finite(row.get(j),
              where + ".weights[" + u + "][" + j + "]");
        }
      }
      JsonNode biases = LinearModel.required(layer, "biases");
      if (!biases.isArray() || biases.size() != n) {
        throw new IllegalArgumentException(where + ".biases must be an array of units = " + n
            + " numbers, found " + (biases.isArray() ? biases.size()
                : LinearModel.shown(biases)));
      }
      int b = loss.biasOffset(l, numFeatures);
      for (int u = 0; u < n; u++) {
        params[b + u] = LinearModel.finite(biases.get(u), where + ".biases[" + u + "]");
      }
    }
    BatchNormStatistics statistics = null;
    if (batchNorm) {
      double[] mean = new double[loss.hiddenUnits()];
      double[] variance = new double[loss.hiddenUnits()];
      for (int l = 1; l < count; l++) {
        String where = "layers[" + (l - 1) + "].batchNorm";
        JsonNode norm = layers.get(l - 1).get("batchNorm");
        int n = units[l - 1];
        int at = loss.gammaOffset(l, numFeatures);
        int s = at - loss.gammaOffset(1, numFeatures);
        JsonNode eps = LinearModel.required(norm, "eps");
        if (!eps.isNumber() || eps.asDouble() != BatchNormStatistics.EPS) {
          throw new IllegalArgumentException(where + ".eps is " + eps + "; descent normalizes"
              + " with ε = " + BatchNormStatistics.EPS);
        }
        readUnits(norm, "gamma", where, n, params, at);
        readUnits(norm, "mean", where, n, mean, s);
        readUnits(norm, "variance", where, n, variance, s);
        for (int u = 0; u < n; u++) {
          if (variance[s + u] < 0) {
            throw new IllegalArgumentException(where + ".variance[" + u + "] is "
                + variance[s + u] + "; a variance is at least 0");
          }
        }
      }
      statistics = BatchNormStatistics.inference(hidden, mean, variance);
    }
    return new Read(network, params, statistics);
  }

  /** Reads {@code n} finite numbers {@code node.field} into {@code into[at..]}. */
  private static void readUnits(JsonNode node, String field, String where, int n, double[] into,
      int at) {
    JsonNode values = LinearModel.required(node, field);
    if (!values.isArray() || values.size() != n) {
      throw new IllegalArgumentException(where + "." + field + " must be an array of units = "
          + n + " numbers, found " + (values.isArray() ? values.size()
              : LinearModel.shown(values)));
    }
    for (int u = 0; u < n; u++) {
      into[at + u] = LinearModel.finite(values.get(u), where + "." + field + "[" + u + "]");
    }
  }

  private static int count(JsonNode layer, String field, String where) {
    JsonNode node = LinearModel.required(layer, field);
    if (!node.canConvertToInt() || node.asInt() < 0 || !node.isIntegralNumber()) {
      throw new IllegalArgumentException(where + "." + field + " " + node
          + " is not a non-negative integer");
    }
    return node.asInt();
  }
}
