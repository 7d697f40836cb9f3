package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes a finished register tile into C as {@code C = alpha * acc + beta * C}. With {@code beta == 0} C is never
 * read, so whatever it held (NaN included) is overwritten, as BLAS does.
 */
final class GemmStore {

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private GemmStore() {
    }

    /** One full tile row: two vectors at byte offset {@code at}. */
    static void row(FloatVector acc0, FloatVector acc1, MemorySegment c, long at, FloatVector alpha, float beta) {
        long at1 = at + (long) GemmBlocking.L * Float.BYTES;
        if (beta == 0f) {
            acc0.mul(alpha).intoMemorySegment(c, at, ORDER);
            acc1.mul(alpha).intoMemorySegment(c, at1, ORDER);
        } else if (beta == 1f) {
            acc0.fma(alpha, FloatVector.fromMemorySegment(GemmBlocking.F, c, at, ORDER)).intoMemorySegment(c, at, ORDER);
            acc1.fma(alpha, FloatVector.fromMemorySegment(GemmBlocking.F, c, at1, ORDER)).intoMemorySegment(c, at1, ORDER);
        } else {
            FloatVector old0 = FloatVector.fromMemorySegment(GemmBlocking.F, c, at, ORDER).mul(beta);
            FloatVector old1 = FloatVector.fromMemorySegment(GemmBlocking.F, c, at1, ORDER).mul(beta);
            acc0.fma(alpha, old0).intoMemorySegment(c, at, ORDER);
            acc1.fma(alpha, old1).intoMemorySegment(c, at1, ORDER);
        }
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
