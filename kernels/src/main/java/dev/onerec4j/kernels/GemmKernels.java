package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * General matrix products {@code C = alpha * op(A) * op(B) + beta * C}, row-major, offsets and leading
 * dimensions in elements. {@code transA}: A is stored as {@code [k, m]} (element (i, p) at
 * {@code aOff + p * lda + i}); otherwise {@code [m, k]} (at {@code aOff + i * lda + p}). Likewise {@code transB}:
 * B stored as {@code [n, k]}, otherwise {@code [k, n]}. C is {@code [m, n]} with row stride {@code ldc}.
 * Calls parallelise over the worker pool unless made from inside a parallel range.
 */
public final class GemmKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GemmKernels() {
    }

    /** F32 x F32 to F32. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                             float beta, MemorySegment c, long cOff, long ldc) {
        float[] bp = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                long idx = transB ? bOff + j * ldb + p : bOff + p * ldb + j;
                bp[p * n + j] = b.getAtIndex(ValueLayout.JAVA_FLOAT, idx);
            }
        }
        rows(m, n, k, (i, row) -> {
            for (int p = 0; p < k; p++) {
                long idx = transA ? aOff + p * lda + i : aOff + i * lda + p;
                row[p] = a.getAtIndex(ValueLayout.JAVA_FLOAT, idx);
            }
        }, bp, alpha, beta, c, cOff, ldc);
    }

    /** BF16 x BF16 to F32 (FP32 accumulation). */
    public static void gemmBf16(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                                float beta, MemorySegment c, long cOff, long ldc) {
        float[] bp = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                long idx = transB ? bOff + j * ldb + p : bOff + p * ldb + j;
                bp[p * n + j] = Bf16.toFloat(b.getAtIndex(ValueLayout.JAVA_SHORT, idx));
            }
        }
        rows(m, n, k, (i, row) -> {
            for (int p = 0; p < k; p++) {
                long idx = transA ? aOff + p * lda + i : aOff + i * lda + p;
                row[p] = Bf16.toFloat(a.getAtIndex(ValueLayout.JAVA_SHORT, idx));
            }
        }, bp, alpha, beta, c, cOff, ldc);
    }

    /** F64 x F64 to F64 (reference precision; used by gradient checks). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                             double beta, MemorySegment c, long cOff, long ldc) {
        Parallel.forRange(m, Math.max(1, 4096 / Math.max(1, n * k)), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        double x = a.getAtIndex(ValueLayout.JAVA_DOUBLE, transA ? aOff + p * lda + i : aOff + i * lda + p);
                        double y = b.getAtIndex(ValueLayout.JAVA_DOUBLE, transB ? bOff + j * ldb + p : bOff + p * ldb + j);
                        acc += x * y;
                    }
                    long ci = cOff + i * ldc + j;
                    double prev = beta == 0 ? 0 : beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, ci);
                    c.setAtIndex(ValueLayout.JAVA_DOUBLE, ci, alpha * acc + prev);
                }
            }
        });
    }

    private interface RowLoader {
        void load(int i, float[] row);
    }

    private static void rows(int m, int n, int k, RowLoader loader, float[] bp, float alpha, float beta,
                             MemorySegment c, long cOff, long ldc) {
        Parallel.forRange(m, Math.max(1, 65536 / Math.max(1, n * k)), (from, to) -> {
            float[] arow = new float[k];
            float[] acc = new float[n];
            for (int i = from; i < to; i++) {
                loader.load(i, arow);
                java.util.Arrays.fill(acc, 0f);
                int bound = S.loopBound(n);
                for (int p = 0; p < k; p++) {
                    float av = arow[p];
                    if (av == 0f) {
                        continue;
                    }
                    FloatVector va = FloatVector.broadcast(S, av);
                    int base = p * n;
                    int j = 0;
                    for (; j < bound; j += L) {
                        FloatVector.fromArray(S, bp, base + j).fma(va, FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
                    }
                    for (; j < n; j++) {
                        acc[j] += av * bp[base + j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    long ci = cOff + i * ldc + j;
                    float prev = beta == 0f ? 0f : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, ci);
                    c.setAtIndex(ValueLayout.JAVA_FLOAT, ci, alpha * acc[j] + prev);
                }
            }
        });
    }
}
