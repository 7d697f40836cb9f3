package dev.onerec4j.engine.model.context;

import dev.onerec4j.engine.model.config.ModelConfig;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.ModuleList;
import dev.onerec4j.tensors.nn.MultiHeadAttention.KeyValues;
import dev.onerec4j.tensors.nn.RmsNorm;
import dev.onerec4j.tensors.ops.Arith;

/**
 * OneRec-V2's context processor: each context token (optionally first through its own small feed-forward network,
 * as the report's per-feature MLPs; nothing is mixed across tokens) is projected once to
 * {@code d_context = S_kv * L_kv * G_kv * d_head}, cut into {@code S_kv * L_kv} slices of {@code G_kv * d_head},
 * and for each key/value set {@code l < L_kv}: {@code k_l = RMSNorm_k,l(slice[l * S_kv])},
 * {@code v_l = RMSNorm_v,l(slice[l * S_kv + S_kv - 1])}. With {@code S_kv = 1} keys and values come from the same
 * slice through separate normalisations. The decoder layers read these key/values directly (lazy
 * cross-attention): they have no key/value projections of the context of their own.
 */
public final class ContextProcessor extends Module {

    private final RmsNorm mlpNorm;
    private final FeedForward mlp;
    private final Linear projection;
    private final ModuleList<RmsNorm> keyNorms = child("key_norms", new ModuleList<>());
    private final ModuleList<RmsNorm> valueNorms = child("value_norms", new ModuleList<>());
    private final int sets;
    private final int split;
    private final int groups;
    private final int headDim;

    public ContextProcessor(Init init, ModelConfig c) {
        this.sets = c.kvLayers;
        this.split = c.kvSplit;
        this.groups = c.kvHeads;
        this.headDim = c.headDim();
        int width = groups * headDim;
        this.mlpNorm = c.contextMlp ? child("mlp_norm", new RmsNorm(init, c.dim, c.normEps)) : null;
        this.mlp = c.contextMlp ? child("mlp", FeedForward.dense(init, c.dim, c.ffnHidden)) : null;
        this.projection = child("projection", new Linear(init, c.dim, split * sets * width, false));
        for (int l = 0; l < sets; l++) {
            keyNorms.add(new RmsNorm(init, width, c.normEps));
            valueNorms.add(new RmsNorm(init, width, c.normEps));
        }
    }

    /** The {@code L_kv} key/value sets of a context {@code [b, t, dim]}, each {@code [b, G_kv, t, d_head]}. */
    public KeyValues[] forward(Tensor context) {
        int b = context.dim(0);
        int t = context.dim(1);
        int width = groups * headDim;
        Tensor x = mlp == null ? context : Arith.add(context, mlp.forward(mlpNorm.forward(context)));
        Tensor c = projection.forward(x);
        KeyValues[] out = new KeyValues[sets];
        for (int l = 0; l < sets; l++) {
            int ks = l * split;
            int vs = l * split + split - 1;
            Tensor k = keyNorms.get(l).forward(c.slice(-1, ks * width, (ks + 1) * width));
            Tensor v = valueNorms.get(l).forward(c.slice(-1, vs * width, (vs + 1) * width));
            out[l] = new KeyValues(heads(k, b, t), heads(v, b, t));
        }
        return out;
    }

    private Tensor heads(Tensor x, int b, int t) {
        return x.reshape(b, t, groups, headDim).transpose(1, 2);
    }

    /** Width of the projected context: {@code S_kv * L_kv * G_kv * d_head}. */
    public int contextWidth() {
        return projection.outFeatures();
    }
}
