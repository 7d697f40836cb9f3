package dev.onerec4j.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Dropout masks from a counter-based generator: whether element {@code i} is kept depends only on the seed and
 * on {@code i} (a 32-bit integer hash of the index keyed by the seed), so a mask is the same whatever the
 * thread count or the way the elements are split into chunks, and any range of it can be regenerated. The
 * element is dropped when the top 24 bits of its hash fall below {@code round(p * 2^24)}.
 */
public final class DropoutKernels {

    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED;
    private static final int LI = SI.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final int M1 = 0x7feb352d;
    private static final int M2 = 0x846ca68b;

    private DropoutKernels() {
    }

    /** The drop threshold on 24-bit hash values for drop probability {@code p} in [0, 1]. */
    public static int threshold(double p) {
        return (int) Math.round(p * (1 << 24));
    }

    /** Whether element {@code index} of the mask for {@code seed} is kept (the scalar definition). */
    public static boolean keeps(long seed, long index, int threshold) {
        int k1 = key1(seed);
        int k2 = key2(seed);
        int h = hash((int) index + k1);
        h = hash(h ^ (int) (index >>> 32) ^ k2);
        return (h >>> 8) >= threshold;
    }

    /**
     * Writes mask elements {@code first .. first + n - 1} (element {@code first} at {@code mo}): {@code scale}
     * where kept, 0 where dropped. F32.
     */
    public static void maskF32(MemorySegment mask, long mo, long first, int n, int threshold, float scale, long seed) {
        int k1 = key1(seed);
        int k2 = key2(seed);
        IntVector iota = IntVector.zero(SI).addIndex(1);
        IntVector vt = IntVector.broadcast(SI, threshold);
        // Kept lanes get the bits of scale, written as ints: no int-to-float mask conversion in the loop.
        IntVector scaleBits = IntVector.broadcast(SI, Float.floatToRawIntBits(scale));
        IntVector zero = IntVector.zero(SI);
        int i = 0;
        while (i < n) {
            long index = first + i;
            // Within one segment the high 32 bits of the index are constant.
            int hi = (int) (index >>> 32);
            long toWrap = (1L << 32) - (index & 0xffffffffL);
            int end = (int) Math.min(n, i + toWrap);
            IntVector vk2 = IntVector.broadcast(SI, hi ^ k2);
            for (int bound = i + SI.loopBound(end - i); i < bound; i += LI) {
                IntVector h = iota.add((int) (first + i) + k1);
                h = hash(h).lanewise(VectorOperators.XOR, vk2);
                h = hash(h).lanewise(VectorOperators.LSHR, 8);
                zero.blend(scaleBits, h.compare(VectorOperators.GE, vt)).intoMemorySegment(mask, (mo + i) * 4, NO);
            }
            for (; i < end; i++) {
                int h = hash(hash((int) (first + i) + k1) ^ hi ^ k2);
                mask.setAtIndex(F, mo + i, (h >>> 8) >= threshold ? scale : 0f);
            }
        }
    }

    /** F64 version of {@link #maskF32} (same mask for the same seed). */
    public static void maskF64(MemorySegment mask, long mo, long first, int n, int threshold, double scale, long seed) {
        for (int i = 0; i < n; i++) {
            mask.setAtIndex(D, mo + i, keeps(seed, first + i, threshold) ? scale : 0.0);
        }
    }

    /** A 32-bit integer finaliser with low bias (Wellons' "lowbias32"): a bijection on ints. */
    private static int hash(int x) {
        x ^= x >>> 16;
        x *= M1;
        x ^= x >>> 15;
        x *= M2;
        x ^= x >>> 16;
        return x;
    }

    private static IntVector hash(IntVector x) {
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(M1);
        x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15)).mul(M2);
        return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
    }

    private static int key1(long seed) {
        return (int) mix64(seed);
    }

    private static int key2(long seed) {
        return (int) (mix64(seed) >>> 32);
    }

    /** SplitMix64's step and finaliser: spreads nearby seeds (0 included) over unrelated keys. */
    private static long mix64(long seed) {
        long z = seed + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
