package descent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvParserTest {

  @Test
  void goodRowsParseLabelAndFeatures() {
    CsvParser parser = new CsvParser(LabelDomain.REAL, 0, 3);
    RowBuffer rows = new RowBuffer();
    assertTrue(parser.parse("1.5,2,-3", rows));
    assertTrue(parser.parse(" 4 , 0 ,1e2 ", rows)); // spaces around cells; a zero feature
    assertEquals(2, rows.numRows());
    assertEquals(1.5, rows.label(0));
    assertEquals("0=2.0 1=-3.0", LibSvmParserTest.features(rows, 0));
    assertEquals(4.0, rows.label(1));
    assertEquals("1=100.0", LibSvmParserTest.features(rows, 1));
  }

  @Test
  void labelMayBeAnyColumn() {
    CsvParser parser = new CsvParser(LabelDomain.REAL, 2, 3);
    RowBuffer rows = new RowBuffer();
    assertTrue(parser.parse("7,8,9", rows));
    assertEquals(9.0, rows.label(0));
    assertEquals("0=7.0 1=8.0", LibSvmParserTest.features(rows, 0));

    CsvParser middle = new CsvParser(LabelDomain.REAL, 1, 3);
    assertTrue(middle.parse("7,8,9", rows));
    assertEquals(8.0, rows.label(1));
    assertEquals("0=7.0 1=9.0", LibSvmParserTest.features(rows, 1));
  }

  @ParameterizedTest(name = "label {0} -> {1}")
  @CsvSource({"1, 1", "0, -1", "-1, -1"})
  void binaryLabelsAreStoredAsPlusMinusOne(String label, double stored) {
    RowBuffer rows = new RowBuffer();
    assertTrue(new CsvParser(LabelDomain.BINARY, 0, 2).parse(label + ",3", rows));
    assertEquals(stored, rows.label(0));
  }

  @Test
  void blankLinesHoldNoRow() {
    CsvParser parser = new CsvParser(LabelDomain.REAL, 0, 3);
    RowBuffer rows = new RowBuffer();
    assertFalse(parser.parse("", rows));
    assertFalse(parser.parse("   ", rows));
    assertFalse(parser.parse("\t", rows));
    assertEquals(0, rows.numRows());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "1,2 | expected 3 columns, found 2",
      "1,2,3,4 | expected 3 columns, found 4",
      "1,2, | column 3 is empty",
      "1,,3 | column 2 is empty",
      "1, ,3 | column 2 is empty",
      "1,x,3 | column 2 value 'x' is not a number",
      "y,1,2 | label value 'y' is not a number",
      "NaN,1,2 | label is NaN",
      "1,NaN,2 | column 2 is NaN",
      "1,2,Infinity | column 3 is infinite",
      "-Infinity,2,3 | label is infinite"})
  void badRowsSayWhatIsWrong(String line, String expected) {
    assertRejected(new CsvParser(LabelDomain.REAL, 0, 3), line, expected);
  }

  @Test
  void nonBinaryLabelIsRejected() {
    assertRejected(new CsvParser(LabelDomain.BINARY, 0, 3), "2,1,1", "label 2");
  }

  @Test
  void labelColumnMustExist() {
    assertThrows(IllegalArgumentException.class, () -> new CsvParser(LabelDomain.REAL, 3, 3));
    assertThrows(IllegalArgumentException.class, () -> new CsvParser(LabelDomain.REAL, -1, 3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"label,x1,x2", "y,1,2", "1,2,feature", "\"a\",\"b\""})
  void linesWithANonNumericCellAreHeaders(String line) {
    assertTrue(CsvParser.isHeader(line), line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,2,3", " -1.5 , 2e3 ,0", "0"})
  void numericLinesAreData(String line) {
    assertFalse(CsvParser.isHeader(line), line);
  }

  @Test
  void splitKeepsTrailingEmptyCells() {
    assertEquals(3, CsvParser.split("1,2,").length);
    assertEquals(1, CsvParser.split("1").length);
  }

  static void assertRejected(CsvParser parser, String line, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parser.parse(line, new RowBuffer()), line);
    assertTrue(e.getMessage().contains(expected),
        "'" + line + "': message '" + e.getMessage() + "' should contain '" + expected + "'");
  }
}
