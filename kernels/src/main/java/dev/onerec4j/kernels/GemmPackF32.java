package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs F32 operand blocks into the micro-panel layout the F32 microkernels read with unit stride:
 * A block rows in panels of {@code MR} ({@code MR} floats per k step), B block columns in panels of {@code NR}
 * ({@code NR} floats per k step). Rows and columns past the matrix edge are packed as zeros, so the kernels
 * always run full tiles.
 */
final class GemmPackF32 {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final int MR = GemmBlocking.MR;
    private static final int NR = GemmBlocking.NR;
    private static final int L = GemmBlocking.L;

    private GemmPackF32() {
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} and depth {@code [p0, p0 + kc)} of op(A) into {@code dst}: panel {@code t}
     * starts at {@code t * MR * kc}, element (r, p) of the panel at {@code p * MR + r}.
     */
    static void packA(boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows, int p0, int kc, float[] dst) {
        int panels = (rows + MR - 1) / MR;
        int tail = rows - (panels - 1) * MR;
        if (tail < MR) {
            int o = (panels - 1) * MR * kc;
            Arrays.fill(dst, o, o + MR * kc, 0f);
        }
        if (transA) {
            // A stored [k, m]: one k step of the whole block is contiguous; walk it once, across all panels,
            // so every cache line of A is read once.
            for (int p = 0; p < kc; p++) {
                long at = aOff + (long) (p0 + p) * lda + i0;
                int d = p * MR;
                for (int i = 0; i < rows; i++) {
                    dst[(i / MR) * MR * kc + d + i % MR] = a.getAtIndex(F32, at + i);
                }
            }
            return;
        }
        for (int t = 0; t < panels; t++) {
            int o = t * MR * kc;
            int valid = t == panels - 1 ? tail : MR;
            for (int r = 0; r < valid; r++) {
                long at = aOff + (long) (i0 + t * MR + r) * lda + p0;
                int d = o + r;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * MR] = a.getAtIndex(F32, at + p);
                }
            }
        }
    }

    /**
     * Packs panels {@code [t0, t1)} of columns {@code [j0, j0 + cols)} and depth {@code [p0, p0 + kc)} of op(B)
     * into {@code dst}: panel {@code t} starts at {@code base + t * NR * kc}, element (p, j) at {@code p * NR + j}.
     */
    static void packB(boolean transB, MemorySegment b, long bOff, long ldb, int p0, int kc, int j0, int cols,
                      int t0, int t1, float[] dst, int base) {
        for (int t = t0; t < t1; t++) {
            int o = base + t * NR * kc;
            int valid = Math.min(NR, cols - t * NR);
            int jt = j0 + t * NR;
            if (valid < NR) {
                Arrays.fill(dst, o, o + NR * kc, 0f);
            }
            if (transB && valid == NR) {
                // B stored [n, k]: copy the panel's NR rows (bulk copies) into a staging block in L1, then
                // gather one k step (a column of the block) per pair of vectors.
                GemmScratch s = GemmScratch.get();
                float[] stage = s.stageF32(NR * kc);
                int[] index = s.gatherIndex(kc);
                for (int j = 0; j < NR; j++) {
                    MemorySegment.copy(b, F32, (bOff + (long) (jt + j) * ldb + p0) * Float.BYTES, stage, j * kc, kc);
                }
                for (int p = 0; p < kc; p++) {
                    int d = o + p * NR;
                    FloatVector.fromArray(GemmBlocking.F, stage, p, index, 0).intoArray(dst, d);
                    FloatVector.fromArray(GemmBlocking.F, stage, p, index, L).intoArray(dst, d + L);
                }
            } else if (transB) {
                for (int j = 0; j < valid; j++) {
                    long at = bOff + (long) (jt + j) * ldb + p0;
                    int d = o + j;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * NR] = b.getAtIndex(F32, at + p);
                    }
                }
            } else if (valid == NR) {
                for (int p = 0; p < kc; p++) {
                    long at = (bOff + (long) (p0 + p) * ldb + jt) * Float.BYTES;
                    int d = o + p * NR;
                    FloatVector.fromMemorySegment(GemmBlocking.F, b, at, ORDER).intoArray(dst, d);
                    FloatVector.fromMemorySegment(GemmBlocking.F, b, at + (long) L * Float.BYTES, ORDER).intoArray(dst, d + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    long at = bOff + (long) (p0 + p) * ldb + jt;
                    int d = o + p * NR;
                    for (int j = 0; j < valid; j++) {
                        dst[d + j] = b.getAtIndex(F32, at + j);
                    }
                }
            }
        }
    }
}
