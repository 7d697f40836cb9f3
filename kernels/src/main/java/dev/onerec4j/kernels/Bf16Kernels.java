package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Vectorised F32 &lt;-&gt; BF16 conversion of contiguous runs (mixed-precision training converts the weights every
 * step). Narrowing rounds to nearest with ties to even and turns every NaN into a quiet NaN with its sign, bit for
 * bit like {@link Bf16#fromFloat}; widening is exact. Offsets and lengths are in elements; long runs are split
 * over the worker pool.
 */
public final class Bf16Kernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Half-width shorts: as many lanes as F has. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final int L = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int PARALLEL_GRAIN = 1 << 16;

    private Bf16Kernels() {
    }

    /** Narrows {@code n} floats at {@code src[srcOff..]} to bf16 bits at {@code dst[dstOff..]}. */
    public static void convertF32ToBf16(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        checkRange("convertF32ToBf16", src, srcOff, Float.BYTES, dst, dstOff, Short.BYTES, n);
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> narrow(src, srcOff + from, dst, dstOff + from, to - from));
    }

    /** Widens {@code n} bf16 values at {@code src[srcOff..]} to floats at {@code dst[dstOff..]}. */
    public static void convertBf16ToF32(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        checkRange("convertBf16ToF32", src, srcOff, Short.BYTES, dst, dstOff, Float.BYTES, n);
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> widen(src, srcOff + from, dst, dstOff + from, to - from));
    }

    private static void narrow(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        int bound = n - n % L;
        int i = 0;
        for (; i < bound; i += L) {
            IntVector bits = FloatVector.fromMemorySegment(F, src, (srcOff + i) * Float.BYTES, ORDER).reinterpretAsInts();
            VectorMask<Integer> nan = bits.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
            IntVector high = bits.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = bits.add(high.and(1)).add(0x7fff).lanewise(VectorOperators.LSHR, 16);
            IntVector result = rounded.blend(high.or(0x0040), nan);
            ((ShortVector) result.convertShape(VectorOperators.I2S, S, 0))
                    .intoMemorySegment(dst, (dstOff + i) * Short.BYTES, ORDER);
        }
        for (; i < n; i++) {
            dst.setAtIndex(ValueLayout.JAVA_SHORT, dstOff + i, Bf16.fromFloat(src.getAtIndex(ValueLayout.JAVA_FLOAT, srcOff + i)));
        }
    }

    private static void widen(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        int bound = n - n % L;
        int i = 0;
        for (; i < bound; i += L) {
            ShortVector bits = ShortVector.fromMemorySegment(S, src, (srcOff + i) * Short.BYTES, ORDER);
            ((IntVector) bits.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats().intoMemorySegment(dst, (dstOff + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            dst.setAtIndex(ValueLayout.JAVA_FLOAT, dstOff + i, Bf16.toFloat(src.getAtIndex(ValueLayout.JAVA_SHORT, srcOff + i)));
        }
    }

    private static void checkRange(String op, MemorySegment src, long srcOff, int srcBytes,
                                   MemorySegment dst, long dstOff, int dstBytes, int n) {
        if (n < 0 || srcOff < 0 || dstOff < 0) {
            throw new IllegalArgumentException(op + ": length and offsets must not be negative, got n=" + n
                    + " srcOff=" + srcOff + " dstOff=" + dstOff);
        }
        if ((srcOff + n) * srcBytes > src.byteSize() || (dstOff + n) * dstBytes > dst.byteSize()) {
            throw new IllegalArgumentException(op + ": " + n + " elements from offsets " + srcOff + " -> " + dstOff
                    + " do not fit segments of " + src.byteSize() / srcBytes + " and " + dst.byteSize() / dstBytes
                    + " elements");
        }
    }
}
