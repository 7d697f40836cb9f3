package dev.onerec4j.engine.model.context;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.MixtureOfExperts;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.nn.SwiGluFfn;

/** A block's feed-forward network: a dense SwiGLU FFN or a Mixture of SwiGLU experts. */
public final class FeedForward extends Module {

    private final SwiGluFfn dense;
    private final MixtureOfExperts moe;

    private FeedForward(SwiGluFfn dense, MixtureOfExperts moe) {
        this.dense = dense == null ? null : child("dense", dense);
        this.moe = moe == null ? null : child("moe", moe);
    }

    public static FeedForward dense(Init init, int dim, int hidden) {
        return new FeedForward(new SwiGluFfn(init, dim, hidden), null);
    }

    public static FeedForward experts(Init init, int dim, int hidden, int experts, int topK, double balanceRate) {
        return new FeedForward(null, new MixtureOfExperts(init, dim, hidden, experts, topK, balanceRate));
    }

    public Tensor forward(Tensor x) {
        return dense != null ? dense.forward(x) : moe.forward(x);
    }

    /** The MoE layer, or null for a dense network. */
    public MixtureOfExperts moe() {
        return moe;
    }
}
