package dev.onerec4j.engine.bench;

import dev.onerec4j.engine.model.FlopCounter;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;

/**
 * The model FLOPs one recommendation costs (2 per multiply-add; matrix products and attention): the context once
 * ({@link FlopCounter}'s context part: pathway embeddings, QFormer, V1 encoder and cross-attention key/value
 * projections, or V2's context processor), then one decoding step per SID level for every beam slot: 1 beam at
 * level 0, {@code beamWidth} beams after. A step of a beam at level {@code l} runs every decoder layer on one token
 * (self-attention over its {@code l + 1} cached positions, cross-attention queries over the {@code T} context
 * tokens, the feed-forward network) and the level's output head.
 */
public final class DecodeFlops {

    private DecodeFlops() {
    }

    public static long of(ModelConfig c, FeatureSpace space, int contextTokens, boolean staticToken, int beamWidth) {
        long context = FlopCounter.count(c, space, contextTokens, staticToken).context();
        long decode = 0;
        int levels = space.levels();
        for (int l = 0; l < levels; l++) {
            long beams = l == 0 ? 1 : beamWidth;
            decode += beams * step(c, space, contextTokens, l);
        }
        return context + decode;
    }

    /** FLOPs of one beam's step at {@code level}. */
    static long step(ModelConfig c, FeatureSpace space, int contextTokens, int level) {
        long d = c.dim;
        long kv = (long) c.kvHeads * c.headDim();
        long ffn = c.moe.enabled()
                ? 2 * d * c.moe.experts + (long) c.moe.topK * 6 * d * c.moe.expertHidden(c.ffnHidden)
                : 6 * d * c.ffnHidden;
        long self = 2 * d * (d + 2 * kv) + 4L * (level + 1) * d + 2 * d * d;
        long cross = 2 * d * d + 4L * contextTokens * d + 2 * d * d;
        return c.decoderLayers * (self + cross + ffn) + 2 * d * space.codebookSizes()[level];
    }
}
