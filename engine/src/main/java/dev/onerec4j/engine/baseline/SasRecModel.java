package dev.onerec4j.engine.baseline;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.SasRecConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Autocast;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.MultiHeadAttention;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.nn.SwiGluFfn;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Linalg;

/**
 * SASRec (Kang and McAuley, ICDM 2018) as trained in the recent literature: item-id embeddings plus learned
 * positions, {@code layers} pre-norm causal self-attention blocks, and scores for every item as the dot product
 * of the last hidden state with the (shared) item embeddings, trained with full-catalogue softmax
 * cross-entropy. Sequences are right-aligned: the most recent item sits at the last position.
 */
public final class SasRecModel extends Module {

    static final class Block extends Module {
        final RmsNorm attentionNorm;
        final MultiHeadAttention attention;
        final RmsNorm ffnNorm;
        final SwiGluFfn ffn;

        Block(Init init, SasRecConfig c) {
            attentionNorm = child("attention_norm", new RmsNorm(init, c.dim, 1e-6));
            attention = child("attention", new MultiHeadAttention(init, MultiHeadAttention.Kind.SELF, c.dim, 0, c.heads,
                    c.heads));
            ffnNorm = child("ffn_norm", new RmsNorm(init, c.dim, 1e-6));
            ffn = child("ffn", new SwiGluFfn(init, c.dim, c.ffnHidden));
        }
    }

    private final SasRecConfig config;
    private final int items;
    private final Embedding itemEmbeddings;
    private final Embedding positions;
    private final ModuleList<Block> blocks = child("blocks", new ModuleList<>());
    private final RmsNorm norm;

    public SasRecModel(SasRecConfig config, int items, MemoryScope scope, long seed) {
        Init init = new Init(scope, DType.F32, seed);
        this.config = config;
        this.items = items;
        this.itemEmbeddings = child("items", new Embedding(init, items + 1, config.dim, 0.02));
        this.positions = child("positions", new Embedding(init, config.maxLength, config.dim, 0.02));
        for (int i = 0; i < config.layers; i++) {
            blocks.add(new Block(init, config));
        }
        this.norm = child("norm", new RmsNorm(init, config.dim, 1e-6));
    }

    public SasRecConfig config() {
        return config;
    }

    public int items() {
        return items;
    }

    /** Hidden states {@code [b, maxLength, dim]} of right-aligned item sequences ({@code -1} = padding). */
    public Tensor hidden(int[] sequences, int batch, DropoutStream drop) {
        int len = config.maxLength;
        int[] ids = new int[sequences.length];
        int[] mask = new int[sequences.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = sequences[i] < 0 ? items : sequences[i];
            mask[i] = sequences[i] < 0 ? 0 : 1;
        }
        int[] pos = new int[len];
        for (int t = 0; t < len; t++) {
            pos[t] = t;
        }
        Tensor x = itemEmbeddings.forward(Tensor.ofInts(ids, batch, len));
        x = Arith.add(Arith.scale(x, Math.sqrt(config.dim)), positions.forward(Tensor.ofInts(pos, len)));
        x = drop.apply(x);
        Tensor keyMask = Tensor.ofInts(mask, batch, len);
        for (Block b : blocks.items()) {
            x = Arith.add(x, drop.apply(b.attention.forward(b.attentionNorm.forward(x), keyMask, true)));
            x = Arith.add(x, drop.apply(b.ffn.forward(b.ffnNorm.forward(x))));
        }
        return norm.forward(x);
    }

    /** Scores {@code [..., items]} of hidden states {@code [..., dim]} against every item's embedding. */
    public Tensor scores(Tensor hidden) {
        Tensor table = itemEmbeddings.weight().slice(0, 0, items);
        return Linalg.matmul(Autocast.matmulInput(hidden), Autocast.matmulInput(table).transpose(0, 1));
    }

    /** Forward FLOPs of one sequence of {@code maxLength} positions (attention, FFN, full-catalogue scores). */
    public long forwardFlops() {
        long d = config.dim;
        long t = config.maxLength;
        long perLayer = 2 * t * d * 3 * d + 4 * t * t * d + 2 * t * d * d + t * 6 * d * config.ffnHidden;
        return config.layers * perLayer + 2 * t * d * items;
    }
}
