package dev.onerec4j.engine.model.decoder;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.model.context.FeedForward;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.MultiHeadAttention;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.ops.Arith;

/**
 * One decoder layer over the target's SID tokens, pre-norm with residuals: causal self-attention, cross-attention
 * to the context, and a dense or MoE feed-forward network.
 * <ul>
 *   <li>V1 (report eq. 24-26): self-attention, then cross-attention with the layer's own key/value projection of
 *       the encoder output ({@link #contextKeyValues});</li>
 *   <li>V2 lazy decoder block: lazy cross-attention first (queries and output projection only; the keys/values
 *       come from the context processor), then self-attention.</li>
 * </ul>
 */
public final class DecoderLayer extends Module {

    private final boolean crossFirst;
    private final RmsNorm selfNorm;
    private final MultiHeadAttention self;
    private final RmsNorm crossNorm;
    private final MultiHeadAttention cross;
    private final RmsNorm ffnNorm;
    private final FeedForward ffn;

    /** @param lazy V2: query-only cross-attention, placed before self-attention */
    public DecoderLayer(Init init, ModelConfig c, boolean lazy) {
        this.crossFirst = lazy;
        selfNorm = child("self_norm", new RmsNorm(init, c.dim, c.normEps));
        self = child("self_attention", new MultiHeadAttention(init, MultiHeadAttention.Kind.SELF, c.dim, 0, c.heads,
                c.kvHeads));
        crossNorm = child("cross_norm", new RmsNorm(init, c.dim, c.normEps));
        cross = child("cross_attention", new MultiHeadAttention(init,
                lazy ? MultiHeadAttention.Kind.QUERY_ONLY : MultiHeadAttention.Kind.CROSS, c.dim, c.dim, c.heads,
                c.kvHeads));
        ffnNorm = child("ffn_norm", new RmsNorm(init, c.dim, c.normEps));
        ffn = child("ffn", c.moe.enabled()
                ? FeedForward.experts(init, c.dim, c.moe.expertHidden(c.ffnHidden), c.moe.experts, c.moe.topK, c.moe.balanceRate)
                : FeedForward.dense(init, c.dim, c.ffnHidden));
    }

    /** The V1 layer's keys/values of the encoder output {@code [b, t, dim]}. */
    public KeyValues contextKeyValues(Tensor encoded) {
        return cross.contextKeyValues(encoded);
    }

    /** Teacher-forced forward over all target positions {@code x [b, levels, dim]}. */
    public Tensor forward(Tensor x, KeyValues context, Tensor contextMask, DropoutStream drop) {
        if (crossFirst) {
            x = crossStep(x, context, contextMask, drop);
            x = Arith.add(x, drop.apply(self.forward(selfNorm.forward(x), null, true)));
        } else {
            x = Arith.add(x, drop.apply(self.forward(selfNorm.forward(x), null, true)));
            x = crossStep(x, context, contextMask, drop);
        }
        return Arith.add(x, drop.apply(ffn.forward(ffnNorm.forward(x))));
    }

    private Tensor crossStep(Tensor x, KeyValues context, Tensor contextMask, DropoutStream drop) {
        return Arith.add(x, drop.apply(cross.attend(crossNorm.forward(x), context, contextMask, false)));
    }

    /**
     * One decoding step for {@code x [requests * beams, 1, dim]} (beams of a request adjacent): self-attention over
     * the beam's cached keys/values (extended with this step's), and cross-attention in which the beams of a
     * request are the query positions of one attention over that request's shared context keys/values.
     */
    public Tensor step(Tensor x, KeyValues context, Tensor contextMask, KeyValues[] cache, int slot) {
        if (crossFirst) {
            x = crossDecode(x, context, contextMask);
            x = selfDecode(x, cache, slot);
        } else {
            x = selfDecode(x, cache, slot);
            x = crossDecode(x, context, contextMask);
        }
        return Arith.add(x, ffn.forward(ffnNorm.forward(x)));
    }

    private Tensor selfDecode(Tensor x, KeyValues[] cache, int slot) {
        Tensor h = selfNorm.forward(x);
        cache[slot] = MultiHeadAttention.append(cache[slot], self.selfKeyValues(h));
        return Arith.add(x, self.attend(h, cache[slot], null, true));
    }

    private Tensor crossDecode(Tensor x, KeyValues context, Tensor contextMask) {
        int requests = contextMask.dim(0);
        int n = x.dim(0);
        int dim = x.dim(2);
        Tensor h = crossNorm.forward(x).reshape(requests, n / requests, dim);
        Tensor attended = cross.attend(h, context, contextMask, false);
        return Arith.add(x, attended.reshape(n, 1, dim));
    }

    public FeedForward ffn() {
        return ffn;
    }
}
