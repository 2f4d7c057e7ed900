package descent.driver.scratch;

import descent.core.LabelDomain;
import descent.driver.*;
import descent.driver.schedule.*;
import org.junit.jupiter.api.Test;

class A9aGridScratch {
  @Test
  void grid() {
    TrainingData a9a = TestData.libsvm(TestSpark.sharedData("a9a"), 2, LabelDomain.BINARY, 123, 42);
    double opt = 0.324506924713758;
    String[] spec = System.getProperty("grid").split(";");
    for (String s : spec) {
      String[] p = s.split(",");
      String name = p[0];
      double lr = Double.parseDouble(p[1]);
      long steps = Long.parseLong(p[2]);
      String sched = p[3];
      OptimizerConfig oc = switch (name) {
        case "nesterov" -> new OptimizerConfig("sgd", 0.9, null, true, null, null, null, null, null, null, null, null, null, null, null, null, null);
        case "momentum" -> new OptimizerConfig("sgd", 0.9, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        case "rmspropm" -> new OptimizerConfig("rmsprop", 0.9, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        case "adamw0" -> new OptimizerConfig("adamw", null, null, null, null, null, null, null, 0.0, null, null, null, null, null, null, null, null);
        default -> OptimizerConfig.named(name);
      };
      LearningRateSchedule schedule = switch (sched) {
        case "cos" -> new CosineAnnealing(lr, steps);
        case "const" -> new ConstantSchedule(lr);
        default -> new CosineAnnealing(lr, steps);
      };
      long t0 = System.nanoTime();
      TrainingConfig c = TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL2(1e-4)
          .optimizer(oc).learningRate(lr).schedule(schedule).maxSteps(steps).build();
      TrainingResult r = new Trainer(c, TrainingListener.NONE).train(a9a);
      System.out.printf("GRID %s lr %g steps %d %s gap %.3e  %.1fs%n", name, lr, steps, sched,
          (r.objective() - opt) / opt, (System.nanoTime() - t0) / 1e9);
    }
  }
}
