package dev.onerec4j.kernels.cuda;

/**
 * The counter-based generator behind the CUDA dropout mask: element {@code i} of a mask drawn with {@code seed}
 * is kept when {@code uniform(seed, i) >= p}. Being a pure function of (seed, index), a mask is the same on any
 * device and for any launch configuration, and the backward pass can redraw it instead of storing it. The
 * kernel {@code dropout_mask} in {@code indexing.cu} computes exactly these bits.
 */
public final class DropoutRng {

    private DropoutRng() {
    }

    /** SplitMix64's finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A float uniform in [0, 1) with 24 random bits, for element {@code index} of the stream {@code seed}. */
    public static float uniform(long seed, long index) {
        long z = mix64(seed + (index + 1) * 0x9e3779b97f4a7c15L);
        return (float) (z >>> 40) * 0x1.0p-24f;
    }

    /** The mask value of element {@code index}: 0 when dropped, {@code 1 / (1 - p)} when kept. */
    public static float maskValue(long seed, long index, float p, float keepScale) {
        return uniform(seed, index) < p ? 0.0f : keepScale;
    }
}
