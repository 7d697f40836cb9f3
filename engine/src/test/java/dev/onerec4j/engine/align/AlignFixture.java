package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.eval.GenerativeRanker;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.reward.Objectives;
import dev.onerec4j.engine.reward.PScoreModel;
import dev.onerec4j.engine.reward.PScorer;
import dev.onerec4j.engine.reward.RewardConfig;
import dev.onerec4j.engine.reward.RewardFeatures;
import dev.onerec4j.engine.reward.RewardReport;
import dev.onerec4j.engine.reward.RewardRows;
import dev.onerec4j.engine.reward.RewardTrainer;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.train.GenerativeTask;
import dev.onerec4j.engine.train.PlantedSemanticIds;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.TrainOptions;
import dev.onerec4j.engine.train.Trainer;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A simulator world with a pre-trained tiny OneRec model and a trained reward model, from which preference
 * alignment runs start (each on a fresh copy of the pre-trained weights). Deterministic for its settings.
 */
public final class AlignFixture {

    public final SyntheticWorld world;
    public final Dataset dataset;
    public final LeaveOneOutSplit split;
    public final SemanticIds sids;
    public final RunConfig config;
    public final FeatureSpace space;
    public final ContextBatchBuilder builder;
    public final OneRecModel pretrained;
    public final PScorer scorer;
    public final RewardReport rewardReport;

    public AlignFixture(SyntheticSettings settings, SemanticIds sidsOrNull, RunConfig config, RewardConfig reward)
            throws Exception {
        this.world = SyntheticWorld.create(settings);
        this.dataset = world.dataset();
        this.split = LeaveOneOutSplit.of(dataset.histories());
        this.sids = sidsOrNull != null ? sidsOrNull : PlantedSemanticIds.of(world);
        this.config = config;
        this.space = FeatureSpace.of(dataset, sids);
        this.builder = new ContextBatchBuilder(dataset, space, config.model, ItemVectors.fromSemanticIds(sids, 16, 1));
        this.pretrained = newModel();
        GenerativeTask task = task(pretrained);
        Path dir = Files.createTempDirectory("align-fixture");
        new Trainer(config.train, config.eval, task, null, RunDirectory.create(dir), TrainOptions.quiet()).run();
        pretrained.train(false);
        var objectives = Objectives.derive(dataset);
        RewardFeatures features = new RewardFeatures(dataset, reward.history, reward.contentTokens);
        PScoreModel rm = new PScoreModel(new Init(MemoryScope.owned("fixture-reward"), DType.F32, reward.seed), reward,
                features, objectives);
        this.rewardReport = new RewardTrainer(rm, features, reward).train(dataset.name(),
                RewardRows.split(dataset, objectives), false);
        this.scorer = new PScorer(rm, features);
    }

    /** The tiny preset as the model tests use it (V2, short-term pathway of 20). */
    public static RunConfig tinyConfig(double epochs) {
        RunConfig c = ConfigLoader.preset("tiny");
        c.model.pathways.shortTerm = 20;
        c.train.lr = 0.01;
        c.train.epochs = epochs;
        return c;
    }

    public OneRecModel newModel() {
        return ModelFactory.create(config.model, space, sids, MemoryScope.owned("align-model"), config.train.seed);
    }

    /** A fresh model holding the pre-trained weights. */
    public OneRecModel copyOfPretrained() {
        OneRecModel m = newModel();
        Map<String, Tensor> dst = m.stateTensors();
        pretrained.stateTensors().forEach((k, v) -> dst.get(k).copyFrom(v));
        m.train(false);
        return m;
    }

    public GenerativeTask task(OneRecModel model) {
        return new GenerativeTask(model, builder, split.train(), config.train.labelSmoothing, config.eval.beamWidth);
    }

    /** Aligns a copy of the pre-trained model with {@code reward} and returns it. */
    public OneRecModel align(AlignConfig c, RewardSource reward, int[] sftSubset) throws Exception {
        OneRecModel model = copyOfPretrained();
        int sirClass = c.sirClass == null ? -1 : dataset.items().classIndex(c.sirClass);
        RolloutMaker maker = new RolloutMaker(c, builder, dataset.histories(), split.train(), reward, dataset.items(),
                sirClass);
        Path log = Files.createTempFile("align", ".csv");
        try (RolloutGenerator gen = new RolloutGenerator(maker, this::newModel, model, c.refreshEvery, c.steps)) {
            new EcpoTrainer(model, task(model), sftSubset, builder, c).run(gen, log, false, null);
        }
        if (Boolean.getBoolean("align.printLog")) {
            System.out.println(Files.readString(log));
        }
        model.train(false);
        return model;
    }

    /** Value, Recall and class share of a model's top-10 on the test users. */
    public AlignmentReport measure(OneRecModel model) {
        GenerativeRanker ranker = new GenerativeRanker(model, builder, dataset.histories(), config.eval.beamWidth);
        return new AlignmentEvaluator(ranker, 10, 64, scorer, world, dataset.items(), world.overExposedClass())
                .evaluate(split.test(), null, true);
    }
}
