package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The blocked loop nest shared by the F32 and BF16 products (BLIS order). For each block of columns the calling
 * thread's pool packs the B block once, for the whole depth, into shared micro-panels ({@code KC}-deep slices);
 * then coarse tasks, each a block of {@code MC} rows times a range of B panels, walk the depth slices: pack their
 * own A block, then sweep the microkernel over it, the B micro-panel staying in L1 while the A micro-panels stream
 * from L2. The first depth slice applies {@code beta}; later ones accumulate into C. Packing B for the whole depth
 * at once keeps a product to two parallel phases per column block (one when B is small enough to pack serially),
 * which matters for the many small products of training, where a pool hand-off costs as much as the work.
 */
final class GemmDriver {

    private static final int MR = GemmBlocking.MR;
    private static final int NR = GemmBlocking.NR;
    private static final int KC = GemmBlocking.KC;
    private static final int MC = GemmBlocking.MC;
    /** Elements of one packed B block (all depth slices of a column block): 4 MiB of floats, in L3. */
    private static final int B_BLOCK_ELEMENTS = 1 << 20;
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
        int slices = (k + KC - 1) / KC;
        int blockCols = Math.max(NR, B_BLOCK_ELEMENTS / (slices * KC) / NR * NR);
        for (int jc = 0; jc < n; jc += blockCols) {
            int cols = Math.min(blockCols, n - jc);
            int panels = (cols + NR - 1) / NR;
            Object packedB = packB(bf16, owner, parallel, transB, b, bOff, ldb, k, slices, jc, cols, panels);
            int mBlocks = (m + MC - 1) / MC;
            int chunks = parallel ? columnChunks(mBlocks, panels) : 1;
            int tasks = mBlocks * chunks;
            int panelsPerChunk = (panels + chunks - 1) / chunks;
            int fjc = jc;
            Parallel.forRange(tasks, parallel ? 1 : tasks, (from, to) -> {
                GemmScratch s = GemmScratch.get();
                for (int task = from; task < to; task++) {
                    int t0 = (task % chunks) * panelsPerChunk;
                    int t1 = Math.min(panels, t0 + panelsPerChunk);
                    if (t0 >= t1) {
                        continue;
                    }
                    int i0 = (task / chunks) * MC;
                    int rows = Math.min(MC, m - i0);
                    for (int q = 0; q < slices; q++) {
                        int pc = q * KC;
                        int kc = Math.min(KC, k - pc);
                        int bBase = pc * panels * NR;
                        float betaSlice = q == 0 ? beta : 1f;
                        if (bf16) {
                            computeBf16(s, transA, a, aOff, lda, i0, rows, pc, kc, (short[]) packedB, bBase, fjc, cols,
                                    t0, t1, alpha, betaSlice, c, cOff, ldc);
                        } else {
                            computeF32(s, transA, a, aOff, lda, i0, rows, pc, kc, (float[]) packedB, bBase, fjc, cols,
                                    t0, t1, alpha, betaSlice, c, cOff, ldc);
                        }
                    }
                }
            });
        }
    }

    /** Splits the B panels into enough chunks that row blocks times chunks keeps every pool thread busy. */
    private static int columnChunks(int mBlocks, int panels) {
        int wanted = TASKS_PER_THREAD * Parallel.threads();
        return Math.max(1, Math.min(panels, (wanted + mBlocks - 1) / mBlocks));
    }

    /**
     * Packs columns {@code [jc, jc + cols)} of op(B) for the whole depth: slice {@code q} (depth {@code q * KC} on)
     * starts at {@code q * KC * panels * NR} and holds its panels as the packers lay them out.
     */
    private static Object packB(boolean bf16, GemmScratch owner, boolean parallel, boolean transB, MemorySegment b,
                                long bOff, long ldb, int k, int slices, int jc, int cols, int panels) {
        int size = k * panels * NR;
        int units = slices * panels;
        int grain = parallel ? Math.max(1, PACK_GRAIN_ELEMENTS / (NR * Math.min(KC, k))) : units;
        if (bf16) {
            short[] dst = owner.bBf16(size);
            Parallel.forRange(units, grain, (u0, u1) -> forSlices(u0, u1, panels, (q, t0, t1) ->
                    GemmPackBf16.packB(transB, b, bOff, ldb, q * KC, Math.min(KC, k - q * KC), jc, cols, t0, t1,
                            dst, q * KC * panels * NR)));
            return dst;
        }
        float[] dst = owner.bF32(size);
        Parallel.forRange(units, grain, (u0, u1) -> forSlices(u0, u1, panels, (q, t0, t1) ->
                GemmPackF32.packB(transB, b, bOff, ldb, q * KC, Math.min(KC, k - q * KC), jc, cols, t0, t1,
                        dst, q * KC * panels * NR)));
        return dst;
    }

    /** A run of panels {@code [t0, t1)} of depth slice {@code q}. */
    @FunctionalInterface
    private interface SlicePanels {
        void pack(int q, int t0, int t1);
    }

    /** Splits the packing units {@code [u0, u1)} (unit = slice * panels + panel) into per-slice panel runs. */
    private static void forSlices(int u0, int u1, int panels, SlicePanels body) {
        int u = u0;
        while (u < u1) {
            int q = u / panels;
            int t0 = u % panels;
            int t1 = Math.min(panels, t0 + (u1 - u));
            body.pack(q, t0, t1);
            u += t1 - t0;
        }
    }

    private static void computeF32(GemmScratch s, boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows,
                                   int pc, int kc, float[] bp, int bBase, int jc, int cols, int t0, int t1,
                                   float alpha, float beta, MemorySegment c, long cOff, long ldc) {
        float[] ap = s.aF32(GemmBlocking.roundUp(rows, MR) * kc);
        GemmPackF32.packA(transA, a, aOff, lda, i0, rows, pc, kc, ap);
        float[] tile = s.tile;
        for (int t = t0; t < t1; t++) {
            int nr = Math.min(NR, cols - t * NR);
            int bo = bBase + t * NR * kc;
            long cCol = cOff + jc + (long) t * NR;
            for (int ir = 0; ir < rows; ir += MR) {
                int mr = Math.min(MR, rows - ir);
                F32Microkernels.multiply(kc, ap, ir * kc, bp, bo, c, cCol + (i0 + ir) * ldc, ldc, mr, nr, alpha, beta, tile);
            }
        }
    }

    private static void computeBf16(GemmScratch s, boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows,
                                    int pc, int kc, short[] bp, int bBase, int jc, int cols, int t0, int t1,
                                    float alpha, float beta, MemorySegment c, long cOff, long ldc) {
        int[] ap = s.aBf16(GemmBlocking.roundUp(rows, MR) / 2 * kc);
        GemmPackBf16.packA(transA, a, aOff, lda, i0, rows, pc, kc, ap);
        float[] tile = s.tile;
        for (int t = t0; t < t1; t++) {
            int nr = Math.min(NR, cols - t * NR);
            int bo = bBase + t * NR * kc;
            long cCol = cOff + jc + (long) t * NR;
            for (int ir = 0; ir < rows; ir += MR) {
                int mr = Math.min(MR, rows - ir);
                Bf16Microkernels.multiply(kc, ap, ir / 2 * kc, bp, bo, c, cCol + (i0 + ir) * ldc, ldc, mr, nr, alpha, beta, tile);
            }
        }
    }
}
