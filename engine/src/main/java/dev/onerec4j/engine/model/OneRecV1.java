package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.context.ContextEncoder;
import dev.onerec4j.engine.model.context.EmbeddedContext;
import dev.onerec4j.engine.model.context.EncoderLayer;
import dev.onerec4j.engine.model.decoder.CrossContext;
import dev.onerec4j.engine.model.decoder.DecoderLayer;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;

import java.util.List;

/**
 * OneRec V1: the pathways' tokens go through a bidirectional transformer encoder; every decoder layer projects
 * the encoder output to its own cross-attention keys/values.
 */
public final class OneRecV1 extends OneRecModel {

    private final ContextEncoder encoder;

    public OneRecV1(Init init, ModelConfig config, FeatureSpace space, SemanticIds sids) {
        super(init, config, space, sids, false);
        this.encoder = child("encoder", new ContextEncoder(init, config));
    }

    @Override
    protected CrossContext crossContext(EmbeddedContext context, DropoutStream drop) {
        Tensor encoded = encoder.forward(context, drop);
        List<DecoderLayer> layers = decoder.layers();
        KeyValues[] perLayer = new KeyValues[layers.size()];
        for (int l = 0; l < perLayer.length; l++) {
            perLayer[l] = layers.get(l).contextKeyValues(encoded);
        }
        return new CrossContext(perLayer, context.mask());
    }

    @Override
    protected void collectMoe(List<MixtureOfExperts> out) {
        for (EncoderLayer layer : encoder.layers()) {
            if (layer.ffn().moe() != null) {
                out.add(layer.ffn().moe());
            }
        }
    }
}
