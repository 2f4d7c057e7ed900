package descent.driver;

import java.util.function.Function;

/**
 * One thing wrong with a configuration, reported against the {@link Param} it concerns. The
 * text refers to parameters by their driver names in braces ({@code "{batchSize} must be
 * positive, got 0"}), so that each front end renders it in its own names: {@code --batch-size}
 * on the command line, {@code batchSize} in the Spark ML API.
 */
public record ConfigProblem(Param param, String problem) {
  /** A problem with a free-form text that names {@code param} (and maybe others) in braces. */
  public static ConfigProblem of(Param param, String template) {
    return new ConfigProblem(param, template);
  }

  /** The text with every parameter named by {@code naming}. */
  public String render(Function<Param, String> naming) {
    return Param.render(problem, naming);
  }

  /** The text in the command line's names. */
  @Override
  public String toString() {
    return render(Param::flag);
  }
}
