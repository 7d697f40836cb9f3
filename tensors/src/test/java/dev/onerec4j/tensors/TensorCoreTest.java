package dev.onerec4j.tensors;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Linalg;
import dev.onerec4j.tensors.ops.Reduce;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Views, memory ownership, autograd mechanics and BF16 rounding. */
class TensorCoreTest {

    @Test
    void viewsShareStorage() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor tt = t.transpose(0, 1);
        assertArrayEquals(new int[] {3, 2}, tt.shape());
        assertEquals(3.0, tt.get(0, 1));
        assertTrue(!tt.isContiguous());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, tt.contiguous().toDoubleArray());
        Tensor s = t.slice(1, 1, 3);
        s.set(42, 1, 0);
        assertEquals(42.0, t.get(1, 1), "a slice writes through to its base");
        assertArrayEquals(new double[] {1, 2, 42, 5}, s.reshape(4).toDoubleArray());
        Tensor e = Tensor.of(new float[] {1, 2}, 2, 1).expand(2, 3);
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, e.toDoubleArray());
    }

    @Test
    void reshapeOfTransposedSplitsWithoutCopy() {
        Tensor t = Tensor.randn(DType.F32, 1, 1.0, 4, 6);
        Tensor v = t.transpose(0, 1).reshape(2, 3, 4);
        assertEquals(t.storage(), v.storage());
        assertEquals(t.get(3, 5), v.get(1, 2, 3));
    }

    @Test
    void closedScopeFailsLoudly() {
        Tensor kept;
        try (MemoryScope s = MemoryScope.open("step")) {
            kept = Tensor.zeros(DType.F32, 4);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::toDoubleArray);
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void memoryStaysFlatAcrossSteps() {
        MemoryScope params = MemoryScope.owned("params");
        Tensor w = MemoryScope.within(params, () -> Tensor.randn(DType.F32, 1, 0.1, 64, 64).requiresGrad(true));
        long freshAfterWarmup = 0;
        for (int step = 0; step < 200; step++) {
            try (MemoryScope s = MemoryScope.open("step")) {
                Tensor x = Tensor.randn(DType.F32, step, 1.0, 32, 64);
                Tensor loss = Reduce.mean(Arith.square(Linalg.matmul(x, w)));
                loss.backward();
                w.zeroGrad();
            }
            if (step == 10) {
                freshAfterWarmup = MemoryStats.cpu().freshAllocations();
            }
        }
        long fresh = MemoryStats.cpu().freshAllocations() - freshAfterWarmup;
        // Another test running in the same JVM may allocate concurrently; steady state here means near-zero.
        assertTrue(fresh <= 4, "blocks freshly allocated after warm-up: " + fresh);
        params.close();
    }

    @Test
    void gradientsAccumulateAcrossBackwardPasses() {
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        for (int i = 0; i < 3; i++) {
            Reduce.sum(Arith.scale(w, 2.0)).backward();
        }
        assertArrayEquals(new double[] {6, 6, 6}, w.grad().toDoubleArray());
        w.zeroGrad();
        assertArrayEquals(new double[] {0, 0, 0}, w.grad().toDoubleArray());
    }

    @Test
    void noGradModeRecordsNothing() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (var g = GradMode.disabled()) {
            y = Arith.mul(w, w);
        }
        assertEquals(null, y.gradFn());
        assertTrue(!y.requiresGrad());
    }

    @Test
    void graphIsFreedAfterBackward() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor loss = Reduce.sum(Arith.mul(w, w));
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        assertEquals(1.0f, Bf16.round(1.0f + 0x1p-8f));
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up to even.
        assertEquals(1.0f + 0x1p-6f, Bf16.round(1.0f + 3 * 0x1p-8f));
        // Just above a tie rounds up.
        assertEquals(1.0f + 0x1p-7f, Bf16.round(Math.nextUp(1.0f + 0x1p-8f)));
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.POSITIVE_INFINITY));
        assertEquals(-2.0f, Bf16.round(-2.0f));
        Tensor t = Tensor.of(new float[] {1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f}, 2).to(DType.BF16);
        assertArrayEquals(new double[] {1.0, 1.0 + 0x1p-6}, t.toDoubleArray());
    }

    @Test
    void contiguousF32ToBf16ConversionMatchesScalarRoundingAndWidensBack() {
        java.util.Random r = new java.util.Random(5);
        int n = 7 * 7143;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (i % 5) {
                case 0 -> Float.intBitsToFloat((r.nextInt() & 0xffff0000) | 0x8000);
                case 1 -> Float.NaN;
                case 2 -> Float.intBitsToFloat(r.nextInt());
                default -> (float) r.nextGaussian();
            };
        }
        Tensor bf = Tensor.of(values, 7, 7143).to(DType.BF16);
        Tensor back = bf.to(DType.F32);
        for (int i = 0; i < n; i++) {
            float expected = Bf16.round(values[i]);
            double got = back.getFlat(i);
            assertTrue(Float.isNaN(expected) ? Double.isNaN(got) : got == expected,
                    "element " + i + ": " + values[i] + " -> " + got + ", expected " + expected);
        }
    }

    @Test
    void badInputIsNamed() {
        Tensor a = Tensor.zeros(DType.F32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Arith.add(a, Tensor.zeros(DType.F32, 4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Arith.add(a, Tensor.zeros(DType.F64, 2, 3)));
        assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.slice(1, 2, 5));
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
    }
}
