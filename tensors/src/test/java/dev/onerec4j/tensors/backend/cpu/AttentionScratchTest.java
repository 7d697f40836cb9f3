package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.AttentionGradients;
import dev.onerec4j.kernels.AttentionKernels;
import dev.onerec4j.kernels.AttentionOperand;
import dev.onerec4j.kernels.AttentionProblem;
import dev.onerec4j.kernels.AttentionScratch;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.AttentionReference;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention kernels' working memory is one block, whatever the sequence length: a long sequence runs
 * forward and backward inside a fixed scratch of exactly {@link AttentionScratch#requiredBytes} (any access
 * beyond it would fail the array bounds check), and matches the reference.
 */
class AttentionScratchTest {

    private static final int TQ = 96;
    private static final int TK = 20_000;
    private static final int D = 32;
    private static final int DV = 24;

    @Test
    void longSequenceRunsInBlockSizedScratch() {
        long bytes = AttentionScratch.requiredBytes(D, DV, false);
        long scoreMatrix = 4L * TQ * TK;
        assertTrue(bytes * 40 < scoreMatrix, "scratch " + bytes + " B should be far below the " + scoreMatrix
                + " B score matrix");
        assertTrue(bytes < 128 * 1024, "scratch for d=32 should stay within L2: " + bytes + " B");

        Tensor q = Tensor.randn(DType.F32, 1, 1.0, 1, 1, TQ, D);
        Tensor k = Tensor.randn(DType.F32, 2, 1.0, 1, 1, TK, D);
        Tensor v = Tensor.randn(DType.F32, 3, 1.0, 1, 1, TK, DV);
        Tensor gradOut = Tensor.randn(DType.F32, 4, 1.0, 1, 1, TQ, DV);
        Tensor out = Tensor.zeros(DType.F32, 1, 1, TQ, DV);
        Tensor lse = Tensor.zeros(DType.F32, 1, 1, TQ);
        Tensor gq = Tensor.zeros(DType.F32, 1, 1, TQ, D);
        Tensor gk = Tensor.zeros(DType.F32, 1, 1, TK, D);
        Tensor gv = Tensor.zeros(DType.F32, 1, 1, TK, DV);
        double scale = 1.0 / Math.sqrt(D);
        AttentionProblem p = new AttentionProblem(1, 1, 1, TQ, TK, D, DV, true, scale, false,
                rows(q), rows(k), rows(v), null, rows(out), lseRows(lse));
        AttentionGradients g = new AttentionGradients(rows(gradOut), rows(gq), rows(gk), rows(gv));

        {
            AttentionScratch scratch = AttentionScratch.withCapacity(bytes);
            int bq = AttentionKernels.BLOCK_QUERIES;
            for (int q0 = 0; q0 < TQ; q0 += bq) {
                AttentionKernels.forward(p, scratch, 0, 0, q0, Math.min(TQ, q0 + bq));
            }
            AttentionReference ref = new AttentionReference(q, k, v, null, true, scale).backward(gradOut);
            Allclose.assertAllclose("long out", ref.out, out, Allclose.F32_RTOL, 1e-5);
            Allclose.assertAllclose("long lse", ref.lse, lse, Allclose.F32_RTOL, 1e-5);

            // Split backward: key blocks, then query blocks.
            for (int k0 = 0; k0 < TK; k0 += AttentionKernels.BLOCK_KEYS) {
                AttentionKernels.backwardKeyBlocks(p, g, scratch, 0, 0, k0, Math.min(TK, k0 + AttentionKernels.BLOCK_KEYS),
                        false);
            }
            for (int q0 = 0; q0 < TQ; q0 += bq) {
                AttentionKernels.backwardQueries(p, g, scratch, 0, 0, q0, Math.min(TQ, q0 + bq));
            }
            assertGradients(ref, gq, gk, gv, "split");
            // Fused sweep over the whole key range.
            AttentionKernels.backwardKeyBlocks(p, g, scratch, 0, 0, 0, TK, true);
            assertGradients(ref, gq, gk, gv, "fused");
            assertTrue(scratch.heldBytes() == bytes, "the scratch never grew: " + scratch.heldBytes() + " B");
        }
    }

    @Test
    void fixedScratchRefusesHeadsThatDoNotFit() {
        AttentionScratch scratch = AttentionScratch.withCapacity(AttentionScratch.requiredBytes(32, 32, false));
        scratch.prepare(32, 32, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scratch.prepare(64, 64, false));
        assertTrue(e.getMessage().contains("do not fit heads of 64/64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scratch.prepare(32, 32, true));
    }

    private static void assertGradients(AttentionReference ref, Tensor gq, Tensor gk, Tensor gv, String how) {
        Allclose.assertAllclose(how + " gradQ", ref.gradQ, gq, Allclose.F32_RTOL, 5e-5);
        Allclose.assertAllclose(how + " gradK", ref.gradK, gk, Allclose.F32_RTOL, 5e-5);
        Allclose.assertAllclose(how + " gradV", ref.gradV, gv, Allclose.F32_RTOL, 5e-5);
    }

    private static AttentionOperand rows(Tensor t) {
        return new AttentionOperand(t.segment(), t.offset(), t.stride(0), t.stride(1), t.stride(2));
    }

    private static AttentionOperand lseRows(Tensor t) {
        return new AttentionOperand(t.segment(), t.offset(), t.stride(0), t.stride(1), t.stride(2));
    }
}
