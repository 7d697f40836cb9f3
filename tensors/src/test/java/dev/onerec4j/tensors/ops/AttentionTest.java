package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.onerec4j.tensors.testing.GradCheck.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention op against a double reference that materialises the full score matrix: forward and all three
 * gradients in F32 on odd shapes, grouped heads, causal and decode masking, padded and fully masked keys,
 * strided inputs; finite-difference gradient checks in F64; and the shape checks.
 */
class AttentionTest {

    /** Output atol: outputs are averages of unit-variance values, so F32 rounding stays near 1e-6. */
    private static final double OUT_ATOL = 1e-5;
    /** Gradient atol: gradients sum up to tq or tk products, so allow a little more absolute slack. */
    private static final double GRAD_ATOL = 5e-5;

    enum MaskKind { NONE, PADDED, RANDOM }

    record Case(int b, int hq, int hkv, int tq, int tk, int d, int dv, boolean causal, MaskKind mask, boolean strided,
                long seed) {
        @Override
        public String toString() {
            return "b" + b + " hq" + hq + " hkv" + hkv + " tq" + tq + " tk" + tk + " d" + d + " dv" + dv
                    + (causal ? " causal" : "") + " mask " + mask + (strided ? " strided" : "") + " seed " + seed;
        }
    }

    @Test
    void randomOddShapesMatchReference() {
        Random r = new Random(11);
        for (int trial = 0; trial < 24; trial++) {
            int hkv = 1 + r.nextInt(3);
            int hq = hkv * (1 + r.nextInt(3));
            int tq = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(140);
            int tk = 1 + r.nextInt(200);
            Case c = new Case(1 + r.nextInt(3), hq, hkv, tq, tk, 1 + r.nextInt(70), 1 + r.nextInt(70), r.nextBoolean(),
                    MaskKind.values()[r.nextInt(3)], r.nextBoolean(), r.nextLong());
            runAgainstReference(c);
        }
    }

    @Test
    void decodeQuerySeesEveryCachedKey() {
        Case decode = new Case(3, 4, 2, 1, 300, 64, 64, true, MaskKind.NONE, false, 5);
        runAgainstReference(decode);
        runAgainstReference(new Case(3, 4, 2, 1, 300, 64, 64, true, MaskKind.PADDED, true, 6));
        // With a single query the causal limit i + tk - tq is the last key: identical to no causal mask.
        // A few query rows (below the packing threshold) over several key blocks, masked, some seeing nothing.
        runAgainstReference(new Case(2, 3, 1, 5, 200, 20, 9, true, MaskKind.RANDOM, false, 7));
        runAgainstReference(new Case(2, 2, 2, 6, 3, 7, 16, true, MaskKind.PADDED, true, 8));
        Tensor[] qkv = inputs(decode, DType.F32);
        Tensor causal = Attention.scaledDotProduct(qkv[0], qkv[1], qkv[2], null, true, 0.125);
        Tensor full = Attention.scaledDotProduct(qkv[0], qkv[1], qkv[2], null, false, 0.125);
        Allclose.assertAllclose("decode causal == full", full, causal, 0, 0);
    }

    @Test
    void longKeySequenceSpansManyKeyBlocks() {
        runAgainstReference(new Case(1, 2, 1, 70, 1500, 64, 48, false, MaskKind.NONE, false, 21));
        runAgainstReference(new Case(1, 2, 2, 130, 1100, 33, 17, true, MaskKind.PADDED, false, 22));
    }

    @Test
    void groupedKeyValueHeads() {
        runAgainstReference(new Case(2, 8, 2, 40, 75, 32, 32, false, MaskKind.NONE, false, 31));
        runAgainstReference(new Case(2, 6, 1, 65, 65, 16, 24, true, MaskKind.RANDOM, true, 32));
    }

