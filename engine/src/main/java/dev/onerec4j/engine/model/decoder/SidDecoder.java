package dev.onerec4j.engine.model.decoder;

import dev.onerec4j.engine.model.DropoutStream;
import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.engine.sample.FeatureSpace;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Embedding;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Indexing;

import java.util.List;

/**
 * The point-wise generation decoder (report eq. 22-23): its input for a target item is
 * {@code [BOS, sid_1, ..., sid_{L-1}]} (a learnable begin token, then the target's SID tokens from the shared
 * table, each plus a learnable level embedding), and position {@code l}'s output predicts {@code sid_{l+1}}.
 */
public final class SidDecoder extends Module {

    private final Tensor bos;
    private final Embedding levelEmbeddings;
    private final ModuleList<DecoderLayer> layers = child("layers", new ModuleList<>());
    private final RmsNorm norm;
    private final Embedding sidTokens;
    private final int[] offsets;
    private final int dim;

    public SidDecoder(Init init, ModelConfig config, FeatureSpace space, Embedding sidTokens, boolean lazy) {
        this.dim = config.dim;
        this.sidTokens = sidTokens;
        this.bos = parameter("bos", init.normal(0.02, dim));
        this.levelEmbeddings = child("level_embeddings", new Embedding(init, space.levels(), dim, 0.02));
        for (int l = 0; l < config.decoderLayers; l++) {
            layers.add(new DecoderLayer(init, config, lazy));
        }
        this.norm = child("norm", new RmsNorm(init, dim, config.normEps));
        this.offsets = new int[space.levels()];
        for (int l = 0; l < offsets.length; l++) {
            offsets[l] = space.levelOffset(l);
        }
    }

    public List<DecoderLayer> layers() {
        return layers.items();
    }

    /** Teacher-forced hidden states {@code [b, levels, dim]} for targets {@code sids [b * levels]}. */
    public Tensor forward(int[] sids, CrossContext context, DropoutStream drop) {
        int levels = offsets.length;
        int b = sids.length / levels;
        Tensor first = bos.reshape(1, 1, dim).expand(b, 1, dim);
        Tensor x;
        if (levels > 1) {
            int[] tokens = new int[b * (levels - 1)];
            for (int i = 0; i < b; i++) {
                for (int l = 0; l < levels - 1; l++) {
                    tokens[i * (levels - 1) + l] = offsets[l] + sids[i * levels + l];
                }
            }
            x = Indexing.concat(1, first, sidTokens.forward(Tensor.ofInts(tokens, b, levels - 1)));
        } else {
            x = first.contiguous();
        }
        int[] lv = new int[levels];
        for (int l = 0; l < levels; l++) {
            lv[l] = l;
        }
        x = drop.apply(Arith.add(x, levelEmbeddings.forward(Tensor.ofInts(lv, levels))));
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).forward(x, context.perLayer()[l], context.mask(), drop);
        }
        return norm.forward(x);
    }

    /**
     * The decoder input of one step at {@code level} for {@code n} beams: BOS at level 0, else the embedding of each
     * beam's previous token (a token of level {@code level - 1}); {@code [n, 1, dim]}.
     */
    public Tensor stepInput(int level, int n, int[] previousTokens) {
        Tensor x;
        if (level == 0) {
            x = bos.reshape(1, 1, dim).expand(n, 1, dim);
        } else {
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = offsets[level - 1] + previousTokens[i];
            }
            x = sidTokens.forward(Tensor.ofInts(tokens, n, 1));
        }
        Tensor lv = levelEmbeddings.forward(Tensor.ofInts(new int[] {level}, 1));
        return Arith.add(x, lv);
    }

    /** One incremental step through all layers; returns the normalised hidden state {@code [n, 1, dim]}. */
    public Tensor step(Tensor x, CrossContext context, KeyValues[] cache) {
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).step(x, context.perLayer()[l], context.mask(), cache, l);
        }
        return norm.forward(x);
    }
}
