package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.jobs.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The comparison's race on a model too wide for Newton's Hessian: the default race leaves Newton
 * out, and a Newton racer asked for by {@code --race} is refused before Spark starts when the
 * width is known from the options.
 */
class BenchRaceTest {
  private static BenchCommand parse(String... args) {
    BenchCommand c = new BenchCommand();
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void theDefaultRaceLeavesNewtonOutOfAWideModel() {
    BenchCommand c = parse("--data", "file.libsvm", "--num-features", "1048576");
    assertEquals(List.of("lbfgs", "nesterov:4:1000", "lamb:0.05:1000", "adam:0.2:1000"),
        c.race(1048576));
    assertEquals(c.race(), c.race(123), "a9a's 124 parameters keep Newton");
    assertTrue(c.race().contains("newton"));
  }

  @Test
  void anAskedForNewtonRacerOnAWideModelIsRefused() {
    BenchCommand c = parse("--data", "file.libsvm", "--race", "lbfgs,newton");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.race(10000));
    assertTrue(e.getMessage().contains("--race newton: newton keeps a Hessian of the model's"
        + " 10001 parameters squared; it takes at most 5000"), e.getMessage());
    Cli.Result r = Cli.run("bench", "--data", "/nonexistent", "--num-features", "10000",
        "--race", "lbfgs,newton");
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(r.err().contains("newton keeps a Hessian"), r::all);
    Cli.Result hashed = Cli.run("bench", "--data", "/nonexistent", "--hash-features", "20",
        "--race", "newton");
    assertEquals(1, hashed.exitCode(), hashed::all);
    assertTrue(hashed.err().contains("1048577 parameters"), hashed::all);
  }
}
