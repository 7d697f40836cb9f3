package dev.onerec4j.engine.model.context;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.MultiHeadAttention;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.ops.Arith;

/** One V1 encoder layer: pre-norm, fully visible self-attention over the context, then a feed-forward network. */
public final class EncoderLayer extends Module {

    private final RmsNorm attentionNorm;
    private final MultiHeadAttention attention;
    private final RmsNorm ffnNorm;
    private final FeedForward ffn;

    public EncoderLayer(Init init, ModelConfig c) {
        attentionNorm = child("attention_norm", new RmsNorm(init, c.dim, c.normEps));
        attention = child("attention", new MultiHeadAttention(init, MultiHeadAttention.Kind.SELF, c.dim, 0, c.heads,
                c.kvHeads));
        ffnNorm = child("ffn_norm", new RmsNorm(init, c.dim, c.normEps));
        ffn = child("ffn", c.moe.inEncoder()
                ? FeedForward.experts(init, c.dim, c.moe.expertHidden(c.ffnHidden), c.moe.experts, c.moe.topK, c.moe.balanceRate)
                : FeedForward.dense(init, c.dim, c.ffnHidden));
    }

    public Tensor forward(Tensor x, Tensor mask, DropoutStream drop) {
        x = Arith.add(x, drop.apply(attention.forward(attentionNorm.forward(x), mask, false)));
        return Arith.add(x, drop.apply(ffn.forward(ffnNorm.forward(x))));
    }

    public FeedForward ffn() {
        return ffn;
    }
}
