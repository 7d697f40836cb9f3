package dev.onerec4j.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs BF16 operand blocks for {@link Bf16Microkernels}; the packed panels stay BF16 (two bytes a value).
 * A: panels of {@code MR} rows, one int per row pair and k step ({@code A[2h][p]} low half, {@code A[2h+1][p]} high
 * half). B: panels of {@code NR} columns, {@code NR} shorts per k step, column {@code j < L} at position {@code 2j}
 * and column {@code L + j} at {@code 2j + 1}. Past the matrix edge everything is zero.
 */
final class GemmPackBf16 {

    private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT;
    private static final int MR = GemmBlocking.MR;
    private static final int HALF_MR = MR / 2;
    private static final int NR = GemmBlocking.NR;
    private static final int L = GemmBlocking.L;
    private static final VectorSpecies<Integer> I32 = IntVector.SPECIES_PREFERRED;
    /** L shorts: one half of a B panel row. */
    private static final VectorSpecies<Short> HALF_ROW = VectorSpecies.of(short.class,
            VectorShape.forBitSize(GemmBlocking.F.vectorBitSize() / 2));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private GemmPackBf16() {
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} and depth {@code [p0, p0 + kc)} of op(A): panel {@code t} starts at
     * {@code t * MR / 2 * kc}, the word of row pair {@code h} at k step {@code p} at {@code p * MR / 2 + h}.
     */
    static void packA(boolean transA, MemorySegment a, long aOff, long lda, int i0, int rows, int p0, int kc, int[] dst) {
        int panels = (rows + MR - 1) / MR;
        for (int t = 0; t < panels; t++) {
            int o = t * HALF_MR * kc;
            int valid = Math.min(MR, rows - t * MR);
            if (valid < MR) {
                Arrays.fill(dst, o, o + HALF_MR * kc, 0);
            }
            if (transA) {
                long base = aOff + (long) p0 * lda + i0 + (long) t * MR;
                for (int p = 0; p < kc; p++) {
                    long at = base + p * lda;
                    int d = o + p * HALF_MR;
                    for (int h = 0; 2 * h < valid; h++) {
                        int lo = a.getAtIndex(BF16, at + 2 * h) & 0xffff;
                        int hi = 2 * h + 1 < valid ? a.getAtIndex(BF16, at + 2 * h + 1) << 16 : 0;
                        dst[d + h] = lo | hi;
                    }
                }
            } else {
                for (int h = 0; 2 * h < valid; h++) {
                    long at0 = aOff + (long) (i0 + t * MR + 2 * h) * lda + p0;
                    int d = o + h;
                    if (2 * h + 1 < valid) {
                        long at1 = at0 + lda;
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * HALF_MR] = (a.getAtIndex(BF16, at0 + p) & 0xffff) | (a.getAtIndex(BF16, at1 + p) << 16);
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * HALF_MR] = a.getAtIndex(BF16, at0 + p) & 0xffff;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs panels {@code [t0, t1)} of columns {@code [j0, j0 + cols)} and depth {@code [p0, p0 + kc)} of op(B):
     * panel {@code t} starts at {@code t * NR * kc}, k step {@code p} at {@code p * NR}, column {@code j} at the
     * interleaved position {@link #position(int)}; panel {@code t} starts at {@code base + t * NR * kc}.
     */
    static void packB(boolean transB, MemorySegment b, long bOff, long ldb, int p0, int kc, int j0, int cols,
                      int t0, int t1, short[] dst, int base) {
        for (int t = t0; t < t1; t++) {
            int o = base + t * NR * kc;
            int valid = Math.min(NR, cols - t * NR);
            int jt = j0 + t * NR;
            if (valid < NR) {
                Arrays.fill(dst, o, o + NR * kc, (short) 0);
            }
            if (transB) {
                for (int j = 0; j < valid; j++) {
                    long at = bOff + (long) (jt + j) * ldb + p0;
                    int d = o + position(j);
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * NR] = b.getAtIndex(BF16, at + p);
                    }
                }
            } else if (valid == NR) {
                // Interleave the two halves of each row in registers: as ints, low halves = columns 0..L-1,
                // high halves = columns L..2L-1, which is exactly the packed order.
                for (int p = 0; p < kc; p++) {
                    long at = (bOff + (long) (p0 + p) * ldb + jt) * Short.BYTES;
                    IntVector lo = (IntVector) ShortVector.fromMemorySegment(HALF_ROW, b, at, ORDER)
                            .convertShape(VectorOperators.S2I, I32, 0);
                    IntVector hi = (IntVector) ShortVector.fromMemorySegment(HALF_ROW, b, at + (long) L * Short.BYTES, ORDER)
                            .convertShape(VectorOperators.S2I, I32, 0);
                    lo.and(0xffff).or(hi.lanewise(VectorOperators.LSHL, 16)).reinterpretAsShorts().intoArray(dst, o + p * NR);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    long at = bOff + (long) (p0 + p) * ldb + jt;
                    int d = o + p * NR;
                    for (int j = 0; j < valid; j++) {
                        dst[d + position(j)] = b.getAtIndex(BF16, at + j);
                    }
                }
            }
        }
    }

    /** Where column {@code j} of a panel sits within its k step: low halves hold columns 0..L-1, high halves L..2L-1. */
    static int position(int j) {
        return j < L ? 2 * j : 2 * (j - L) + 1;
    }
}
