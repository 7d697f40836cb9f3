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

    /**
     * @param expectedRecall mean over test examples of the expected Recall@10 of the model's list under the true
     *                       next-item distribution (no sampling noise from the held-out target)
     */
    public record Outcome(RankingMetrics metrics, double expectedRecall, PlantedCeiling ceiling, TrainResult train,
                          double seconds) {
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
        if (Boolean.getBoolean("levels")) {
            try (var g = dev.onerec4j.tensors.GradMode.disabled(); MemoryScope s = MemoryScope.open("lv")) {
                var test = fx.split.test();
                int n = test.size();
                int[] users = new int[n], pos = new int[n], sids = new int[n * 3];
                for (int i = 0; i < n; i++) { users[i] = test.user(i); pos[i] = test.position(i); for (int l = 0; l < 3; l++) sids[i * 3 + l] = fx.sids.token(test.targetItem(i), l); }
                var lp = model.logProbs(builder.build(users, pos), sids);
                for (int l = 0; l < 3; l++) { double nll = 0; int acc = 0; for (int i = 0; i < n; i++) { float[] row = lp[l].select(0, i).toFloatArray(); nll -= row[sids[i * 3 + l]]; int best = 0; for (int t = 1; t < row.length; t++) if (row[t] > row[best]) best = t; acc += best == sids[i * 3 + l] ? 1 : 0; } System.out.printf("level %d: nll %.4f acc %.4f%n", l, nll / n, (double) acc / n); }
            }
        }
        PlantedCeiling ceiling = PlantedCeiling.compute(fx.world, fx.split.test(),
                fx.split.trainItemCounts(fx.dataset.numItems()), 10);
        return new Outcome(m, expectedRecall(fx, task), ceiling, r, (System.nanoTime() - t0) / 1e9);
    }

    /** Mean expected Recall@10 of the model's test lists under the world's exact next-item distributions. */
    static double expectedRecall(SyntheticFixture fx, GenerativeTask task) {
        var test = fx.split.test();
        var ranker = task.ranker();
        double sum = 0;
        int batch = 100;
        for (int from = 0; from < test.size(); from += batch) {
            int n = Math.min(batch, test.size() - from);
            int[] users = new int[n];
            int[] positions = new int[n];
            for (int i = 0; i < n; i++) {
                users[i] = test.user(from + i);
                positions[i] = test.position(from + i);
            }
            int[][] lists;
            try (var g = dev.onerec4j.tensors.GradMode.disabled(); MemoryScope s = MemoryScope.open("expected")) {
                lists = ranker.rank(users, positions, 10, true);
            }
            for (int i = 0; i < n; i++) {
                sum += PlantedCeiling.expectedRecall(fx.world.trueNextItemDistribution(test, from + i), lists[i]);
            }
        }
        return sum / test.size();
    }

    public static void main(String[] args) throws Exception {
        double affinity = Double.parseDouble(System.getProperty("affinity", "0.5"));
        SyntheticFixture fx = new SyntheticFixture(dev.onerec4j.engine.data.synthetic.SyntheticSettings.defaults()
                .withSize(Integer.getInteger("users", 800), Integer.getInteger("items", 240), Integer.getInteger("clusters", 12), 12, 24)
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
        c.eval.beamWidth = Integer.getInteger("beam", c.eval.beamWidth);
        c.model.kvSplit = Integer.getInteger("kvSplit", c.model.kvSplit);
        c.model.contextMlp = Boolean.parseBoolean(System.getProperty("mlp", "true"));
        c.model.decoderLayers = Integer.getInteger("dec", c.model.decoderLayers);
        c.model.kvLayers = Integer.getInteger("kvLayers", c.model.kvLayers);
        c.model.heads = Integer.getInteger("heads", c.model.heads);
        c.model.kvHeads = Integer.getInteger("kvHeads", c.model.kvHeads);
        c.model.itemIdEmbedding = Boolean.parseBoolean(System.getProperty("itemId", "true"));
        Outcome o = run(fx, c, Files.createTempDirectory("probe"));
        System.out.println(o.metrics + "\nexpected recall@10 " + o.expectedRecall + " = " + (o.expectedRecall / o.ceiling.recall()) + " of ceiling\n" + o.ceiling + "\n" + o.train + "\nseconds " + o.seconds);
    }
}
