package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.cpu.CpuAttention.BackwardSplit;
import dev.onerec4j.tensors.ops.AttentionReference;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention primitives below the op: the log-sum-exp, both ways of splitting the backward (one sweep per
 * key/value head, or key blocks then query blocks) against the double reference in F32 and F64, run-to-run
 * determinism, and the layout checks.
 */
class CpuAttentionTest {

    private static final double F32_ATOL = 5e-5;
    private static final double F64_RTOL = 1e-10;
    private static final double F64_ATOL = 1e-11;

    /** Operands of one problem, with the padded mask that leaves batch 0 without keys. */
    private record Problem(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale, Tensor gradOut) {
        static Problem of(DType dt, int b, int hq, int hkv, int tq, int tk, int d, int dv, boolean causal, long seed) {
            int[] m = new int[b * tk];
            for (int z = 1; z < b; z++) {
                for (int j = 0; j < tk - 3 * z; j++) {
                    m[z * tk + j] = 1;
                }
            }
            return new Problem(Tensor.randn(dt, seed, 1.0, b, hq, tq, d), Tensor.randn(dt, seed + 1, 1.0, b, hkv, tk, d),
                    Tensor.randn(dt, seed + 2, 1.0, b, hkv, tk, dv), Tensor.ofInts(m, b, tk), causal, 0.3,
                    Tensor.randn(dt, seed + 3, 1.0, b, hq, tq, dv));
        }

        Tensor[] forward() {
            Tensor out = Tensor.zeros(q.dtype(), q.dim(0), q.dim(1), q.dim(2), v.dim(3));
            Tensor lse = Tensor.zeros(q.dtype(), q.dim(0), q.dim(1), q.dim(2));
            CpuAttention.forward(q, k, v, mask, causal, scale, out, lse);
            return new Tensor[] {out, lse};
        }

        Tensor[] backward(Tensor out, Tensor lse, BackwardSplit split) {
            // Fill the outputs with garbage: the backward must overwrite every element.
            Tensor gq = Tensor.full(q.dtype(), Double.NaN, q.shape());
            Tensor gk = Tensor.full(q.dtype(), Double.NaN, k.shape());
            Tensor gv = Tensor.full(q.dtype(), Double.NaN, v.shape());
            CpuAttention.backward(q, k, v, mask, causal, scale, out, lse, gradOut, gq, gk, gv, split);
            return new Tensor[] {gq, gk, gv};
        }

        AttentionReference reference() {
            return new AttentionReference(q, k, v, mask, causal, scale).backward(gradOut);
        }
    }

    @Test
    void bothBackwardSplitsMatchReferenceInF32() {
        for (boolean causal : new boolean[] {false, true}) {
            // 150 keys = three key blocks, the last one partial; 70 queries = two query blocks.
            Problem p = Problem.of(DType.F32, 3, 4, 2, 70, 150, 24, 20, causal, causal ? 10 : 20);
            check(p, Allclose.F32_RTOL, F32_ATOL);
        }
    }

    @Test
    void bothBackwardSplitsMatchReferenceInF64() {
        check(Problem.of(DType.F64, 2, 2, 1, 66, 80, 5, 3, true, 30), F64_RTOL, F64_ATOL);
        check(Problem.of(DType.F64, 2, 3, 3, 4, 70, 6, 2, false, 40), F64_RTOL, F64_ATOL);
    }

    private static void check(Problem p, double rtol, double atol) {
        AttentionReference ref = p.reference();
        Tensor[] fwd = p.forward();
        Allclose.assertAllclose("out", ref.out, fwd[0], rtol, atol);
        Allclose.assertAllclose("lse", ref.lse, fwd[1], rtol, atol);
        for (BackwardSplit split : BackwardSplit.values()) {
            Tensor[] g = p.backward(fwd[0], fwd[1], split);
            Allclose.assertAllclose(split + " gradQ", ref.gradQ, g[0], rtol, atol);
            Allclose.assertAllclose(split + " gradK", ref.gradK, g[1], rtol, atol);
            Allclose.assertAllclose(split + " gradV", ref.gradV, g[2], rtol, atol);
        }
    }

