package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.Tensor;

/** Softmax and log-softmax over the last axis, and dropout. */
public final class Activations {

    private Activations() {
    }

    /** {@code exp(x) / sum(exp(x))} over the last axis (the maximum is subtracted first, so large logits are safe). */
    public static Tensor softmax(Tensor x) {
        return softmax(x, false, "softmax");
    }

    /** {@code x - log(sum(exp(x)))} over the last axis, computed without forming the softmax. */
    public static Tensor logSoftmax(Tensor x) {
        return softmax(x, true, "logSoftmax");
    }

    private static Tensor softmax(Tensor x, boolean log, String name) {
        Arith.requireFloating(name, x);
        Tensor xc = Raw.contiguous(x);
        Tensor out = Tensor.emptyLike(x, x.shape());
        x.backend().softmax(xc, out, log);
        return Autograd.record(out, name, g -> {
            Tensor gx = Tensor.emptyLike(out, out.shape());
            out.backend().softmaxBackward(out, Raw.contiguous(g), gx, log);
            return new Tensor[] {gx};
        }, x);
    }

    /**
     * Inverted dropout: while {@code training}, each element is zeroed with probability {@code p} and the
     * survivors are scaled by {@code 1 / (1 - p)}, so the expectation is unchanged; otherwise {@code x} itself.
     * The mask depends only on {@code seed} and the element position (the same on any thread count), so a step
     * can be replayed exactly; pass a different seed per step and per layer.
     */
    public static Tensor dropout(Tensor x, double p, long seed, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: the drop probability must be in [0, 1], got " + p);
        }
        Arith.requireFloating("dropout", x);
        if (!training || p == 0) {
            return x;
        }
        Tensor mask = Tensor.emptyLike(x, x.shape());
        x.backend().dropoutMask(mask, p, seed);
        // The mask does not require grad, so the product's backward is g * mask.
        return Arith.mul(x, mask);
    }
}
