package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.ConfigLoader;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.config.RunConfig;
import dev.onerec4j.engine.sample.ContextBatch;
import dev.onerec4j.engine.sample.ContextBatchBuilder;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.sample.ItemVectors;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

/** Small randomly initialised models over a synthetic fixture, for structural tests. */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /** The tiny preset with every pathway on (lifelong too) for {@code architecture}; MoE when {@code experts > 0}. */
    public static ModelConfig config(Architecture architecture, int experts) {
        RunConfig c = ConfigLoader.preset("tiny");
        ModelConfig m = c.model;
        m.architecture = architecture;
        m.dim = 16;
        m.heads = 4;
        m.kvHeads = 2;
        m.ffnHidden = 24;
        m.encoderLayers = 2;
        m.decoderLayers = 3;
        m.kvLayers = 2;
        m.kvSplit = architecture == Architecture.V2 ? 2 : 1;
        m.pathways.shortTerm = 6;
        m.pathways.positive = 3;
        m.pathways.lifelong.length = 24;
        m.pathways.lifelong.clusterThreshold = 3;
        m.pathways.lifelong.maxRepresentatives = 5;
        m.pathways.lifelong.queries = 2;
        m.pathways.lifelong.stride = 4;
        m.userIdEmbedding = true;
        if (experts > 0) {
            m.moe.experts = experts;
            m.moe.topK = 2;
            m.moe.hidden = 8;
            m.moe.where = "all";
        }
        return m;
    }

    public record Built(OneRecModel model, ContextBatchBuilder builder, FeatureSpace space) {
    }

    public static Built build(SyntheticFixture fx, ModelConfig config, DType dtype, long seed) {
        FeatureSpace space = FeatureSpace.of(fx.dataset, fx.sids);
        MemoryScope scope = MemoryScope.owned("fixture-model");
        OneRecModel model = ModelFactory.create(config, space, fx.sids, new Init(scope, dtype, seed));
        ContextBatchBuilder builder = new ContextBatchBuilder(fx.dataset, space, config,
                ItemVectors.fromSemanticIds(fx.sids, 8, 3));
        model.train(false);
        return new Built(model, builder, space);
    }

    /** A batch of the last-but-one positions of the first {@code n} users. */
    public static ContextBatch batch(SyntheticFixture fx, ContextBatchBuilder builder, int n, int[] positionsOut) {
        int[] users = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = i;
            positionsOut[i] = fx.dataset.histories().length(i) - 2;
        }
        return builder.build(users, positionsOut);
    }
}
