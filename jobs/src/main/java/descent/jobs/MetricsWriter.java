package descent.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import descent.driver.LocalSteps;
import descent.driver.StepReport;
import descent.driver.TrainingListener;
import descent.driver.OutputDir;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Writes every step to {@code metrics.csv} and {@code metrics.jsonl} (one JSON object a line),
 * with the same columns in the same order, in a directory of any file system ({@link OutputDir}).
 * Both go to hidden {@code .partial} files while the run lasts and are renamed into place by
 * {@link #commit()} once training succeeded, so a reader never sees half a run under the final
 * names.
 *
 * <p>The columns are the one table {@link #COLUMNS}: a new {@link StepReport} field is one more
 * line there. A missing value ({@code NaN}, such as the validation loss of a step that computed
 * none) is an empty CSV cell and a JSON {@code null}.
 *
 * <p>With rounds of local steps a step is a round, and two columns follow the others so that
 * the objective can be plotted against rounds and against the rows read:
 * {@code inner_steps}, the inner steps each task took in the round, and {@code rows_seen}, the
 * rows read by the rounds so far (since the run started or resumed).
 */
final class MetricsWriter implements TrainingListener, AutoCloseable {
  static final String CSV = "metrics.csv";
  static final String JSONL = "metrics.jsonl";

  /** One metrics column: its name in the CSV header and the JSON records, and its value. */
  record Column(String name, Function<StepReport, Object> value) {}

  static final List<Column> COLUMNS = List.of(
      new Column("step", StepReport::step),
      new Column("epoch", StepReport::epoch),
      new Column("loss", StepReport::loss),
      new Column("validation_loss", StepReport::validationLoss),
      new Column("learning_rate", StepReport::learningRate),
      new Column("gradient_norm", StepReport::gradientNorm),
      new Column("step_norm", StepReport::stepNorm),
      new Column("clipped", StepReport::clipped),
      new Column("rows", StepReport::rows),
      new Column("step_seconds", StepReport::stepSeconds),
      new Column("elapsed_seconds", StepReport::elapsedSeconds));

  /** The CSV header line of a run without local steps. */
  static final String HEADER = header(COLUMNS);

  /** The names of the columns a run with rounds of local steps adds after {@link #COLUMNS}. */
  static final List<String> ROUND_COLUMNS = List.of("inner_steps", "rows_seen");

  /** The CSV header line of a run with rounds of local steps. */
  static final String ROUND_HEADER = HEADER + "," + String.join(",", ROUND_COLUMNS);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputDir dir;
  private final BufferedWriter csv;
  private final BufferedWriter jsonl;
  private final List<Column> columns;
  private long rowsSeen;

  /** Opens the two partial files in {@code dir} for a run without local steps. */
  MetricsWriter(OutputDir dir) throws IOException {
    this(dir, LocalSteps.OFF);
  }

  /**
   * Opens the two partial files in {@code dir}; with {@code local} enabled each record is a
   * round and carries the round columns.
   */
  MetricsWriter(OutputDir dir, LocalSteps local) throws IOException {
    this.dir = dir;
    if (local.enabled()) {
      List<Column> c = new ArrayList<>(COLUMNS);
      c.add(new Column(ROUND_COLUMNS.get(0), r -> (long) local.stepsIn(r.step() - 1)));
      c.add(new Column(ROUND_COLUMNS.get(1), r -> rowsSeen));
      this.columns = List.copyOf(c);
    } else {
      this.columns = COLUMNS;
    }
    this.csv = writer(dir, partial(CSV));
    BufferedWriter j;
    try {
      j = writer(dir, partial(JSONL));
    } catch (IOException e) {
      csv.close();
      throw e;
    }
    this.jsonl = j;
    csv.write(header(columns));
    csv.newLine();
  }

  private static String header(List<Column> columns) {
    return String.join(",", columns.stream().map(Column::name).toList());
  }

  /** The name of the file that becomes {@code name} on {@link #commit()}. */
  static String partial(String name) {
    return "." + name + ".partial";
  }

  private static BufferedWriter writer(OutputDir dir, String name) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(dir.newOutputStream(name),
        StandardCharsets.UTF_8.newEncoder()));
  }

  @Override
  public void onStep(StepReport r) {
    rowsSeen += r.rows();
    StringJoiner row = new StringJoiner(",");
    ObjectNode record = JSON.createObjectNode();
    for (Column c : columns) {
      Object v = c.value().apply(r);
      if (v instanceof Double d) {
        boolean missing = !Double.isFinite(d);
        row.add(missing ? "" : Double.toString(d));
        if (missing) {
          record.putNull(c.name());
        } else {
          record.put(c.name(), d);
        }
      } else if (v instanceof Long l) {
        row.add(Long.toString(l));
        record.put(c.name(), l);
      } else if (v instanceof Boolean b) {
        row.add(Boolean.toString(b));
        record.put(c.name(), b);
      } else {
        throw new IllegalStateException("metrics column " + c.name() + ": unsupported " + v);
      }
    }
    try {
      csv.write(row.toString());
      csv.newLine();
      jsonl.write(JSON.writeValueAsString(record));
      jsonl.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the files and renames them to {@code metrics.csv} and {@code metrics.jsonl}. */
  void commit() throws IOException {
    close();
    dir.replace(partial(CSV), CSV);
    dir.replace(partial(JSONL), JSONL);
  }

  /** Closes and deletes the partial files of a run that failed. */
  void discard() throws IOException {
    close();
    dir.deleteIfExists(partial(CSV));
    dir.deleteIfExists(partial(JSONL));
  }

  @Override
  public void close() throws IOException {
    try {
      csv.close();
    } finally {
      jsonl.close();
    }
  }
}
