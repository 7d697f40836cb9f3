package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The vectorised conversions against the scalar {@link Bf16} definitions, bit for bit. */
class Bf16KernelsTest {

    /** Bit patterns that exercise every branch: signed zeros, subnormals, ties, overflow to infinity, NaNs. */
    private static final int[] SPECIAL = {
            0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x00008000, 0x00018000, 0x3f808000, 0x3f818000,
            0x3f807fff, 0x3f808001, 0x7f7fffff, 0xff7fffff, 0x7f7f8000, 0x7f800000, 0xff800000, 0x7fc00000,
            0xffc00000, 0x7f800001, 0xff800001, 0x7fbfffff, 0x7f810000, 0x7fff0000, 0x7fffffff, 0xffffffff,
    };

    @Test
    void narrowingMatchesScalarBitForBitOnOddLengthsAndOffsets() {
        Random r = new Random(7);
        try (Arena arena = Arena.ofShared()) {
            // The long runs repeat so the JIT-compiled loop is checked too, not only the interpreted one.
            for (int n : new int[] {1, 5, 8, 17, 31, 100, 1000, 70_001, 70_001, 70_001, 70_001, 70_001}) {
                int srcOff = r.nextInt(3);
                int dstOff = r.nextInt(3);
                MemorySegment src = arena.allocate(4L * (n + srcOff));
                MemorySegment dst = arena.allocate(2L * (n + dstOff));
                for (int i = 0; i < n; i++) {
                    int bits = i < SPECIAL.length ? SPECIAL[i] : switch (i % 3) {
                        case 0 -> r.nextInt();
                        case 1 -> Float.floatToRawIntBits((float) r.nextGaussian());
                        default -> (r.nextInt() & 0xffff0000) | 0x8000;
                    };
                    src.setAtIndex(ValueLayout.JAVA_INT, srcOff + i, bits);
                }
                Bf16Kernels.convertF32ToBf16(src, srcOff, dst, dstOff, n);
                for (int i = 0; i < n; i++) {
                    float f = src.getAtIndex(ValueLayout.JAVA_FLOAT, srcOff + i);
                    assertEquals(Bf16.fromFloat(f), dst.getAtIndex(ValueLayout.JAVA_SHORT, dstOff + i),
                            "n=" + n + " i=" + i + " bits=" + Integer.toHexString(Float.floatToRawIntBits(f)));
                }
            }
        }
    }

    @Test
    void wideningIsExactOnEveryBitPattern() {
        try (Arena arena = Arena.ofShared()) {
            int n = 1 << 16;
            MemorySegment src = arena.allocate(2L * (n + 1));
            MemorySegment dst = arena.allocate(4L * (n + 2));
            for (int i = 0; i < n; i++) {
                src.setAtIndex(ValueLayout.JAVA_SHORT, i + 1, (short) i);
            }
            Bf16Kernels.convertBf16ToF32(src, 1, dst, 2, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(Bf16.toFloat((short) i)), dst.getAtIndex(ValueLayout.JAVA_INT, i + 2),
                        "bf16 bits " + Integer.toHexString(i));
            }
        }
    }

    @Test
    void rangesOutsideTheSegmentsAreRejected() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment src = arena.allocate(4L * 10);
            MemorySegment dst = arena.allocate(2L * 10);
            assertThrows(IllegalArgumentException.class, () -> Bf16Kernels.convertF32ToBf16(src, 1, dst, 0, 10));
            assertThrows(IllegalArgumentException.class, () -> Bf16Kernels.convertBf16ToF32(dst, 0, src, 0, -1));
        }
    }
}
