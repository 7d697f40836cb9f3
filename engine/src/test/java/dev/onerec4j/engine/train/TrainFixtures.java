package dev.onerec4j.engine.train;

import dev.onerec4j.engine.model.ModelFactory;
import dev.onerec4j.engine.model.OneRecModel;
import dev.onerec4j.engine.model.SyntheticFixture;
import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.tensors.MemoryScope;

/** Short training setups on a synthetic fixture. */
final class TrainFixtures {

    private TrainFixtures() {
    }

    /** The tiny preset, small batches, MoE with balancing and dropout on, a short schedule. */
    static RunConfig shortRun(Architecture arch, int steps) {
        RunConfig c = ConfigLoader.preset("tiny");
        c.model.architecture = arch;
        c.model.dim = 16;
        c.model.heads = 2;
        c.model.kvHeads = 1;
        c.model.ffnHidden = 24;
        c.model.encoderLayers = 1;
        c.model.decoderLayers = 2;
        c.model.dropout = 0.1;
        c.model.moe.experts = 4;
        c.model.moe.topK = 2;
        c.model.moe.hidden = 8;
        c.model.pathways.shortTerm = 6;
        c.model.pathways.positive = 3;
        c.model.pathways.lifelong.length = 16;
        c.model.pathways.lifelong.maxRepresentatives = 4;
        c.model.pathways.lifelong.queries = 2;
        c.model.pathways.lifelong.stride = 4;
        c.train.batchSize = 24;
        c.train.accumulation = 2;
        c.train.maxSteps = steps;
        c.train.warmupSteps = 3;
        c.train.checkpointEvery = 4;
        c.train.logEvery = 2;
        c.train.evalUsers = 40;
        c.train.evalEvery = 5;
        c.train.patience = 0;
        return c.validate("test");
    }

    static GenerativeTask task(SyntheticFixture fx, RunConfig c, MemoryScope scope) {
        FeatureSpace space = FeatureSpace.of(fx.dataset, fx.sids);
        OneRecModel model = ModelFactory.create(c.model, space, fx.sids, scope, c.train.seed);
        ContextBatchBuilder builder = new ContextBatchBuilder(fx.dataset, space, c.model,
                ItemVectors.fromSemanticIds(fx.sids, 8, 1));
        return new GenerativeTask(model, builder, fx.split.train(), c.train.labelSmoothing, c.eval.beamWidth);
    }
}
