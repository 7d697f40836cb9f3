package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout masks: the vector path equals the scalar definition, any chunking gives the same mask, and the keep rate is right. */
class DropoutKernelsTest {

    @Test
    void vectorPathMatchesScalarDefinitionForAnyChunking() {
        int n = 10_007;
        double p = 0.3;
        int threshold = DropoutKernels.threshold(p);
        float scale = (float) (1 / (1 - p));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment whole = Segments.floats(arena, n);
            DropoutKernels.maskF32(whole, 0, 0, n, threshold, scale, 77);
            MemorySegment pieces = Segments.floats(arena, n);
            for (int start = 0, len = 1; start < n; start += len, len = len * 3 + 1) {
                int l = Math.min(len, n - start);
                DropoutKernels.maskF32(pieces, start, start, l, threshold, scale, 77);
            }
            MemorySegment f64 = arena.allocate(8L * n, 64);
            DropoutKernels.maskF64(f64, 0, 0, n, threshold, 1 / (1 - p), 77);
            for (int i = 0; i < n; i++) {
                float expected = DropoutKernels.keeps(77, i, threshold) ? scale : 0f;
                assertEquals(expected, whole.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + i);
                assertEquals(expected, pieces.getAtIndex(ValueLayout.JAVA_FLOAT, i), "chunked element " + i);
                assertEquals(expected, (float) f64.getAtIndex(ValueLayout.JAVA_DOUBLE, i), 1e-6, "F64 element " + i);
            }
        }
    }

    @Test
    void indicesAcrossThe32BitBoundaryMatchTheScalarDefinition() {
        long first = (1L << 32) - 13;
        int n = 40;
        int threshold = DropoutKernels.threshold(0.5);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = Segments.floats(arena, n);
            DropoutKernels.maskF32(mask, 0, first, n, threshold, 2f, 5);
            for (int i = 0; i < n; i++) {
                assertEquals(DropoutKernels.keeps(5, first + i, threshold) ? 2f : 0f,
                        mask.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + (first + i));
            }
        }
    }

    @Test
    void keepRateAndScaleAreRight() {
        int n = 200_000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = Segments.floats(arena, n);
            for (double p : new double[] {0.0, 0.1, 0.5, 0.9, 1.0}) {
                float scale = p < 1 ? (float) (1 / (1 - p)) : 0f;
                DropoutKernels.maskF32(mask, 0, 0, n, DropoutKernels.threshold(p), scale, 1234);
                int dropped = 0;
                double sum = 0;
                int agreeWithOtherSeed = 0;
                for (int i = 0; i < n; i++) {
                    float v = mask.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    dropped += v == 0f ? 1 : 0;
                    sum += v;
                    boolean keptHere = v != 0f;
                    agreeWithOtherSeed += keptHere == DropoutKernels.keeps(1235, i, DropoutKernels.threshold(p)) ? 1 : 0;
                }
                double rate = dropped / (double) n;
                // 5 standard deviations of a binomial proportion.
                double tol = 5 * Math.sqrt(p * (1 - p) / n) + 1e-9;
                assertTrue(Math.abs(rate - p) <= tol, "p=" + p + ": dropped fraction " + rate);
                if (p < 1) {
                    assertEquals(1.0, sum / n, 5 * Math.sqrt(p / (1 - p) / n) + 1e-9, "p=" + p + ": mean of the mask");
                }
                // A neighbouring seed gives an unrelated mask: agreement at chance level p^2 + (1-p)^2.
                double chance = p * p + (1 - p) * (1 - p);
                assertEquals(chance, agreeWithOtherSeed / (double) n, 0.01, "p=" + p + ": agreement with seed 1235");
            }
        }
    }
}
