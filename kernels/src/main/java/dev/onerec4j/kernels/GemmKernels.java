package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * General matrix products {@code C = alpha * op(A) * op(B) + beta * C}, row-major, offsets and leading
 * dimensions in elements. {@code transA}: A is stored as {@code [k, m]} (element (i, p) at
 * {@code aOff + p * lda + i}); otherwise {@code [m, k]} (at {@code aOff + i * lda + p}). Likewise {@code transB}:
 * B stored as {@code [n, k]}, otherwise {@code [k, n]}. C is {@code [m, n]} with row stride {@code ldc}.
 * With {@code beta == 0} C is not read (it may hold anything, NaN included).
 * Calls parallelise over the worker pool unless made from inside a parallel range.
 *
 * <p>F32 and BF16 run packed, register-tiled microkernels ({@link GemmDriver}, {@link F32Microkernels},
 * {@link Bf16Microkernels}); F64 is the reference-precision path used by gradient checks ({@link DgemmKernel}).
 */
public final class GemmKernels {

    private GemmKernels() {
    }

    /** F32 x F32 to F32. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                             float beta, MemorySegment c, long cOff, long ldc) {
        check("sgemm", transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, Float.BYTES, Float.BYTES);
        run(false, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** BF16 x BF16 to F32 (FP32 accumulation; A and B hold bf16 bits). */
    public static void gemmBf16(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                                float beta, MemorySegment c, long cOff, long ldc) {
        check("gemmBf16", transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, Short.BYTES, Float.BYTES);
        run(true, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** F64 x F64 to F64 (reference precision; used by gradient checks). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                             double beta, MemorySegment c, long cOff, long ldc) {
        check("dgemm", transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, Double.BYTES, Double.BYTES);
        if (m == 0 || n == 0) {
            return;
        }
        DgemmKernel.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void run(boolean bf16, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                            float beta, MemorySegment c, long cOff, long ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            GemmStore.scale(m, n, beta, c, cOff, ldc);
            return;
        }
        GemmDriver.multiply(bf16, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void check(String op, boolean transA, boolean transB, int m, int n, int k,
                              MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                              MemorySegment c, long cOff, long ldc, int abBytes, int cBytes) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must not be negative, got m=" + m + " n=" + n + " k=" + k);
        }
        requireMatrix(op, "A", a, aOff, lda, transA ? k : m, transA ? m : k, abBytes);
        requireMatrix(op, "B", b, bOff, ldb, transB ? n : k, transB ? k : n, abBytes);
        requireMatrix(op, "C", c, cOff, ldc, m, n, cBytes);
    }

    /** A stored {@code rows x cols} matrix with row stride {@code ld} must fit in its segment. */
    private static void requireMatrix(String op, String name, MemorySegment s, long off, long ld, int rows, int cols,
                                      int bytes) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (off < 0) {
            throw new IllegalArgumentException(op + ": " + name + " offset must not be negative, got " + off);
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(op + ": " + name + " is stored as [" + rows + ", " + cols
                    + "] but its leading dimension " + ld + " is smaller than the row width " + cols);
        }
        long end = off + (rows - 1) * ld + cols;
        if (end > s.byteSize() / bytes) {
            throw new IllegalArgumentException(op + ": " + name + " stored as [" + rows + ", " + cols + "] at offset "
                    + off + " with leading dimension " + ld + " needs " + end + " elements, but its segment holds "
                    + s.byteSize() / bytes);
        }
    }
}
