package dev.onerec4j.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The row-major to column-major mapping of matrix products, checked by evaluating the column-major spec on small
 * matrices with a scalar loop and comparing with the row-major product.
 */
class GemmSpecTest {

    /** Element (r, c) of the column-major stored matrix at {@code base} with leading dimension ld. */
    private static double at(double[] mem, long base, long ld, long r, long c) {
        return mem[(int) (base + c * ld + r)];
    }

    /** D = op(A) op(B) evaluated the way cuBLAS defines it, for batch z. */
    private static double[] evaluate(GemmSpec s, double[] aMem, double[] bMem, int z) {
        double[] d = new double[s.m() * s.n()];
        for (int i = 0; i < s.m(); i++) {
            for (int j = 0; j < s.n(); j++) {
                double acc = 0;
                for (int p = 0; p < s.k(); p++) {
                    double x = s.transA() ? at(aMem, z * s.strideA(), s.lda(), p, i) : at(aMem, z * s.strideA(), s.lda(), i, p);
                    double y = s.transB() ? at(bMem, z * s.strideB(), s.ldb(), j, p) : at(bMem, z * s.strideB(), s.ldb(), p, j);
                    acc += x * y;
                }
                d[j * s.ldc() > Integer.MAX_VALUE ? 0 : (int) (j * s.ldc() + i)] = acc;
            }
        }
        return d;
    }

    private static void check(boolean aT, boolean bT) {
        int m = 3;
        int n = 4;
        int k = 5;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.5 - 2;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = 1 - i * 0.25;
        }
        // Row-major a (m x k): (i, p) at i*k + p; transposed storage: (i, p) at p*m + i.
        GemmSpec s = GemmSpec.rowMajor(m, n, k, GemmSpec.CUDA_R_32F, aT, aT ? m : k, 0, GemmSpec.CUDA_R_32F, bT,
                bT ? k : n, 0, 1);
        // cuBLAS's A is our b and its B our a.
        double[] d = evaluate(s, b, a, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expect = 0;
                for (int p = 0; p < k; p++) {
                    double x = aT ? a[p * m + i] : a[i * k + p];
                    double y = bT ? b[j * k + p] : b[p * n + j];
                    expect += x * y;
                }
                // D is n x m column-major with ldc = n: out (i, j) row-major at i*n + j.
                assertEquals(expect, d[i * n + j], 1e-12, "aT=" + aT + " bT=" + bT + " (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void rowMajorProductsMapToColumnMajor() {
        check(false, false);
        check(true, false);
        check(false, true);
        check(true, true);
    }

    @Test
    void batchStridesPassThrough() {
        GemmSpec s = GemmSpec.rowMajor(2, 3, 4, GemmSpec.CUDA_R_16BF, false, 4, 8, GemmSpec.CUDA_R_16BF, false, 3, 0, 5);
        assertEquals(0, s.strideA(), "cuBLAS A is our b: shared across the batch");
        assertEquals(8, s.strideB());
        assertEquals(6, s.strideC());
        assertEquals(5, s.batch());
        assertFalse(s.transA());
        assertTrue(s.m() == 3 && s.n() == 2 && s.k() == 4);
    }

    @Test
    void rejectsEmptyAndInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new GemmSpec(false, false, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GemmSpec(false, false, 4, 1, 1, 0, 0, 2, 1, 4, 1, 0, 0, 0));
    }
}
