package descent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import descent.driver.OutputDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step metrics of one run directory (local or on any Hadoop file system), as columns of doubles keyed by the metrics names
 * ({@code step}, {@code loss}, {@code validation_loss}, ...): read from {@code metrics.jsonl},
 * or from {@code metrics.csv} for a run written before the JSON file existed. A missing value is
 * {@code NaN}, {@code clipped} is 1 or 0. {@code training} is the {@code training} object of the
 * run's {@code model.json}, or null when there is none.
 */
record RunMetrics(OutputDir dir, int steps, Map<String, double[]> columns, JsonNode training) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The column {@code name}, or an array of NaN when the run has no such column. */
  double[] column(String name) {
    double[] c = columns.get(name);
    if (c == null) {
      c = new double[steps];
      Arrays.fill(c, Double.NaN);
    }
    return c;
  }

  /** Reads the metrics of {@code dir}; names the file and line of a bad record. */
  static RunMetrics read(Path dir) throws IOException {
    return read(OutputDir.of(dir));
  }

  /** Reads the metrics of {@code dir}; names the file and line of a bad record. */
  static RunMetrics read(OutputDir dir) throws IOException {
    if (!dir.isDirectory()) {
      throw new IllegalArgumentException(dir + ": not a run directory (no such directory)");
    }
    List<Map<String, Double>> rows;
    if (dir.isFile(MetricsWriter.JSONL)) {
      rows = readJsonl(dir, MetricsWriter.JSONL);
    } else if (dir.isFile(MetricsWriter.CSV)) {
      rows = readCsv(dir, MetricsWriter.CSV);
    } else {
      throw new IllegalArgumentException(dir + ": no " + MetricsWriter.JSONL + " or "
          + MetricsWriter.CSV + "; give the --output directory of a finished train run");
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the metrics hold no steps");
    }
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      for (Map.Entry<String, Double> e : rows.get(i).entrySet()) {
        double[] c = columns.computeIfAbsent(e.getKey(), k -> {
          double[] a = new double[rows.size()];
          Arrays.fill(a, Double.NaN);
          return a;
        });
        c[i] = e.getValue();
      }
    }
    JsonNode training = null;
    if (dir.isFile(descent.driver.LinearModel.FILE)) {
      try {
        training = JSON.readTree(dir.readAllBytes(descent.driver.LinearModel.FILE)).get("training");
      } catch (IOException e) {
        throw new IllegalArgumentException(dir.file(descent.driver.LinearModel.FILE)
            + ": not valid JSON (" + e.getMessage() + ")");
      }
    }
    return new RunMetrics(dir, rows.size(), columns, training);
  }

  private static List<Map<String, Double>> readJsonl(OutputDir dir, String name)
      throws IOException {
    String file = dir.file(name);
    List<Map<String, Double>> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(dir.newInputStream(name),
        StandardCharsets.UTF_8.newDecoder()))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode record;
        try {
          record = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(file + " line " + number + ": not a JSON record");
        }
        if (record == null || !record.isObject()) {
          throw new IllegalArgumentException(file + " line " + number + ": not a JSON object");
        }
        Map<String, Double> row = new LinkedHashMap<>();
        var fields = record.fields();
        while (fields.hasNext()) {
          var f = fields.next();
          JsonNode v = f.getValue();
          double x = v.isNumber() ? v.doubleValue()
              : v.isBoolean() ? (v.booleanValue() ? 1 : 0) : Double.NaN;
          row.put(f.getKey(), x);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<Map<String, Double>> readCsv(OutputDir dir, String name) throws IOException {
    String file = dir.file(name);
    List<String> lines = StandardCharsets.UTF_8.newDecoder()
        .decode(java.nio.ByteBuffer.wrap(dir.readAllBytes(name))).toString().lines().toList();
    List<Map<String, Double>> rows = new ArrayList<>();
    if (lines.isEmpty()) {
      return rows;
    }
    String[] header = lines.get(0).split(",", -1);
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] cells = lines.get(i).split(",", -1);
      if (cells.length != header.length) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + cells.length
            + " cells; the header has " + header.length);
      }
      Map<String, Double> row = new LinkedHashMap<>();
      for (int j = 0; j < header.length; j++) {
        String c = cells[j].trim();
        double x;
        if (c.isEmpty()) {
          x = Double.NaN;
        } else if (c.equals("true") || c.equals("false")) {
          x = c.equals("true") ? 1 : 0;
        } else {
          try {
            x = Double.parseDouble(c);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + header[j]
                + " is '" + c + "', not a number");
          }
        }
        row.put(header[j], x);
      }
      rows.add(row);
    }
    return rows;
  }
}
