package dev.onerec4j.engine.tokenizer.encoder;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.MultiHeadAttention;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.nn.SwiGluFfn;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Reduce;
import dev.onerec4j.tensors.ops.Views;

/**
 * The item encoder: an item's input tokens (content, bucketed numeric features, optional identity token) to an
 * item embedding of width {@code outDim}. Two architectures (see {@link EncoderSettings.Kind}):
 * <ul>
 *   <li>POOLED: the masked mean of the token embeddings, a residual RMSNorm + SwiGLU block, a projection;</li>
 *   <li>QFORMER: the report's compression of an item's token vectors by learnable queries — {@code queries}
 *       learnable vectors, each layer a cross-attention from the queries to the (normed) token embeddings
 *       and a SwiGLU block, both residual; the mean of the queries is projected.</li>
 * </ul>
 * Token id {@code vocabSize} is padding.
 */
public final class ItemEncoder extends Module {

    private final EncoderSettings.Kind kind;
    private final int vocabSize;
    private final Embedding tokens;
    private final RmsNorm poolNorm;
    private final SwiGluFfn poolFfn;
    private final Tensor queries;
    private final RmsNorm contextNorm;
    private final ModuleList<QueryLayer> layers;
    private final Linear out;

    /** One QFormer layer. */
    static final class QueryLayer extends Module {
        final RmsNorm attnNorm;
        final MultiHeadAttention attn;
        final RmsNorm ffnNorm;
        final SwiGluFfn ffn;

        QueryLayer(Init init, int dim, int heads) {
            attnNorm = child("attn_norm", new RmsNorm(init, dim, 1e-6));
            attn = child("attn", new MultiHeadAttention(init, MultiHeadAttention.Kind.CROSS, dim, dim, heads, heads));
            ffnNorm = child("ffn_norm", new RmsNorm(init, dim, 1e-6));
            ffn = child("ffn", new SwiGluFfn(init, dim, 2 * dim));
        }

        Tensor forward(Tensor q, Tensor context, Tensor keyMask) {
            q = Arith.add(q, attn.forward(attnNorm.forward(q), context, keyMask));
            return Arith.add(q, ffn.forward(ffnNorm.forward(q)));
        }
    }

    public ItemEncoder(Init init, EncoderSettings s, int vocabSize) {
        this.kind = s.kind();
        this.vocabSize = vocabSize;
        int d = s.tokenDim();
        this.tokens = child("tokens", new Embedding(init, vocabSize + 1, d, 1.0 / Math.sqrt(d)));
        if (kind == EncoderSettings.Kind.POOLED) {
            this.poolNorm = child("pool_norm", new RmsNorm(init, d, 1e-6));
            this.poolFfn = child("pool_ffn", new SwiGluFfn(init, d, 2 * d));
            this.queries = null;
            this.contextNorm = null;
            this.layers = null;
        } else {
            this.poolNorm = null;
            this.poolFfn = null;
            this.queries = parameter("queries", init.normal(1.0 / Math.sqrt(d), 1, s.queries(), d));
            this.contextNorm = child("context_norm", new RmsNorm(init, d, 1e-6));
            this.layers = child("layers", new ModuleList<>());
            for (int l = 0; l < s.layers(); l++) {
                layers.add(new QueryLayer(init, d, s.heads()));
            }
        }
        this.out = child("out", new Linear(init, d, s.outDim(), false));
    }

    /** The padding token id. */
    public int padId() {
        return vocabSize;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int outDim() {
        return out.outFeatures();
    }

    /** Item embeddings {@code [b, outDim]} of a batch (not normalised). */
    public Tensor forward(TokenBatch batch) {
        Tensor e = tokens.forward(batch.ids());
        if (kind == EncoderSettings.Kind.POOLED) {
            Tensor h = Reduce.sum(Arith.mul(e, batch.weights()), 1, false);
            h = Arith.add(h, poolFfn.forward(poolNorm.forward(h)));
            return out.forward(h);
        }
        int b = batch.size();
        Tensor context = contextNorm.forward(e);
        Tensor q = Views.expand(queries, b, queries.dim(1), queries.dim(2));
        for (QueryLayer layer : layers.items()) {
            q = layer.forward(q, context, batch.keyMask());
        }
        return out.forward(Reduce.mean(q, 1, false));
    }

    /** Rows scaled to unit length: {@code x / sqrt(|x|^2 + 1e-12)}. */
    public static Tensor normalize(Tensor x) {
        Tensor norm = Arith.sqrt(Arith.addScalar(Reduce.sum(Arith.square(x), 1, true), 1e-12));
        return Arith.div(x, norm);
    }
}
