package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The F64 product, for gradient checks and references: correctness first, reasonable speed. op(B) is copied
 * once into a contiguous {@code [k, n]} buffer; each output row is then accumulated as a sum of scaled B rows in
 * a per-thread row buffer, rows spread over the pool. The inner loop is plain Java on arrays, which C2
 * vectorises by itself and which runs reasonably before it is compiled (gradient checks make few, small calls).
 */
final class DgemmKernel {

    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;
    /** Multiply-adds per parallel chunk at least. */
    private static final long GRAIN_MACS = 1L << 16;

    private DgemmKernel() {
    }

    static void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
                         MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                         double beta, MemorySegment c, long cOff, long ldc) {
        double[] bp = GemmScratch.get().bF64(k * n);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bp[p * n + j] = b.getAtIndex(F64, transB ? bOff + j * ldb + p : bOff + p * ldb + j);
            }
        }
        int grain = (int) Math.max(1, GRAIN_MACS / Math.max(1L, (long) n * k));
        Parallel.forRange(m, grain, (from, to) -> {
            double[] acc = GemmScratch.get().aF64(n);
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(acc, 0, n, 0.0);
                for (int p = 0; p < k; p++) {
                    double x = a.getAtIndex(F64, transA ? aOff + p * lda + i : aOff + i * lda + p);
                    int row = p * n;
                    for (int j = 0; j < n; j++) {
                        acc[j] += x * bp[row + j];
                    }
                }
                long ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    double prev = beta == 0 ? 0 : beta * c.getAtIndex(F64, ci + j);
                    c.setAtIndex(F64, ci + j, alpha * acc[j] + prev);
                }
            }
        });
    }
}
