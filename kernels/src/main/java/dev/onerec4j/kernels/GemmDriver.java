package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The blocked loop nest shared by the F32 and BF16 products (BLIS order). For each block of NC columns and KC
 * depth: the calling thread's pool packs the B block once into shared micro-panels; then coarse tasks, each a
 * block of MC rows times a range of B panels, pack their own A block and sweep the microkernel over it, the B
 * micro-panel staying in L1 while the A micro-panels stream from L2. The first depth block applies {@code beta};
 * later ones accumulate into C.
 */
final class GemmDriver {

    private static final int MR = GemmBlocking.MR;
    private static final int NR = GemmBlocking.NR;
    private static final int KC = GemmBlocking.KC;
    private static final int MC = GemmBlocking.MC;
    private static final int NC = GemmBlocking.NC;
    /** Below this many multiply-adds a product runs in the calling thread: a parallel hand-off costs microseconds. */
    private static final long PARALLEL_MIN_MACS = 1L << 18;
    /** Elements one thread packs at least per B packing chunk. */
    private static final int PACK_GRAIN_ELEMENTS = 1 << 15;
    /** Tasks per pool thread for the compute phase: a few, so an unlucky thread (a busy core) does not hold all. */
    private static final int TASKS_PER_THREAD = 4;

    private GemmDriver() {
    }

    /** One product {@code C = alpha * op(A) * op(B) + beta * C}; arguments already validated, m, n, k > 0. */
    static void multiply(boolean bf16, boolean transA, boolean transB, int m, int n, int k, float alpha,
                         MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                         float beta, MemorySegment c, long cOff, long ldc) {
        boolean parallel = Parallel.threads() > 1 && (long) m * n * k >= PARALLEL_MIN_MACS;
        GemmScratch owner = GemmScratch.get();
        for (int jc = 0; jc < n; jc += NC) {
            int cols = Math.min(NC, n - jc);
            int panels = (cols + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                Object packedB = packB(bf16, owner, parallel, transB, b, bOff, ldb, pc, kc, jc, cols, panels);
                int mBlocks = (m + MC - 1) / MC;
                int chunks = parallel ? columnChunks(mBlocks, panels) : 1;
                int tasks = mBlocks * chunks;
                int panelsPerChunk = (panels + chunks - 1) / chunks;
                int fjc = jc;
                int fpc = pc;
                Parallel.forRange(tasks, parallel ? 1 : tasks, (from, to) -> {
                    GemmScratch s = GemmScratch.get();
                    for (int task = from; task < to; task++) {
                        int ib = task / chunks;
                        int t0 = (task % chunks) * panelsPerChunk;
                        int t1 = Math.min(panels, t0 + panelsPerChunk);
                        if (t0 >= t1) {
                            continue;
                        }
                        int i0 = ib * MC;
                        int rows = Math.min(MC, m - i0);
                        if (bf16) {
                            computeBf16(s, transA, a, aOff, lda, i0, rows, fpc, kc, (short[]) packedB, fjc, cols, t0, t1,
                                    alpha, betaBlock, c, cOff, ldc);
                        } else {
                            computeF32(s, transA, a, aOff, lda, i0, rows, fpc, kc, (float[]) packedB, fjc, cols, t0, t1,
                                    alpha, betaBlock, c, cOff, ldc);
                        }
                    }
                });
            }
        }
    }

    /** Splits the B panels into enough chunks that row blocks times chunks keeps every pool thread busy. */
    private static int columnChunks(int mBlocks, int panels) {
        int wanted = TASKS_PER_THREAD * Parallel.threads();
        return Math.max(1, Math.min(panels, (wanted + mBlocks - 1) / mBlocks));
    }

    private static Object packB(boolean bf16, GemmScratch owner, boolean parallel, boolean transB, MemorySegment b,
                                long bOff, long ldb, int pc, int kc, int jc, int cols, int panels) {
        int size = panels * NR * kc;
        int grain = parallel ? Math.max(1, PACK_GRAIN_ELEMENTS / (NR * kc)) : panels;
        if (bf16) {
            short[] dst = owner.bBf16(size);
            Parallel.forRange(panels, grain, (t0, t1) -> GemmPackBf16.packB(transB, b, bOff, ldb, pc, kc, jc, cols, t0, t1, dst));
            return dst;
        }
        float[] dst = owner.bF32(size);
        Parallel.forRange(panels, grain, (t0, t1) -> GemmPackF32.packB(transB, b, bOff, ldb, pc, kc, jc, cols, t0, t1, dst));
        return dst;
    }

    private static void computeF32(GemmScratch s, boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows,
                                   int pc, int kc, float[] bp, int jc, int cols, int t0, int t1,
                                   float alpha, float beta, MemorySegment c, long cOff, long ldc) {
        float[] ap = s.aF32(GemmBlocking.roundUp(rows, MR) * kc);
        GemmPackF32.packA(transA, a, aOff, lda, i0, rows, pc, kc, ap);
        float[] tile = s.tile;
        for (int t = t0; t < t1; t++) {
            int nr = Math.min(NR, cols - t * NR);
            int bo = t * NR * kc;
            long cCol = cOff + jc + (long) t * NR;
            for (int ir = 0; ir < rows; ir += MR) {
                int mr = Math.min(MR, rows - ir);
                F32Microkernels.multiply(kc, ap, ir * kc, bp, bo, c, cCol + (i0 + ir) * ldc, ldc, mr, nr, alpha, beta, tile);
            }
        }
    }

    private static void computeBf16(GemmScratch s, boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows,
                                    int pc, int kc, short[] bp, int jc, int cols, int t0, int t1,
                                    float alpha, float beta, MemorySegment c, long cOff, long ldc) {
        int[] ap = s.aBf16(GemmBlocking.roundUp(rows, MR) / 2 * kc);
        GemmPackBf16.packA(transA, a, aOff, lda, i0, rows, pc, kc, ap);
        float[] tile = s.tile;
        for (int t = t0; t < t1; t++) {
            int nr = Math.min(NR, cols - t * NR);
            int bo = t * NR * kc;
            long cCol = cOff + jc + (long) t * NR;
            for (int ir = 0; ir < rows; ir += MR) {
                int mr = Math.min(MR, rows - ir);
                Bf16Microkernels.multiply(kc, ap, ir / 2 * kc, bp, bo, c, cCol + (i0 + ir) * ldc, ldc, mr, nr, alpha, beta, tile);
            }
        }
    }
}
