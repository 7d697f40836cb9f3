package dev.onerec4j.engine.model;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Activations;

/**
 * Dropout for one forward pass: every call site gets its own mask seed, derived from the pass's seed and the
 * order in which sites are reached (which is fixed by the model's code), so a step replayed from the same seed
 * drops exactly the same units. A training step derives its pass seed from the run seed, the step and the
 * micro-batch, which is what makes resumed training bit-identical.
 */
public final class DropoutStream {

    private static final DropoutStream OFF = new DropoutStream(0, 0, false);

    private final double p;
    private final long seed;
    private final boolean training;
    private int site;

    public DropoutStream(double p, long seed, boolean training) {
        this.p = p;
        this.seed = seed;
        this.training = training;
    }

    /** No dropout (evaluation and decoding). */
    public static DropoutStream off() {
        return OFF;
    }

    /** The pass seed of micro-batch {@code micro} of optimizer step {@code step}. */
    public static long passSeed(long runSeed, long step, int micro) {
        return mix(mix(runSeed ^ 0x5DEECE66DL) + step) * 31 + micro;
    }

    public Tensor apply(Tensor x) {
        if (!training || p == 0) {
            return x;
        }
        return Activations.dropout(x, p, mix(seed + 0x9E3779B97F4A7C15L * ++site), true);
    }

    public boolean training() {
        return training;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
