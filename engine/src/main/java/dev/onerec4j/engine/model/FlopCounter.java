package dev.onerec4j.engine.model;

import dev.onerec4j.engine.model.config.Architecture;
import dev.onerec4j.engine.model.config.LifelongConfig;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;

/**
 * Counts a model's forward FLOPs per sample analytically from its shape (matrix products and attention; norms,
 * activations and lookups are ignored): {@code T} context tokens (padding included, since it is computed),
 * {@code L} SID levels decoded, {@code d} the model width, {@code kv} the key/value width
 * ({@code kvHeads * headDim}).
 * <pre>
 *   self-attention over n tokens:   2n d (d + 2kv) + 4 n^2 d + 2 n d^2
 *   cross-attention, L queries:     2L d^2 (query) + 4 L T d + 2 L d^2 (output)   [+ 2 T d 2kv per V1 layer]
 *   dense SwiGLU FFN per token:     6 d h;  MoE: 2 d E (router) + k 6 d h_e
 *   V2 context processor:           2 T d (S_kv L_kv kv)
 * </pre>
 */
public final class FlopCounter {

    private FlopCounter() {
    }

    public static FlopCount count(ModelConfig c, FeatureSpace space, int contextTokens, boolean staticToken) {
        long d = c.dim;
        long kv = (long) c.kvHeads * c.headDim();
        long t = contextTokens;
        long levels = space.levels();
        var p = c.pathways;
        long sequenceTokens = p.shortTerm + p.positive + (p.lifelong.enabled() ? p.lifelong.maxRepresentatives : 0);
        long context = 2 * sequenceTokens * space.interactionFeatures().size() * d;
        if (p.lifelong.enabled()) {
            context += qformer(c, p.lifelong, kv);
        }
        long denseFfn = 6 * d * c.ffnHidden;
        long decoderFfn = c.moe.enabled() ? moeFfn(c) : denseFfn;
        long decoder = 0;
        if (c.architecture == Architecture.V1) {
            long encoderFfn = c.moe.inEncoder() ? moeFfn(c) : denseFfn;
            context += c.encoderLayers * (selfAttention(t, d, kv) + t * encoderFfn);
            context += c.decoderLayers * (2 * t * d * 2 * kv);
        } else {
            context += 2 * t * d * ((long) c.kvSplit * c.kvLayers * kv) + (c.contextMlp ? t * denseFfn : 0);
        }
        decoder += c.decoderLayers * (selfAttention(levels, d, kv) + crossQueries(levels, t, d) + levels * decoderFfn);
        for (int l = 0; l < levels; l++) {
            decoder += 2 * d * space.codebookSizes()[l];
        }
        return new FlopCount(context, decoder);
    }

    private static long selfAttention(long n, long d, long kv) {
        return 2 * n * d * (d + 2 * kv) + 4 * n * n * d + 2 * n * d * d;
    }

    private static long crossQueries(long queries, long t, long d) {
        return 2 * queries * d * d + 4 * queries * t * d + 2 * queries * d * d;
    }

    private static long moeFfn(ModelConfig c) {
        long d = c.dim;
        return 2 * d * c.moe.experts + (long) c.moe.topK * 6 * d * c.moe.expertHidden(c.ffnHidden);
    }

    private static long qformer(ModelConfig c, LifelongConfig life, long kv) {
        long d = c.dim;
        long q = life.queries;
        long r = life.maxRepresentatives;
        long perBlock = crossQueries(q, r, d) + 2 * r * d * 2 * kv + q * 6 * d * c.ffnHidden;
        return life.blocks * perBlock;
    }
}
