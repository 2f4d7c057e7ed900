package descent.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A configuration that cannot run, with every {@link ConfigProblem} found. Its message names the
 * parameters by their command-line flags; a front end with other names renders the problems
 * with {@link #message(Function)}. It is an {@link IllegalArgumentException}, so callers that
 * report bad input keep treating it as one.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    this("", problems, Param::flag, null);
  }

  private InvalidConfigException(String prefix, List<ConfigProblem> problems,
      Function<Param, String> naming, Throwable cause) {
    super(prefix + message(problems, naming), cause);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid configuration has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public InvalidConfigException(ConfigProblem problem) {
    this(List.of(problem));
  }

  /** The problems, in the order they were found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /**
   * The same problems with a message in {@code naming}'s names after {@code prefix}: how a front
   * end with its own names (the Spark ML API) reports them.
   */
  public InvalidConfigException named(Function<Param, String> naming, String prefix) {
    return new InvalidConfigException(prefix, problems, naming, this);
  }

  /** The problems in {@code naming}'s names, separated by "; ". */
  public String message(Function<Param, String> naming) {
    return message(problems, naming);
  }

  private static String message(List<ConfigProblem> problems, Function<Param, String> naming) {
    List<String> texts = new ArrayList<>(problems.size());
    for (ConfigProblem p : problems) {
      texts.add(p.render(naming));
    }
    return String.join("; ", texts);
  }

  /** Throws an {@link InvalidConfigException} of {@code problems} unless it is empty. */
  public static void throwIfAny(List<ConfigProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }
}
