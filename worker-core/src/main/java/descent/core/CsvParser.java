package descent.core;

/**
 * Parses comma-separated rows of numbers, one column the label, optionally one column the
 * instance weight (finite, ≥ 0), and every other column a feature, into a {@link RowBuffer}. Every row must have the same number of columns; every cell must be a
 * finite number. A problem is reported as an {@link IllegalArgumentException} whose message says
 * what is wrong; the reader adds the file and line.
 */
public final class CsvParser implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final LabelDomain domain;
  private final int labelColumn;
  private final int weightColumn;
  private final int numColumns;

  /**
   * @param labelColumn 0-based column of the label
   * @param numColumns the column count every row must have
   */
  public CsvParser(LabelDomain domain, int labelColumn, int numColumns) {
    this(domain, labelColumn, -1, numColumns);
  }

  /**
   * @param labelColumn 0-based column of the label
   * @param weightColumn 0-based column of the instance weight, or −1 when every row weighs 1
   * @param numColumns the column count every row must have
   */
  public CsvParser(LabelDomain domain, int labelColumn, int weightColumn, int numColumns) {
    if (labelColumn < 0 || labelColumn >= numColumns) {
      throw new IllegalArgumentException(
          "label column " + labelColumn + " is outside the " + numColumns + " columns");
    }
    if (weightColumn >= numColumns || weightColumn == labelColumn) {
      throw new IllegalArgumentException("weight column " + weightColumn
          + (weightColumn == labelColumn ? " is the label column" : " is outside the "
              + numColumns + " columns"));
    }
    this.domain = domain;
    this.labelColumn = labelColumn;
    this.weightColumn = weightColumn;
    this.numColumns = numColumns;
  }

  /** Columns of a CSV line (no quoting: every cell is a number or a header name). */
  public static String[] split(String line) {
    return line.split(",", -1);
  }

  /**
   * True when some non-empty cell of the line is not a number: the line is a header. (A line of
   * numbers with an empty cell is a data row, and fails as one.)
   */
  public static boolean isHeader(String line) {
    for (String cell : split(line)) {
      if (cell.isBlank()) {
        continue;
      }
      try {
        Double.parseDouble(cell.trim());
      } catch (NumberFormatException e) {
        return true;
      }
    }
    return false;
  }

  /**
   * Appends the row on {@code line} to {@code out}.
   *
   * @return false when the line is blank and holds no row
   */
  public boolean parse(String line, RowBuffer out) {
    if (line.isBlank()) {
      return false;
    }
    String[] cells = split(line);
    if (cells.length != numColumns) {
      throw new IllegalArgumentException(
          "expected " + numColumns + " columns, found " + cells.length);
    }
    double label = 0;
    double weight = 1.0;
    int feature = 0;
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c].trim();
      if (cell.isEmpty()) {
        throw new IllegalArgumentException("column " + (c + 1) + " is empty");
      }
      String what = c == labelColumn ? "label" : c == weightColumn ? "weight"
          : "column " + (c + 1);
      double v = LibSvmParser.parseNumber(cell, 0, cell.length(), what);
      if (c == labelColumn) {
        label = v;
      } else if (c == weightColumn) {
        weight = checkedWeight(v);
      } else {
        out.addFeature(feature++, v);
      }
    }
    out.endRow(domain.encode(label), weight);
    return true;
  }

  /**
   * {@code weight} when it is a valid instance weight (finite, ≥ 0); else an error saying why.
   */
  public static double checkedWeight(double weight) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight " + weight
          + " is not a valid instance weight (finite and >= 0)");
    }
    return weight;
  }
}