    @Test
    void unseenQueriesHaveMinusInfinityLogSumExp() {
        Problem p = Problem.of(DType.F32, 2, 1, 1, 5, 9, 4, 4, false, 50);
        Tensor lse = p.forward()[1];
        for (int i = 0; i < 5; i++) {
            assertEquals(Double.NEGATIVE_INFINITY, lse.get(0, 0, i), "batch 0 has no visible key");
            assertTrue(Double.isFinite(lse.get(1, 0, i)));
        }
    }

    @Test
    void resultsAreBitwiseRepeatable() {
        Problem p = Problem.of(DType.F32, 2, 4, 2, 100, 130, 32, 32, true, 60);
        Tensor[] fwd = p.forward();
        assertArrayEquals(fwd[0].toFloatArray(), p.forward()[0].toFloatArray());
        for (BackwardSplit split : BackwardSplit.values()) {
            Tensor[] a = p.backward(fwd[0], fwd[1], split);
            Tensor[] b = p.backward(fwd[0], fwd[1], split);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(a[i].toFloatArray(), b[i].toFloatArray(), split + " gradient " + i);
            }
        }
    }

    @Test
    void forwardWithoutLogSumExpGivesTheSameOutput() {
        Problem p = Problem.of(DType.F32, 2, 2, 2, 10, 12, 8, 8, true, 70);
        Tensor out = Tensor.zeros(DType.F32, 2, 2, 10, 8);
        CpuAttention.forward(p.q, p.k, p.v, p.mask, p.causal, p.scale, out, null);
        assertArrayEquals(p.forward()[0].toFloatArray(), out.toFloatArray());
    }

    @Test
    void fusedSweepOnlyWhenItFillsTheThreads() {
        assertEquals(BackwardSplit.FUSED, CpuAttention.chooseSplit(1, 1));
        assertEquals(BackwardSplit.FUSED, CpuAttention.chooseSplit(8, 2));
        assertEquals(BackwardSplit.FUSED, CpuAttention.chooseSplit(7, 2));
        assertEquals(BackwardSplit.SPLIT, CpuAttention.chooseSplit(1, 2));
        assertEquals(BackwardSplit.SPLIT, CpuAttention.chooseSplit(8, 16));
        assertEquals(BackwardSplit.FUSED, CpuAttention.chooseSplit(16, 16));
    }

    @Test
    void rejectsLayoutsAndTypesItCannotServe() {
        Problem p = Problem.of(DType.F32, 1, 2, 1, 3, 4, 4, 4, false, 80);
        Tensor strided = Tensor.zeros(DType.F32, 1, 2, 4, 3).transpose(2, 3);
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> CpuAttention.forward(p.q, p.k, p.v, null, false, 1.0, strided, null));
        assertTrue(out.getMessage().contains("out [1, 2, 3, 4] needs unit stride"), out.getMessage());
        Tensor o = Tensor.zeros(DType.F32, 1, 2, 3, 4);
        IllegalArgumentException lse = assertThrows(IllegalArgumentException.class,
                () -> CpuAttention.backward(p.q, p.k, p.v, null, false, 1.0, o, null, o, p.q, p.k, p.v));
        assertTrue(lse.getMessage().contains("log-sum-exp"), lse.getMessage());
        IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
                () -> CpuAttention.forward(p.q.to(DType.BF16), p.k, p.v, null, false, 1.0, o, null));
        assertTrue(bf16.getMessage().contains("BF16 is not supported"), bf16.getMessage());
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> CpuAttention.forward(p.q, p.k, p.v, Tensor.zeros(DType.F32, 1, 4), false, 1.0, o, null));
        assertTrue(mask.getMessage().contains("keyMask must be I32"), mask.getMessage());
    }
}
