package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LibSvmParserTest {

  static RowBuffer parseOne(LibSvmParser parser, String line) {
    RowBuffer rows = new RowBuffer();
    assertTrue(parser.parse(line, rows), line);
    assertEquals(1, rows.numRows());
    return rows;
  }

  /** The (0-based index, value) pairs stored for row {@code r}. */
  static String features(RowBuffer rows, int r) {
    StringBuilder sb = new StringBuilder();
    for (int k = rows.rowStart(r); k < rows.rowEnd(r); k++) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(rows.index(k)).append('=').append(rows.value(k));
    }
    return sb.toString();
  }

  @Test
  void goodLinesParseWithZeroBasedIndices() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0);
    RowBuffer rows = new RowBuffer();
    assertTrue(parser.parse("2.5 1:0.5 3:-4 10:1e-3", rows));
    assertTrue(parser.parse("  -7\t2:3   4:0  5:+2.0  ", rows)); // tabs, runs of spaces, a zero
    assertTrue(parser.parse("0", rows)); // a row with no features
    assertEquals(3, rows.numRows());
    assertEquals(2.5, rows.label(0));
    assertEquals("0=0.5 2=-4.0 9=0.001", features(rows, 0));
    assertEquals(-7.0, rows.label(1));
    assertEquals("1=3.0 4=2.0", features(rows, 1));
    assertEquals(0.0, rows.label(2));
    assertEquals("", features(rows, 2));
    assertEquals(9, rows.maxIndex());
  }

  @Test
  void blankLinesHoldNoRow() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.BINARY, 5);
    RowBuffer rows = new RowBuffer();
    for (String line : new String[] {"", " ", "\t", "   \t  "}) {
      assertFalse(parser.parse(line, rows), "'" + line + "'");
    }
    assertEquals(0, rows.numRows());
  }

  @ParameterizedTest(name = "label {0} -> {1}")
  @CsvSource({"1, 1", "+1, 1", "1.0, 1", "0, -1", "-1, -1", "-1.0, -1", "0.0, -1"})
  void binaryLabelsAreStoredAsPlusMinusOne(String label, double stored) {
    RowBuffer rows = parseOne(new LibSvmParser(LabelDomain.BINARY, 0), label + " 1:1");
    assertEquals(stored, rows.label(0));
  }

  @Test
  void realLabelsAreKept() {
    RowBuffer rows = parseOne(new LibSvmParser(LabelDomain.REAL, 0), "-0.125 1:1");
    assertEquals(-0.125, rows.label(0));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "2 1:1 | label 2",
      "0.5 1:1 | label 0.5",
      "-2 | label -2"})
  void otherBinaryLabelsAreRejected(String line, String expected) {
    assertRejected(new LibSvmParser(LabelDomain.BINARY, 0), line, expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "1 0:1 | start at 1",
      "1 2:1 0:1 | start at 1",
      "1 -3:1 | -3",
      "1 3:abc | abc",
      "1 3:abc | not a number",
      "1 3: | feature 3 has no value after ':'",
      "1 1.5:2 | not an integer",
      "1 x:2 | not an integer",
      "1 :2 | not an integer",
      "1 3:1 2:1 | ascending",
      "1 2:1 2:1 | duplicate",
      "1 1:1 2:1 2:3 | duplicate",
      "NaN 1:1 | label is NaN",
      "Infinity 1:1 | label is infinite",
      "-Infinity 1:1 | label is infinite",
      "abc 1:1 | label value 'abc' is not a number",
      "1 2:NaN | feature 2 is NaN",
      "1 2:Infinity | feature 2 is infinite",
      "1 2:-Infinity | feature 2 is infinite",
      "1 11:1 | exceeds --num-features 10",
      "1 3 | not index:value",
      "1 3:1 4 | '4' is not index:value",
      "1 99999999999:1 | larger than"})
  void badLinesSayWhatIsWrong(String line, String expected) {
    assertRejected(new LibSvmParser(LabelDomain.REAL, 10), line, expected);
  }

  @Test
  void featureCountBoundsIndices() {
    LibSvmParser bounded = new LibSvmParser(LabelDomain.REAL, 10);
    assertEquals("9=1.0", features(parseOne(bounded, "1 10:1"), 0));
    // Without a set feature count any positive index is fine.
    LibSvmParser open = new LibSvmParser(LabelDomain.REAL, 0);
    assertEquals("999999=1.0", features(parseOne(open, "1 1000000:1"), 0));
    // The message names the limit the way the caller asks.
    assertRejected(new LibSvmParser(LabelDomain.REAL, 10, "the model's feature count"),
        "1 11:1", "exceeds the model's feature count 10");
  }

  @Test
  void aRejectedLineDoesNotEndARow() {
    LibSvmParser parser = new LibSvmParser(LabelDomain.REAL, 0);
    RowBuffer rows = new RowBuffer();
    assertThrows(IllegalArgumentException.class, () -> parser.parse("1 2:1 1:1", rows));
    assertEquals(0, rows.numRows());
  }

  static void assertRejected(LibSvmParser parser, String line, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parser.parse(line, new RowBuffer()), line);
    assertTrue(e.getMessage().contains(expected),
        "'" + line + "': message '" + e.getMessage() + "' should contain '" + expected + "'");
  }
}
