package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import dev.onerec4j.tensors.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.onerec4j.tensors.testing.GradCheck.input;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Matmul against a double reference (plain, transposed, batched, broadcast, BF16) and its gradients. */
class LinalgTest {

    private static double[] reference(Tensor a, Tensor b) {
        int m = a.dim(-2);
        int k = a.dim(-1);
        int n = b.dim(-1);
        int batch = (int) (a.numel() / ((long) m * k));
        boolean shared = b.rank() == 2;
        double[] out = new double[batch * m * n];
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = a.getFlat((long) z * m * k + (long) i * k + p);
                        double y = shared ? b.get(p, j) : b.getFlat((long) z * k * n + (long) p * n + j);
                        s += x * y;
                    }
                    out[(z * m + i) * n + j] = s;
                }
            }
        }
        return out;
    }

    @Test
    void matchesDoubleReferenceOnOddShapes() {
        Random r = new Random(1);
        for (int trial = 0; trial < 12; trial++) {
            int m = 1 + r.nextInt(40);
            int k = 1 + r.nextInt(70);
            int n = 1 + r.nextInt(50);
            Tensor a = Tensor.randn(DType.F32, r.nextLong(), 1.0, m, k);
            Tensor b = Tensor.randn(DType.F32, r.nextLong(), 1.0, k, n);
            Allclose.assertAllclose("matmul " + m + "x" + k + "x" + n, reference(a, b), Linalg.matmul(a, b),
                    Allclose.F32_RTOL, 1e-5 * Math.sqrt(k));
        }
    }

    @Test
    void transposedViewsNeedNoCopy() {
        Tensor a = Tensor.randn(DType.F32, 3, 1.0, 17, 9);
        Tensor b = Tensor.randn(DType.F32, 4, 1.0, 13, 17);
        Tensor c = Linalg.matmul(a.transpose(0, 1), b.transpose(0, 1));
        Allclose.assertAllclose("aT x bT", reference(a.transpose(0, 1).contiguous(), b.transpose(0, 1).contiguous()), c,
                Allclose.F32_RTOL, 1e-4);
    }

    @Test
    void batchedAndBroadcast() {
        Tensor a = Tensor.randn(DType.F32, 5, 1.0, 2, 3, 7, 5);
        Tensor w = Tensor.randn(DType.F32, 6, 1.0, 5, 4);
        Allclose.assertAllclose("folded", reference(a, w), Linalg.matmul(a, w), Allclose.F32_RTOL, 1e-4);
        Tensor b = Tensor.randn(DType.F32, 7, 1.0, 2, 3, 5, 4);
        Allclose.assertAllclose("batched", reference(a, b), Linalg.matmul(a, b), Allclose.F32_RTOL, 1e-4);
        Tensor bb = Tensor.randn(DType.F32, 8, 1.0, 1, 3, 5, 4);
        Tensor expect = Linalg.matmul(a, bb.expand(2, 3, 5, 4).contiguous());
        Allclose.assertAllclose("broadcast batch", expect, Linalg.matmul(a, bb), Allclose.F32_RTOL, 1e-5);
    }

    @Test
    void bf16InputsAccumulateInF32() {
        Tensor a = Tensor.randn(DType.F32, 9, 1.0, 33, 65);
        Tensor b = Tensor.randn(DType.F32, 10, 1.0, 65, 31);
        Tensor ab = a.to(DType.BF16);
        Tensor bb = b.to(DType.BF16);
        Tensor c = Linalg.matmul(ab, bb);
        Allclose.assertAllclose("bf16", reference(ab, bb), c, 1e-5, 1e-4);
        Allclose.assertAllclose("bf16 vs f32", reference(a, b), c, Allclose.BF16_RTOL, 0.05 * Math.sqrt(65));
    }

    @Test
    void gradients() {
        GradCheck.check("matmul", x -> Linalg.matmul(x[0], x[1]), input(1, 3, 4), input(2, 4, 5));
        GradCheck.check("batched matmul", x -> Linalg.matmul(x[0], x[1]), input(3, 2, 3, 4), input(4, 2, 4, 2));
        GradCheck.check("folded matmul", x -> Linalg.matmul(x[0], x[1]), input(5, 2, 3, 4), input(6, 4, 2));
        GradCheck.check("broadcast matmul", x -> Linalg.matmul(x[0], x[1]), input(7, 2, 3, 4), input(8, 1, 4, 2));
        GradCheck.check("linear", x -> Linalg.linear(x[0], x[1], x[2]), input(9, 2, 3, 4), input(10, 5, 4), input(11, 5));
        GradCheck.check("transposed", x -> Linalg.matmul(x[0].transpose(0, 1), x[1]), input(12, 4, 3), input(13, 4, 2));
    }

    @Test
    void badShapesAreNamed() {
        Tensor a = Tensor.zeros(DType.F32, 3, 4);
        Tensor b = Tensor.zeros(DType.F32, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.matmul(a, b));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[3, 4]"),
                e.getMessage());
    }
}
