package descent.driver.scratch;

import descent.core.LabelDomain;
import descent.driver.*;
import org.junit.jupiter.api.Test;

class L1Scratch {
  @Test
  void l1() throws Exception {
    TrainingData heart = TestData.libsvm(TestSpark.sharedData("heart_scale"), 2, LabelDomain.BINARY, 13, 42);
    double ref = 0;
    for (long steps : new long[] {600, 1000, 1500}) {
      for (double mom : new double[] {0, 0.9}) {
        OptimizerConfig o = new OptimizerConfig("sgd", mom == 0 ? null : mom, null, mom == 0 ? null : true, null, null, null, null, null, null, null, null, null, null, null, null, null);
        long t0 = System.nanoTime();
        TrainingResult r = new Trainer(TrainingConfig.builder().modelType(ModelType.LOGISTIC).regL1(0.02).optimizer(o)
            .learningRate(mom == 0 ? 3.0 : 1.0).maxSteps(steps).build(), TrainingListener.NONE).train(heart);
        System.err.printf("L1 steps %d mom %.1f objective %.15f %.1fs%n", steps, mom, r.objective(), (System.nanoTime()-t0)/1e9);
      }
    }
  }
}
