package descent.driver;

import descent.core.MiniBatchPlan;
import descent.core.MlpLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Greedy layer-wise supervised pre-training of a network (Bengio, Lamblin, Popovici and
 * Larochelle 2007, "Greedy layer-wise training of deep networks", the supervised variant),
 * run before the training itself on the same cached data. Stage s of L (one a hidden layer)
 * trains the network of the first s hidden layers and an output layer for
 * {@link TrainingConfig#pretrainEpochs()} epochs of {@code ceil(rows / batch)} steps each: its
 * new hidden layer s and its output layer start from the weights {@link MlpLoss#initialParams}
 * draws from the run's seed for that network (biases 0), its layers 1 .. s−1 are the previous
 * stage's, and stay frozen: the stage's optimizer sees only the parameters of layers s and
 * s + 1 ({@link FrozenLayers}), so they train on the features the lower layers compute, as in
 * the paper. Stage L is the whole network; its parameters are where the training starts.
 *
 * <p>Each stage takes the run's optimizer (fresh state), its schedule (from its first step:
 * the stage's step t has the rate the run's step t would), its clipping and its penalty, and
 * reads the mini-batch plan's windows from the first, as the run's first epochs would. The
 * run's stop criteria, validation, iterate averaging and checkpoints belong to the training
 * that follows: a stage always runs its whole budget.
 */
public final class Pretraining {

  /**
   * One finished stage: its number (from 1), the network's widths {@code [d, n_1 .. n_s, K]},
   * the first layer it trained (the ones below were frozen; layers count from 1), the steps and
   * epochs it ran, the full objective of its network at its end (mean loss and penalty, over
   * every row), and its wall time.
   */
  public record Stage(int stage, int[] widths, int firstTrainedLayer, long steps, double epochs,
      double objective, double seconds) {

    public Stage {
      widths = widths.clone();
    }

    @Override
    public int[] widths() {
      return widths.clone();
    }

    /** The network as "64-32-10". */
    public String network() {
      return Pretraining.network(widths);
    }

    /** The fields as model.json's {@code training.pretrain.stages} hold them. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", stage);
      m.put("network", network());
      m.put("trainedLayers", IntStream.rangeClosed(firstTrainedLayer, widths.length - 1)
          .boxed().toList());
      m.put("steps", steps);
      m.put("epochs", epochs);
      m.put("objective", objective);
      m.put("seconds", seconds);
      return m;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Stage s && stage == s.stage && Arrays.equals(widths, s.widths)
          && firstTrainedLayer == s.firstTrainedLayer && steps == s.steps
          && Double.compare(epochs, s.epochs) == 0 && Double.compare(objective, s.objective) == 0
          && Double.compare(seconds, s.seconds) == 0;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(widths) * 31 + Long.hashCode(steps) * 7 + stage;
    }
  }

  /**
   * What pre-training did: the epochs of each stage and the stages in order. A checkpoint keeps
   * it, so a run resumed during its training still reports the stages that ran before.
   */
  public record Report(int epochsPerStage, List<Stage> stages) {
    public Report {
      stages = List.copyOf(stages);
    }

    /** The steps of every stage together. */
    public long steps() {
      return stages.stream().mapToLong(Stage::steps).sum();
    }

    /** The fields as model.json's {@code training.pretrain} holds them. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epochsPerStage", epochsPerStage);
      m.put("frozen", "the layers below each stage's new hidden layer");
      m.put("steps", steps());
      m.put("stages", stages.stream().map(Stage::toMap).toList());
      return m;
    }
  }

  /** Layer widths as "64-32-10". */
  public static String network(int[] widths) {
    return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-"));
  }

  private final TrainingConfig config;
  private final MlpLoss network;
  private final TrainingData data;
  private final MiniBatchPlan plan;
  private final double[] scale;
  private final int depth;
  private final TrainingListener listener;
  private final int d;
  private final long stepsPerEpoch;
  private final long stepsPerStage;

  /**
   * @param network the whole network the run trains
   * @param plan the run's mini-batch plan
   * @param scale null, or the run's {@code 1/σ_j} per weight of {@code network} when
   *     standardizing (the first layer's per feature, 1 for the others)
   * @param depth the run's {@code treeAggregate} depth
   */
  Pretraining(TrainingConfig config, MlpLoss network, TrainingData data, MiniBatchPlan plan,
      double[] scale, int depth, TrainingListener listener) {
    this.config = config;
    this.network = network;
    this.data = data;
    this.plan = plan;
    this.scale = scale;
    this.depth = depth;
    this.listener = listener;
    this.d = data.numFeatures();
    this.stepsPerEpoch = (plan.totalRows() + plan.batchSize() - 1) / plan.batchSize();
    this.stepsPerStage = Math.multiplyExact(stepsPerEpoch, (long) config.pretrainEpochs());
  }

  /** The network of stage {@code s} (1-based): the first s hidden layers and the outputs. */
  MlpLoss stageNetwork(int s) {
    return new MlpLoss(Arrays.copyOf(network.hidden(), s), network.activation(),
        network.output(), network.numOutputs());
  }

  /**
   * The starting parameters of stage {@code s}: the seed's draw for its network, with layers
   * 1 .. s−1 (weights and biases) taken from {@code previous}, the end of stage s − 1.
   */
  double[] stageStart(int s, double[] previous) {
    MlpLoss net = stageNetwork(s);
    double[] p = net.initialParams(d, true, config.seed());
    if (s > 1) {
      MlpLoss before = stageNetwork(s - 1);
      System.arraycopy(previous, 0, p, 0, net.weightOffset(s, d));
      int biases = net.biasOffset(s, d) - net.biasOffset(1, d);
      System.arraycopy(previous, before.biasOffset(1, d), p, net.biasOffset(1, d), biases);
    }
    return p;
  }

  /**
   * Runs every stage and sets {@code params} (the whole network's, in the space the run trains
   * in, standardized when standardizing) to the last stage's end.
   */
  Report run(double[] params) {
    int stages = network.hidden().length;
    List<Stage> done = new ArrayList<>();
    double[] previous = null;
    for (int s = 1; s <= stages; s++) {
      double[] start = stageStart(s, previous);
      Stage stage = runStage(s, stages, start);
      done.add(stage);
      previous = start;
    }
    if (previous.length != params.length) {
      throw new IllegalStateException("the last stage has " + previous.length
          + " parameters; the network " + params.length);
    }
    System.arraycopy(previous, 0, params, 0, params.length);
    return new Report(config.pretrainEpochs(), done);
  }

  /** Runs stage {@code s} of {@code stages} from {@code full}, which it leaves at the stage's end. */
  Stage runStage(int s, int stages, double[] full) {
    long begin = System.nanoTime();
    MlpLoss net = stageNetwork(s);
    int[] widths = new int[s + 2];
    for (int l = 0; l <= s + 1; l++) {
      widths[l] = net.width(l, d);
    }
    listener.onStageStart(s, stages, widths.clone(), stepsPerStage, full);
    int coefficients = net.numCoefficients(d);
    double[] stageScale = null;
    if (scale != null) {
      stageScale = new double[coefficients];
      Arrays.fill(stageScale, 1.0);
      int inputs = net.numInputCoefficients(d);
      System.arraycopy(scale, 0, stageScale, 0, inputs);
    }
    Regularizer regularizer = config.regularizer();
    BatchObjective objective = new BatchObjective(data.blocks(), plan, net, config.fitIntercept(),
        regularizer, stageScale, depth, full.length);
    FrozenLayers top = new FrozenLayers(objective, full, net.weightOffset(s, d), coefficients,
        net.biasOffset(s, d));
    Optimizer optimizer = config.optimizer().create(top.numCoefficients());
    boolean secondOrder = optimizer.isSecondOrder();
    if (regularizer.hasProx()) {
      optimizer = new ProximalOptimizer(optimizer, regularizer, top.numCoefficients());
    }
    var schedule = config.newSchedule(stepsPerEpoch);
    GradientClipper clipper = config.clipper();
    DivergenceGuard divergence = new DivergenceGuard();
    double[] x = top.trainable();
    double[] before = new double[x.length];
    var sc = data.blocks().context();
    try {
      for (long step = 1; step <= stepsPerStage; step++) {
        long stepStart = System.nanoTime();
        sc.setJobDescription("descent pre-training stage " + s + "/" + stages + " step " + step
            + "/" + stepsPerStage);
        double lr = schedule.rate(step - 1);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
          throw new IllegalArgumentException("the schedule " + schedule + " gave learning rate "
              + lr + " at step " + step + " of pre-training stage " + s);
        }
        objective.window(secondOrder ? 0 : step - 1);
        Evaluation raw = top.evaluate(x);
        divergence.checkLoss(step, raw.value(), lr);
        double gradNorm = Trainer.norm(raw.gradient());
        Evaluation at = raw;
        boolean clipped = false;
        if (clipper.active()) {
          double[] g = raw.gradient().clone();
          if (clipper.clip(g)) {
            at = new Evaluation(raw.value(), g, null, raw.rows());
            clipped = true;
          }
        }
        System.arraycopy(x, 0, before, 0, x.length);
        optimizer.step(x, at, top, lr);
        double stepNorm = divergence.checkStep(step, raw.value(), before, x, lr);
        long now = System.nanoTime();
        listener.onStageStep(s, new StepReport(step, stepsPerStage, plan.epoch(step),
            raw.value(), lr, gradNorm, stepNorm, at.rows(), (now - stepStart) / 1e9,
            (now - begin) / 1e9, Double.NaN, clipped));
        schedule.observe(step - 1, raw.value());
      }
    } catch (DivergenceException e) {
      throw new DivergenceException(e.step(), e.loss(), "pre-training stage " + s + "/" + stages
            + " (network " + network(widths) + "): " + e.getMessage());
    }
    top.embed(x);
    sc.setJobDescription("descent pre-training stage " + s + " objective");
    double value = objective.fullObjective(full);
    sc.setJobDescription(null);
    Stage stage = new Stage(s, widths, s, stepsPerStage, plan.epoch(stepsPerStage), value,
        (System.nanoTime() - begin) / 1e9);
    listener.onStageEnd(stage, full);
    return stage;
  }
}
