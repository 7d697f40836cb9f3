package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.nn.Init;

/** Builds the configured OneRec model; parameters live in {@code scope} and are identical for the same seed. */
public final class ModelFactory {

    private ModelFactory() {
    }

    public static OneRecModel create(ModelConfig config, FeatureSpace space, SemanticIds sids, MemoryScope scope,
                                     long seed) {
        return create(config, space, sids, new Init(scope, DType.F32, seed));
    }

    /** With an explicit initialiser (F64 parameters for gradient checks). */
    public static OneRecModel create(ModelConfig config, FeatureSpace space, SemanticIds sids, Init init) {
        return switch (config.architecture) {
            case V1 -> new OneRecV1(init, config, space, sids);
            case V2 -> new OneRecV2(init, config, space, sids);
        };
    }
}
