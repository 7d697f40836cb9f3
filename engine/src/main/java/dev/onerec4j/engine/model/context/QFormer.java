package dev.onerec4j.engine.model.context;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.LifelongConfig;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.MultiHeadAttention;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.ops.Arith;

/**
 * The lifelong pathway's QFormer: {@code queries} learnable query vectors attend to the compressed history
 * (cross-attention, then a feed-forward network, pre-norm, {@code blocks} times), giving a fixed number of
 * tokens however long the history. A user without lifelong history gets the queries' own transformation (the
 * cross-attention of a query that sees no key is zero).
 */
public final class QFormer extends Module {

    private final Tensor queries;
    private final ModuleList<Block> blocks = child("blocks", new ModuleList<>());
    private final RmsNorm out;
    private final int count;
    private final int dim;

    static final class Block extends Module {
        final RmsNorm queryNorm;
        final RmsNorm memoryNorm;
        final MultiHeadAttention attention;
        final RmsNorm ffnNorm;
        final FeedForward ffn;

        Block(Init init, ModelConfig c) {
            queryNorm = child("query_norm", new RmsNorm(init, c.dim, c.normEps));
            memoryNorm = child("memory_norm", new RmsNorm(init, c.dim, c.normEps));
            attention = child("attention", new MultiHeadAttention(init, MultiHeadAttention.Kind.CROSS, c.dim, c.dim,
                    c.heads, c.kvHeads));
            ffnNorm = child("ffn_norm", new RmsNorm(init, c.dim, c.normEps));
            ffn = child("ffn", FeedForward.dense(init, c.dim, c.ffnHidden));
        }
    }

    public QFormer(Init init, ModelConfig config, LifelongConfig lifelong) {
        this.count = lifelong.queries;
        this.dim = config.dim;
        this.queries = parameter("queries", init.normal(0.02, count, dim));
        for (int i = 0; i < lifelong.blocks; i++) {
            blocks.add(new Block(init, config));
        }
        this.out = child("out_norm", new RmsNorm(init, dim, config.normEps));
    }

    /** {@code memory [b, r, dim]} with key mask {@code [b, r]} to {@code [b, queries, dim]}. */
    public Tensor forward(Tensor memory, Tensor mask, DropoutStream drop) {
        int b = memory.dim(0);
        Tensor q = queries.unsqueeze(0).expand(b, count, dim).contiguous();
        for (Block blk : blocks.items()) {
            Tensor attended = blk.attention.forward(blk.queryNorm.forward(q), blk.memoryNorm.forward(memory), mask);
            q = Arith.add(q, drop.apply(attended));
            q = Arith.add(q, drop.apply(blk.ffn.forward(blk.ffnNorm.forward(q))));
        }
        return out.forward(q);
    }

    public int queries() {
        return count;
    }
}