    @Test
    void masksWithFullyMaskedRowsAndPaddedKeys() {
        // Batch row 0 of a PADDED mask has length zero: every query of that batch sees nothing.
        runAgainstReference(new Case(3, 2, 2, 20, 90, 8, 8, false, MaskKind.PADDED, false, 41));
        // Causal with tq > tk: the first tq - tk queries see no key.
        runAgainstReference(new Case(2, 2, 1, 90, 30, 12, 12, true, MaskKind.NONE, false, 42));
        runAgainstReference(new Case(2, 2, 1, 90, 30, 12, 12, true, MaskKind.RANDOM, false, 43));
    }

    @Test
    void transposedInputsNeedNoCopy() {
        runAgainstReference(new Case(2, 4, 2, 50, 70, 40, 40, true, MaskKind.NONE, true, 51));
    }

    @Test
    void unseenQueriesGiveZerosAndNoNaN() {
        Case c = new Case(2, 2, 1, 9, 4, 5, 3, false, MaskKind.NONE, false, 61);
        Tensor[] qkv = inputs(c, DType.F32);
        Tensor mask = Tensor.ofInts(new int[] {0, 0, 0, 0, 1, 0, 1, 0}, 2, 4);
        for (Tensor t : qkv) {
            t.requiresGrad(true);
        }
        Tensor out = Attention.scaledDotProduct(qkv[0], qkv[1], qkv[2], mask, false, 0.5);
        out.backward(Tensor.randn(DType.F32, 62, 1.0, out.shape()));
        for (Tensor t : new Tensor[] {out, qkv[0].grad(), qkv[1].grad(), qkv[2].grad()}) {
            for (double x : t.toDoubleArray()) {
                assertTrue(Double.isFinite(x), "non-finite value in " + t);
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 9; i++) {
                for (int c2 = 0; c2 < 3; c2++) {
                    assertEquals(0.0, out.get(0, h, i, c2), "batch 0 sees no key");
                }
                for (int c2 = 0; c2 < 5; c2++) {
                    assertEquals(0.0, qkv[0].grad().get(0, h, i, c2), "no gradient for an unseen query");
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInF64() {
        Tensor padded = Tensor.ofInts(new int[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1}, 2, 7);
        GradCheck.check("attention", x -> Attention.scaledDotProduct(x[0], x[1], x[2], null, false, 0.6),
                input(1, 2, 4, 5, 3), input(2, 2, 2, 7, 3), input(3, 2, 2, 7, 4));
        GradCheck.check("attention causal masked", x -> Attention.scaledDotProduct(x[0], x[1], x[2], padded, true, 0.6),
                input(4, 2, 4, 5, 3), input(5, 2, 2, 7, 3), input(6, 2, 2, 7, 4));
        GradCheck.check("attention decode", x -> Attention.scaledDotProduct(x[0], x[1], x[2], null, true, 0.6),
                input(7, 1, 3, 1, 3), input(8, 1, 1, 9, 3), input(9, 1, 1, 9, 2));
        // Keys across two key blocks, queries that see no key (tq > tk would also do), transposed inputs.
        Tensor longQ = input(10, 1, 3, 1, 2);
        GradCheck.check("attention two key blocks", x -> Attention.scaledDotProduct(x[0].transpose(1, 2),
                        x[1], x[2], null, true, 0.6),
                longQ, input(11, 1, 1, 70, 2), input(12, 1, 1, 70, 2));
    }

    @Test
    void rejectsShapesThatDoNotLineUp() {
        Tensor q = Tensor.zeros(DType.F32, 2, 3, 4, 8);
        Tensor k = Tensor.zeros(DType.F32, 2, 2, 5, 8);
        Tensor v = Tensor.zeros(DType.F32, 2, 2, 5, 6);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q, k, v, null, false, 1.0));
        assertTrue(heads.getMessage().contains("3 query heads are not a multiple of 2"), heads.getMessage());
        Tensor q4 = Tensor.zeros(DType.F32, 2, 4, 4, 7);
        IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q4, k, v, null, false, 1.0));
        assertTrue(dims.getMessage().contains("head dims differ, 7 vs 8"), dims.getMessage());
        Tensor q2 = Tensor.zeros(DType.F32, 2, 4, 4, 8);
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q2, k, v, Tensor.zeros(DType.I32, 2, 4), false, 1.0));
        assertTrue(mask.getMessage().contains("keyMask must be I32 [2, 5]"), mask.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q2, k.to(DType.F64), v, null, false, 1.0));
        assertTrue(dtype.getMessage().contains("dtype mismatch"), dtype.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProduct(q2.reshape(8, 4, 8), k, v, null, false, 1.0));
        assertTrue(rank.getMessage().contains("rank-4"), rank.getMessage());
    }

    @Test
    void keepsNoStateWithoutGrad() {
        Case c = new Case(1, 2, 2, 3, 4, 8, 8, false, MaskKind.NONE, false, 71);
        Tensor[] qkv = inputs(c, DType.F32);
        try (var g = GradMode.disabled()) {
            for (Tensor t : qkv) {
                t.requiresGrad(true);
            }
            assertNull(Attention.scaledDotProduct(qkv[0], qkv[1], qkv[2], null, false, 1.0).gradFn());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** q, k, v for a case: plain contiguous, or transposed views of [b, t, h, d] tensors. */
    static Tensor[] inputs(Case c, DType dt) {
        Random r = new Random(c.seed);
        if (!c.strided) {
            return new Tensor[] {
                    Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.hq, c.tq, c.d),
                    Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.hkv, c.tk, c.d),
                    Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.hkv, c.tk, c.dv)};
        }
        return new Tensor[] {
                Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.tq, c.hq, c.d).transpose(1, 2),
                Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.tk, c.hkv, c.d).transpose(1, 2),
                Tensor.randn(dt, r.nextLong(), 1.0, c.b, c.tk, c.hkv, c.dv).transpose(1, 2)};
    }

    /** An I32 [b, tk] key mask: none, padding (batch 0 empty, the others random lengths), or random bits. */
    static Tensor mask(Case c) {
        Random r = new Random(c.seed ^ 0x5eed);
        int[] m = new int[c.b * c.tk];
        for (int z = 0; z < c.b; z++) {
            int len = z == 0 && c.b > 1 ? 0 : 1 + r.nextInt(c.tk);
            for (int j = 0; j < c.tk; j++) {
                m[z * c.tk + j] = switch (c.mask) {
                    case NONE -> 1;
                    case PADDED -> j < len ? 1 : 0;
                    case RANDOM -> r.nextInt(3) == 0 ? 0 : 1;
                };
            }
        }
        return c.mask == MaskKind.NONE ? null : Tensor.ofInts(m, c.b, c.tk);
    }

    static void runAgainstReference(Case c) {
        Tensor[] qkv = inputs(c, DType.F32);
        // Leaves are the tensors the views were taken from; their gradients come back through the transpose.
        Tensor[] leaves = new Tensor[3];
        Tensor[] used = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            leaves[i] = c.strided ? qkv[i].transpose(1, 2).detach().requiresGrad(true) : qkv[i].requiresGrad(true);
            used[i] = c.strided ? leaves[i].transpose(1, 2) : leaves[i];
        }
        Tensor mask = mask(c);
        double scale = 1.0 / Math.sqrt(c.d);
        Tensor out = Attention.scaledDotProduct(used[0], used[1], used[2], mask, c.causal, scale);
        Tensor gradOut = Tensor.randn(DType.F32, c.seed + 1, 1.0, out.shape());
        out.backward(gradOut);
        AttentionReference ref = new AttentionReference(qkv[0], qkv[1], qkv[2], mask, c.causal, scale).backward(gradOut);
        Allclose.assertAllclose(c + ": out", ref.out, out, Allclose.F32_RTOL, OUT_ATOL);
        String[] names = {"gradQ", "gradK", "gradV"};
        double[][] expected = {ref.gradQ, ref.gradK, ref.gradV};
        for (int i = 0; i < 3; i++) {
            Tensor grad = c.strided ? leaves[i].grad().transpose(1, 2) : leaves[i].grad();
            Allclose.assertAllclose(c + ": " + names[i], expected[i], grad, Allclose.F32_RTOL, GRAD_ATOL);
        }
    }
}
