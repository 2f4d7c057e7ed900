package descent.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The checkpoints of a run in one directory of any Hadoop file system (local, HDFS, S3):
 * {@code checkpoint-<step>.json}, each written to a temporary name and renamed, the newest
 * {@code keep} kept. {@link #latest} returns the newest one that parses and belongs to this run
 * (same fingerprint); a damaged newer file is skipped with a line on {@code log}, a checkpoint of
 * another configuration or data set is refused with the keys that differ, and a directory whose
 * checkpoints are all damaged is an error rather than a silent fresh start.
 */
public final class Checkpoints {
  private static final ObjectMapper JSON = StateJson.mapper();
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)\\.json");
  private static final int VERSION = 2;

  private final Path dir;
  private final long every;
  private final int keep;
  private final boolean resume;
  private final Map<String, String> fingerprint;
  private final PrintStream log;

  /**
   * @param dir the checkpoint directory (created when missing)
   * @param every steps between checkpoints, at least 1
   * @param keep checkpoints kept, at least 1
   * @param resume whether {@link Trainer} starts from {@link #latest}
   * @param fingerprint the configuration and data this run is; the trainer adds the row counts
   */
  public Checkpoints(String dir, long every, int keep, boolean resume,
      Map<String, String> fingerprint, PrintStream log) {
    if (every < 1) {
      throw new IllegalArgumentException("--checkpoint-every must be positive, got " + every);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("--keep-checkpoints must be positive, got " + keep);
    }
    this.dir = new Path(dir);
    this.every = every;
    this.keep = keep;
    this.resume = resume;
    this.fingerprint = new TreeMap<>(fingerprint);
    this.log = log;
  }

  public long every() {
    return every;
  }

  public boolean resume() {
    return resume;
  }

  /** The fingerprint with {@code extra} entries (the trainer's row counts) added. */
  Map<String, String> fingerprint(Map<String, String> extra) {
    Map<String, String> f = new TreeMap<>(fingerprint);
    f.putAll(extra);
    return f;
  }

  private FileSystem fs() throws IOException {
    return dir.getFileSystem(new Configuration());
  }

  /** Writes {@code c} as {@code checkpoint-<step>.json} (temp name, then rename) and prunes. */
  public void write(Checkpoint c) {
    try {
      FileSystem fs = fs();
      fs.mkdirs(dir);
      Path target = new Path(dir, "checkpoint-" + c.step() + ".json");
      Path temp = new Path(dir, ".checkpoint-" + c.step() + ".json.partial");
      try (OutputStream out = fs.create(temp, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(c)));
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("could not rename " + temp + " to " + target);
      }
      List<Long> steps = steps(fs);
      for (int i = 0; i < steps.size() - keep; i++) {
        fs.delete(new Path(dir, "checkpoint-" + steps.get(i) + ".json"), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** The steps of the checkpoint files present, ascending. */
  private List<Long> steps(FileSystem fs) throws IOException {
    List<Long> steps = new ArrayList<>();
    if (!fs.exists(dir)) {
      return steps;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      Matcher m = NAME.matcher(s.getPath().getName());
      if (m.matches()) {
        steps.add(Long.parseLong(m.group(1)));
      }
    }
    steps.sort(null);
    return steps;
  }

  /**
   * The newest checkpoint that parses, or null when there is none. Damaged files are skipped
   * (named on the log); a readable one of another run is refused.
   *
   * @throws IllegalArgumentException when the newest readable checkpoint's fingerprint differs
   */
  public Checkpoint latest(Map<String, String> expected) {
    try {
      FileSystem fs = fs();
      List<Long> steps = steps(fs);
      String damaged = null;
      List<String> skipped = new ArrayList<>();
      for (int i = steps.size() - 1; i >= 0; i--) {
        Path file = new Path(dir, "checkpoint-" + steps.get(i) + ".json");
        Checkpoint c;
        try (InputStream in = fs.open(file)) {
          c = fromJson(JSON.readTree(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
          String why = file + ": damaged checkpoint (" + firstLine(e.getMessage()) + ")";
          skipped.add(why);
          damaged = damaged == null ? why : damaged;
          continue;
        }
        if (!c.fingerprint().equals(expected)) {
          List<String> differ = new ArrayList<>();
          for (String key : union(c.fingerprint(), expected)) {
            String saved = c.fingerprint().get(key);
            String now = expected.get(key);
            if (saved == null ? now != null : !saved.equals(now)) {
              differ.add(key + " was " + saved + ", now " + now);
            }
          }
          throw new IllegalArgumentException(file + " belongs to another run and cannot be"
              + " resumed: " + String.join("; ", differ) + ". Use another --checkpoint-dir or"
              + " the original options and data.");
        }
        for (String why : skipped) {
          log.println("descent: skipping " + why);
        }
        return c;
      }
      if (damaged != null) {
        throw new IllegalArgumentException(damaged + "; no valid checkpoint is left to resume"
            + " from. Remove the damaged files to start afresh.");
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    TreeMap<String, String> all = new TreeMap<>(a);
    all.putAll(b);
    return new ArrayList<>(all.keySet());
  }

  static ObjectNode toJson(Checkpoint c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("step", c.step());
    root.set("params", JSON.valueToTree(c.params()));
    root.put("optimizer", c.optimizer());
    root.set("optimizerState", StateJson.toTree(c.optimizerState()));
    root.set("scheduleState", StateJson.toTree(c.scheduleState()));
    root.set("averageState", c.average() == null ? null : JSON.valueToTree(c.average()));
    root.set("trainer", JSON.valueToTree(c.trainer()));
    if (c.equality() != null) {
      root.set("equalityState", JSON.valueToTree(c.equality()));
    }
    if (c.pretrain() != null) {
      root.set("pretrain", JSON.valueToTree(c.pretrain()));
    }
    ObjectNode f = root.putObject("fingerprint");
    c.fingerprint().forEach(f::put);
    return root;
  }

  static Checkpoint fromJson(JsonNode root) throws JsonProcessingException {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    int version = required(root, "version").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException("version " + required(root, "version")
          + " is not " + VERSION);
    }
    JsonNode step = required(root, "step");
    if (!step.canConvertToLong() || step.asLong() < 1) {
      throw new IllegalArgumentException("\"step\" must be a positive whole number");
    }
    Map<String, String> fingerprint = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = required(root, "fingerprint").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      fingerprint.put(e.getKey(), e.getValue().asText());
    }
    JsonNode average = root.get("averageState");
    JsonNode equality = root.get("equalityState");
    JsonNode pretrain = root.get("pretrain");
    return new Checkpoint(step.asLong(), doubles(required(root, "params"), "params"),
        required(root, "optimizer").asText(),
        StateJson.optimizerState(required(root, "optimizerState")),
        StateJson.scheduleState(required(root, "scheduleState")),
        average == null || average.isNull() ? null
            : JSON.treeToValue(average, ParameterAverage.State.class),
        JSON.treeToValue(required(root, "trainer"), TrainerState.class), fingerprint,
        equality == null || equality.isNull() ? null
            : JSON.treeToValue(equality, AugmentedLagrangian.State.class),
        pretrain == null || pretrain.isNull() ? null
            : JSON.treeToValue(pretrain, Pretraining.Report.class));
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null) {
      throw new IllegalArgumentException("the field \"" + field + "\" is missing");
    }
    return n;
  }

  private static double[] doubles(JsonNode node, String name) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("\"" + name + "\" must be an array of numbers");
    }
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode x = node.get(i);
      if (x.isNumber()) {
        v[i] = x.asDouble();
      } else {
        throw new IllegalArgumentException("\"" + name + "\"[" + i + "] is not a number: " + x);
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return dir + " every " + every + " steps, keeping " + keep;
  }

}
