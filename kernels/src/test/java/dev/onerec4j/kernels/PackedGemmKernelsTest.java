package dev.onerec4j.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Products against a packed right-hand side match a double-precision scalar product: B packed from a transposed
 * weight matrix or a plain one, rows of A from 1 (a single decoding beam) to several row blocks, columns and depth
 * that are not multiples of the tile or the vector, several depth slices, leading dimensions wider than the rows,
 * beta 0 (C not read) and 1 (accumulate, as a residual connection does).
 */
class PackedGemmKernelsTest {

    private static final int[] MS = {1, 2, 3, 4, 5, 9, 16, 31, 130, GemmBlocking.MC + 3};
    private static final int[][] NK = {{1, 1}, {7, 3}, {16, 8}, {33, 17}, {200, 64}, {45, GemmBlocking.KC + 37},
            {3, 2 * GemmBlocking.KC + 1}};

    private final Random random = new Random(7);

    @Test
    void matchesDoubleReference() {
        try (Arena arena = Arena.ofShared()) {
            for (int[] nk : NK) {
                int n = nk[0];
                int k = nk[1];
                for (boolean transposed : new boolean[] {true, false}) {
                    long ldb = (transposed ? k : n) + random.nextInt(3);
                    long bOff = random.nextInt(4);
                    int bRows = transposed ? n : k;
                    double[][] bLogical = new double[k][n];
                    MemorySegment bs = arena.allocate((bOff + bRows * ldb) * 4, 64);
                    for (int r = 0; r < bRows; r++) {
                        for (int col = 0; col < (transposed ? k : n); col++) {
                            float v = (float) random.nextGaussian();
                            bs.setAtIndex(ValueLayout.JAVA_FLOAT, bOff + r * ldb + col, v);
                            if (transposed) {
                                bLogical[col][r] = v;
                            } else {
                                bLogical[r][col] = v;
                            }
                        }
                    }
                    PackedMatrix packed = transposed ? PackedGemmKernels.packTransposedF32(bs, bOff, ldb, n, k)
                            : PackedGemmKernels.packF32(bs, bOff, ldb, k, n);
                    for (int m : MS) {
                        for (float beta : new float[] {0f, 1f}) {
                            check(arena, m, n, k, bLogical, packed, beta, transposed);
                        }
                    }
                }
            }
        }
    }

    private void check(Arena arena, int m, int n, int k, double[][] b, PackedMatrix packed, float beta,
                       boolean transposed) {
        long lda = k + random.nextInt(3);
        long ldc = n + random.nextInt(3);
        long aOff = random.nextInt(3);
        long cOff = random.nextInt(3);
        MemorySegment a = arena.allocate((aOff + m * lda) * 4, 64);
        MemorySegment c = arena.allocate((cOff + m * ldc + 1) * 4, 64);
        double[][] av = new double[m][k];
        double[][] c0 = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float v = (float) random.nextGaussian();
                a.setAtIndex(ValueLayout.JAVA_FLOAT, aOff + i * lda + p, v);
                av[i][p] = v;
            }
        }
        for (long e = 0; e < c.byteSize() / 4; e++) {
            c.setAtIndex(ValueLayout.JAVA_FLOAT, e, Float.NaN);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float v = beta == 0f ? Float.NaN : (float) random.nextGaussian();
                c.setAtIndex(ValueLayout.JAVA_FLOAT, cOff + i * ldc + j, v);
                c0[i][j] = v;
            }
        }
        PackedGemmKernels.multiply(m, a, aOff, lda, packed, beta, c, cOff, ldc);
        String what = "m=" + m + " n=" + n + " k=" + k + " beta=" + beta + " transposed=" + transposed;
        double atol = 1e-5 * Math.sqrt(k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += av[i][p] * b[p][j];
                }
                double expected = sum + (beta == 0f ? 0 : c0[i][j]);
                double actual = c.getAtIndex(ValueLayout.JAVA_FLOAT, cOff + i * ldc + j);
                if (!(Math.abs(actual - expected) <= atol + 1e-5 * Math.abs(expected))) {
                    fail(what + ": C[" + i + "," + j + "] expected " + expected + " got " + actual);
                }
            }
            for (long j = n; j < ldc && i < m - 1; j++) {
                assertTrue(Float.isNaN(c.getAtIndex(ValueLayout.JAVA_FLOAT, cOff + i * ldc + j)),
                        what + ": padding of C row " + i + " was written");
            }
        }
    }

    @Test
    void refusesOperandsThatDoNotFit() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment w = arena.allocate(10 * 4);
            assertThrows(IllegalArgumentException.class, () -> PackedGemmKernels.packTransposedF32(w, 0, 5, 3, 5));
            assertThrows(IllegalArgumentException.class, () -> PackedGemmKernels.packF32(w, 0, 5, 0, 5));
            PackedMatrix p = PackedGemmKernels.packTransposedF32(w, 0, 5, 2, 5);
            MemorySegment small = arena.allocate(4 * 4);
            assertThrows(IllegalArgumentException.class, () -> PackedGemmKernels.multiply(1, small, 0, 5, p, 0f,
                    arena.allocate(8), 0, 2));
            assertThrows(IllegalArgumentException.class, () -> PackedGemmKernels.multiply(2, arena.allocate(40), 0, 5,
                    p, 0f, arena.allocate(8), 0, 2));
        }
    }
}
