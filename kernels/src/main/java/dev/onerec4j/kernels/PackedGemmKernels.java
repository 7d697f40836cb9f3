package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Matrix products against a right-hand side packed once ({@link PackedMatrix}): inference multiplies the same
 * weights by many small activation blocks, and packing the weights on every call (as {@link GemmKernels} must,
 * since it cannot know they do not change) costs as much as the product itself when the activation block has few
 * rows. The product runs in the calling thread with the same microkernels as {@link GemmKernels}; callers that
 * want parallelism split the rows of A (one block per pool thread) themselves.
 */
public final class PackedGemmKernels {

    private static final int MR = GemmBlocking.MR;
    private static final int NR = GemmBlocking.NR;
    private static final int KC = GemmBlocking.KC;
    private static final int MC = GemmBlocking.MC;

    private PackedGemmKernels() {
    }

    /**
     * Packs {@code B = W^T} for a weight matrix {@code W [n, k]} stored row-major with leading dimension
     * {@code ldw} at element offset {@code off} (a linear layer's {@code [out, in]} weight: {@code x W^T}).
     */
    public static PackedMatrix packTransposedF32(MemorySegment w, long off, long ldw, int n, int k) {
        return pack(true, w, off, ldw, k, n);
    }

    /** Packs {@code B [k, n]} stored row-major with leading dimension {@code ldb} at element offset {@code off}. */
    public static PackedMatrix packF32(MemorySegment b, long off, long ldb, int k, int n) {
        return pack(false, b, off, ldb, k, n);
    }

    private static PackedMatrix pack(boolean trans, MemorySegment b, long off, long ld, int k, int n) {
        if (k < 1 || n < 1) {
            throw new IllegalArgumentException("packed GEMM: B must have positive depth and columns, got k=" + k
                    + " n=" + n);
        }
        long rows = trans ? n : k;
        long cols = trans ? k : n;
        if (off < 0 || (rows > 1 && ld < cols) || off + (rows - 1) * ld + cols > b.byteSize() / Float.BYTES) {
            throw new IllegalArgumentException("packed GEMM: B stored as [" + rows + ", " + cols + "] at offset " + off
                    + " with leading dimension " + ld + " does not fit its segment of " + b.byteSize() / Float.BYTES
                    + " floats");
        }
        int panels = (n + NR - 1) / NR;
        float[] data = new float[Math.multiplyExact(k, panels * NR)];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            GemmPackF32.packB(trans, b, off, ld, pc, kc, 0, n, 0, panels, data, pc * panels * NR);
        }
        return new PackedMatrix(data, k, n, panels);
    }

    /**
     * {@code C = A * B + beta * C} for {@code A [m, k]} (row-major, leading dimension {@code lda}) and packed
     * {@code B [k, n]}, C {@code [m, n]} with leading dimension {@code ldc}; with {@code beta == 0} C is not read.
     * Runs in the calling thread.
     */
    public static void multiply(int m, MemorySegment a, long aOff, long lda, PackedMatrix b, float beta,
                                MemorySegment c, long cOff, long ldc) {
        int k = b.k;
        int n = b.n;
        if (m < 0) {
            throw new IllegalArgumentException("packed GEMM: m must not be negative, got " + m);
        }
        if (m == 0) {
            return;
        }
        if (aOff < 0 || (m > 1 && lda < k) || aOff + (long) (m - 1) * lda + k > a.byteSize() / Float.BYTES) {
            throw new IllegalArgumentException("packed GEMM: A [" + m + ", " + k + "] at offset " + aOff
                    + " with leading dimension " + lda + " does not fit its segment of " + a.byteSize() / Float.BYTES
                    + " floats");
        }
        if (cOff < 0 || (m > 1 && ldc < n) || cOff + (long) (m - 1) * ldc + n > c.byteSize() / Float.BYTES) {
            throw new IllegalArgumentException("packed GEMM: C [" + m + ", " + n + "] at offset " + cOff
                    + " with leading dimension " + ldc + " does not fit its segment of " + c.byteSize() / Float.BYTES
                    + " floats");
        }
        GemmScratch s = GemmScratch.get();
        int panels = b.panels;
        float[] bp = b.data;
        float[] tile = s.tile;
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            float[] ap = s.aF32(GemmBlocking.roundUp(rows, MR) * Math.min(KC, k));
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaSlice = pc == 0 ? beta : 1f;
                GemmPackF32.packA(false, a, aOff, lda, i0, rows, pc, kc, ap);
                int base = pc * panels * NR;
                for (int t = 0; t < panels; t++) {
                    int nr = Math.min(NR, n - t * NR);
                    int bo = base + t * NR * kc;
                    long cCol = cOff + (long) t * NR;
                    for (int ir = 0; ir < rows; ir += MR) {
                        int mr = Math.min(MR, rows - ir);
                        F32Microkernels.multiply(kc, ap, ir * kc, bp, bo, c, cCol + (i0 + ir) * ldc, ldc, mr, nr, 1f,
                                betaSlice, tile);
                    }
                }
            }
        }
    }
}
