package descent.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The step kinds keep their report names and their order: the rounds' seeded shuffles permute
 * the kinds by position, so a kind moved or inserted would give a run with the same seed other
 * orders than before.
 */
class StepKindTest {
  @Test
  void theKindsKeepTheirOrderAndNames() {
    List<String> names = Arrays.stream(StepKind.values()).map(StepKind::reportName).toList();
    assertEquals(List.of("mllib_sgd_full_step", "mllib_sgd_1pct_step", "descent_full_step",
        "descent_1pct_step", "descent_1pct_step_broadcast", "floor_pass", "spark_empty_job",
        "mllib_sgd_count_per_call", "descent_1pct_trainer_step"), names);
  }
}
