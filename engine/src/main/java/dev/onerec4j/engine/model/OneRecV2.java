package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.context.ContextProcessor;
import dev.onerec4j.engine.model.context.EmbeddedContext;
import dev.onerec4j.engine.model.decoder.CrossContext;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;

/**
 * OneRec V2, the lazy decoder-only model: no encoder; the context processor turns the context tokens once into
 * {@code L_kv} key/value sets, and decoder layer {@code l} reads set {@code floor(l * L_kv / N_layer)} through
 * query-only (lazy) cross-attention. Compute moves from encoding the context to the decoder.
 */
public final class OneRecV2 extends OneRecModel {

    private final ContextProcessor processor;

    public OneRecV2(Init init, ModelConfig config, FeatureSpace space, SemanticIds sids) {
        super(init, config, space, sids, true);
        this.processor = child("processor", new ContextProcessor(init, config));
    }

    @Override
    protected CrossContext crossContext(EmbeddedContext context, DropoutStream drop) {
        KeyValues[] sets = processor.forward(context.tokens());
        KeyValues[] perLayer = new KeyValues[config.decoderLayers];
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] = sets[config.kvSetOf(l)];
        }
        return new CrossContext(perLayer, context.mask());
    }
}
