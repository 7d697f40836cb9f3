package dev.onerec4j.engine.model;

import dev.onerec4j.engine.data.synthetic.PlantedCeiling;
import dev.onerec4j.engine.eval.Evaluator;
import dev.onerec4j.engine.eval.RankingMetrics;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.engine.train.GenerativeTask;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.TrainOptions;
import dev.onerec4j.engine.train.TrainResult;
import dev.onerec4j.engine.train.Trainer;
import dev.onerec4j.tensors.MemoryScope;

import java.nio.file.Files;
import java.nio.file.Path;

/** Trains a model on a synthetic fixture and reports test metrics next to the planted ceiling (used by tests). */
public final class LearningProbe {

    public record Outcome(RankingMetrics metrics, PlantedCeiling ceiling, TrainResult train, double seconds) {
    }

    public static Outcome run(SyntheticFixture fx, RunConfig config, Path dir) throws Exception {
        long t0 = System.nanoTime();
        FeatureSpace space = FeatureSpace.of(fx.dataset, fx.sids);
        MemoryScope params = MemoryScope.owned("probe-model");
        OneRecModel model = ModelFactory.create(config.model, space, fx.sids, params, config.train.seed);
        ContextBatchBuilder builder = new ContextBatchBuilder(fx.dataset, space, config.model,
                ItemVectors.fromSemanticIds(fx.sids, 16, 1));
        GenerativeTask task = new GenerativeTask(model, builder, fx.split.train(), config.train.labelSmoothing,
                config.eval.beamWidth);
        Files.createDirectories(dir);
        Trainer trainer = new Trainer(config.train, config.eval, task, null, RunDirectory.create(dir), TrainOptions.quiet());
        TrainResult r = trainer.run();
        Evaluator ev = new Evaluator(task.ranker(), 10, 64);
        RankingMetrics m = ev.evaluate(fx.split.test(), null, true, null);
        PlantedCeiling ceiling = PlantedCeiling.compute(fx.world, fx.split.test(),
                fx.split.trainItemCounts(fx.dataset.numItems()), 10);
        return new Outcome(m, ceiling, r, (System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        double affinity = Double.parseDouble(System.getProperty("affinity", "0.5"));
        SyntheticFixture fx = new SyntheticFixture(dev.onerec4j.engine.data.synthetic.SyntheticSettings.defaults()
                .withSize(Integer.getInteger("users", 800), 240, 12, 12, 24)
                .withProcess(Double.parseDouble(System.getProperty("transition", "0.8")), affinity, 0.05).withSeed(Long.getLong("seed", 7)));
        RunConfig c = ConfigLoader.preset(System.getProperty("preset", "tiny"));
        c.model.architecture = dev.onerec4j.engine.model.config.Architecture.parse(System.getProperty("arch", "v2"));
        c.train.epochs = Double.parseDouble(System.getProperty("epochs", "2"));
        c.model.pathways.shortTerm = Integer.getInteger("short", c.model.pathways.shortTerm);
        c.model.pathways.positive = Integer.getInteger("positive", c.model.pathways.positive);
        c.model.dim = Integer.getInteger("dim", c.model.dim);
        c.model.ffnHidden = 2 * c.model.dim;
        c.model.dropout = Double.parseDouble(System.getProperty("dropout", "" + c.model.dropout));
        c.train.lr = Double.parseDouble(System.getProperty("lr", "" + c.train.lr));
        c.model.kvSplit = Integer.getInteger("kvSplit", c.model.kvSplit);
        c.model.decoderLayers = Integer.getInteger("dec", c.model.decoderLayers);
        c.model.kvLayers = Integer.getInteger("kvLayers", c.model.kvLayers);
        c.model.heads = Integer.getInteger("heads", c.model.heads);
        c.model.kvHeads = Integer.getInteger("kvHeads", c.model.kvHeads);
        c.model.itemIdEmbedding = Boolean.parseBoolean(System.getProperty("itemId", "true"));
        Outcome o = run(fx, c, Files.createTempDirectory("probe"));
        System.out.println(o.metrics + "\n" + o.ceiling + "\n" + o.train + "\nseconds " + o.seconds);
    }
}
