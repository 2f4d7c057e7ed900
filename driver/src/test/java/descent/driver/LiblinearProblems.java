package descent.driver;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * LIBSVM files as LIBLINEAR problems, for the tests that check descent against LIBLINEAR as an
 * independent solver. Kept apart from {@link TestData}, which the jobs tests load without
 * LIBLINEAR on their class path.
 */
final class LiblinearProblems {
  private LiblinearProblems() {}

  /** A binary LIBSVM file without bias (labels > 0 become +1, the rest −1). */
  static Problem binary(Path file, int numFeatures) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Problem problem = new Problem();
    problem.l = lines.size();
    problem.n = numFeatures;
    problem.x = new Feature[problem.l][];
    problem.y = new double[problem.l];
    for (int i = 0; i < problem.l; i++) {
      String[] tokens = lines.get(i).trim().split("\\s+");
      problem.y[i] = Double.parseDouble(tokens[0]) > 0 ? 1 : -1;
      problem.x[i] = new Feature[tokens.length - 1];
      for (int k = 1; k < tokens.length; k++) {
        String[] iv = tokens[k].split(":");
        problem.x[i][k - 1] = new FeatureNode(Integer.parseInt(iv[0]), Double.parseDouble(iv[1]));
      }
    }
    problem.bias = -1;
    return problem;
  }
}
