package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar writes into C for the edges of a product ({@code C = alpha * acc + beta * C}); full tiles are written by
 * the microkernels themselves. With {@code beta == 0} C is never read, so whatever it held (NaN included) is
 * overwritten, as BLAS does.
 */
final class GemmStore {

    private GemmStore() {
    }

    /** The valid {@code mr x nr} corner of a tile spilled to {@code tile} (row stride NR). */
    static void edge(float[] tile, int mr, int nr, MemorySegment c, long cOff, long ldc, float alpha, float beta) {
        for (int r = 0; r < mr; r++) {
            long row = cOff + r * ldc;
            for (int j = 0; j < nr; j++) {
                float v = alpha * tile[r * GemmBlocking.NR + j];
                if (beta != 0f) {
                    v += beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, row + j);
                }
                c.setAtIndex(ValueLayout.JAVA_FLOAT, row + j, v);
            }
        }
    }

    /** {@code C = beta * C} for an {@code m x n} block: what a product with {@code k == 0} or {@code alpha == 0} leaves. */
    static void scale(int m, int n, float beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float v = beta == 0f ? 0f : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, row + j);
                c.setAtIndex(ValueLayout.JAVA_FLOAT, row + j, v);
            }
        }
    }
}
