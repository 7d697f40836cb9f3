package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.config.Architecture;
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
import dev.onerec4j.engine.reward.TrainedReward;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.AssignedIdsTokenizer;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.engine.train.ModelFiles;
import dev.onerec4j.engine.train.PlantedSemanticIds;
import dev.onerec4j.engine.train.RunCatalog;
import dev.onerec4j.engine.train.RunDirectory;
import dev.onerec4j.engine.train.RunInfo;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Run folders for serving tests, written without training: a synthetic world (signals, durations and user features,
 * so every input path is exercised), semantic IDs planted from its clusters, a small randomly initialised model
 * saved as the run's best weights, and the run's catalogue.
 */
public final class ServingFixture {

    public final SyntheticWorld world;
    public final Dataset dataset;
    public final SemanticIds sids;

    public ServingFixture(long seed) {
        this.world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(120, 90, 6, 10, 40).withSeed(seed));
        this.dataset = world.dataset();
        this.sids = PlantedSemanticIds.of(world);
    }

    /** The tiny preset with every pathway on (lifelong too), V1 or V2, MoE when {@code experts > 0}. */
    public static RunConfig config(Architecture arch, int experts) {
        RunConfig c = ConfigLoader.preset("tiny");
        c.model.architecture = arch;
        c.model.dim = 16;
        c.model.heads = 4;
        c.model.kvHeads = 2;
        c.model.ffnHidden = 24;
        c.model.encoderLayers = 2;
        c.model.decoderLayers = 2;
        c.model.kvLayers = 2;
        c.model.kvSplit = arch == Architecture.V2 ? 2 : 1;
        c.model.pathways.shortTerm = 6;
        c.model.pathways.positive = 3;
        c.model.pathways.lifelong.length = 16;
        c.model.pathways.lifelong.clusterThreshold = 3;
        c.model.pathways.lifelong.maxRepresentatives = 4;
        c.model.pathways.lifelong.queries = 2;
        c.model.pathways.lifelong.stride = 4;
        if (experts > 0) {
            c.model.moe.experts = experts;
            c.model.moe.topK = 2;
            c.model.moe.hidden = 8;
            c.model.moe.where = "all";
        }
        c.eval.beamWidth = 12;
        return c.validate("serving fixture");
    }

    /** Writes a run folder for {@code config} into {@code dir} (random weights from {@code seed}). */
    public Path writeRun(Path dir, RunConfig config, long seed) throws IOException {
        RunDirectory run = RunDirectory.create(dir);
        FeatureSpace space = FeatureSpace.of(dataset, sids);
        try (MemoryScope scope = MemoryScope.owned("fixture model")) {
            OneRecModel model = ModelFactory.create(config.model, space, sids, scope, seed);
            Files.createDirectories(run.best());
            ModelFiles.write(run.best().resolve("model.safetensors"), model.stateTensors(), Map.of());
            new RunInfo(RunInfo.ONEREC, "", "csv", dataset.name(), config, space, model.parameterCount()).save(run);
        }
        AssignedIdsTokenizer.write(run.tokenizer(), dataset, sids.allSids(), sids.codebookSizes(), seed);
        RunCatalog.of(dataset, config.model.userIdEmbedding).save(run.catalog());
        return dir;
    }

    /**
     * Trains a small P-Score reward model on {@code data} for {@code epochs} (its tables in {@code scope}), saves
     * it into {@code out} as train-reward does, and returns its scorer over {@code data}.
     */
    public static PScorer writeReward(Dataset data, Path out, double epochs, MemoryScope scope) {
        RewardConfig c = new RewardConfig();
        c.dim = 16;
        c.hidden = 16;
        // Shorter than most histories, so a request must keep exactly the last interactions.
        c.history = 6;
        c.contentTokens = 4;
        c.epochs = epochs;
        c.validate();
        var objectives = Objectives.derive(data);
        RewardFeatures features = new RewardFeatures(data, c.history, c.contentTokens);
        PScoreModel model = new PScoreModel(new Init(scope, DType.F32, c.seed), c, features, objectives);
        RewardReport report = new RewardTrainer(model, features, c).train(data.name(),
                RewardRows.split(data, objectives), false);
        TrainedReward.save(out, data, model, features, c, report);
        return new PScorer(model, features);
    }

    /** User {@code user}'s first {@code length} interactions as a request history (ids, times, feedback). */
    public List<HistoryEntry> history(int user, int length) {
        var h = dataset.histories();
        List<HistoryEntry> out = new ArrayList<>();
        for (int p = 0; p < length; p++) {
            int row = h.row(user, p);
            Map<String, Double> feedback = new HashMap<>();
            for (Signal s : h.signals()) {
                float v = h.signal(s, row);
                if (!Float.isNaN(v)) {
                    feedback.put(s.columnName(), (double) v);
                }
            }
            out.add(new HistoryEntry(dataset.items().externalId(h.item(row)), h.timestamp(row), feedback));
        }
        return out;
    }

    /** User {@code user}'s categorical features as a request sends them. */
    public Map<String, String> userFeatures(int user) {
        Map<String, String> out = new HashMap<>();
        for (var f : dataset.users().features()) {
            int code = f.code(user);
            if (code != 0) {
                out.put(f.name(), f.value(code));
            }
        }
        return out;
    }
}
