package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * BF16 microkernels with FP32 accumulation. Both packed panels stay BF16; the widening happens in registers:
 * a bf16 value is the upper half of a float, so placing its 16 bits in the upper half of an int lane and
 * reinterpreting the lane as a float is exact. The packing ({@link GemmPackBf16}) arranges the data so that each
 * 32-bit word carries two useful values, one widened by {@code << 16} and the other by masking the low half:
 * <ul>
 *   <li>A: one int per row pair and k step, {@code A[2h][p]} in the low half and {@code A[2h+1][p]} in the high
 *       half, broadcast to all lanes;</li>
 *   <li>B: one full-width short vector per k step, {@code NR} values interleaved so that, read as ints, the low
 *       halves are columns {@code 0..L-1} and the high halves columns {@code L..2L-1}.</li>
 * </ul>
 * Every load is of a distinct address, so nothing stays live across k steps and the 8 accumulators keep their
 * registers (the same tile shape as {@link F32Microkernels}).
 */
final class Bf16Microkernels {

    private static final VectorSpecies<Float> F = GemmBlocking.F;
    private static final VectorSpecies<Integer> I32 = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S16 = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize()));
    private static final int HIGH = 0xffff0000;
    private static final int L = GemmBlocking.L;
    private static final int NR = GemmBlocking.NR;
    /** Byte offset of a tile row's second vector. */
    private static final long HALF = (long) L * Float.BYTES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private Bf16Microkernels() {
    }

    /** Multiplies one packed A micro-panel by one packed B micro-panel into the {@code mr x nr} corner at {@code cOff}. */
    static void multiply(int kc, int[] ap, int ao, short[] bp, int bo, MemorySegment c, long cOff, long ldc,
                         int mr, int nr, float alpha, float beta, float[] tile) {
        if (GemmBlocking.MR == 4) {
            kernel4(kc, ap, ao, bp, bo, c, cOff, ldc, mr, nr, alpha, beta, tile);
        } else {
            kernel8(kc, ap, ao, bp, bo, c, cOff, ldc, mr, nr, alpha, beta, tile);
        }
    }

    /** The 4 x NR tile: one interleaved B row and 2 row-pair words of A per k step, 8 accumulators. */
    private static void kernel4(int kc, int[] ap, int ao, short[] bp, int bo, MemorySegment c, long cOff, long ldc,
                                int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a = ao;
        // The B offset is the loop variable: C2 then addresses both panels without recomputing indices,
        // which matters because this loop is bound by instruction dispatch, not by the FMA pipes.
        int bEnd = bo + kc * NR;
        for (int b = bo; b < bEnd; b += NR) {
            IntVector wb = ShortVector.fromArray(S16, bp, b).reinterpretAsInts();
            FloatVector b0 = wb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector b1 = wb.and(HIGH).reinterpretAsFloats();
            IntVector w0 = IntVector.broadcast(I32, ap[a]);
            FloatVector a0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = w0.and(HIGH).reinterpretAsFloats();
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            IntVector w1 = IntVector.broadcast(I32, ap[a + 1]);
            FloatVector a2 = w1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = w1.and(HIGH).reinterpretAsFloats();
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            a += 2;
        }
        if (mr == 4 && nr == NR) {
            // Written out here rather than in a separate method: one taking vectors is not inlined at this
            // (cold) call site, and every vector passed to it would be boxed.
            FloatVector va = FloatVector.broadcast(F, alpha);
            long at = cOff * Float.BYTES;
            long step = ldc * Float.BYTES;
            if (beta == 0f) {
                c00.mul(va).intoMemorySegment(c, at, ORDER);
                c01.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c10.mul(va).intoMemorySegment(c, at, ORDER);
                c11.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c20.mul(va).intoMemorySegment(c, at, ORDER);
                c21.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c30.mul(va).intoMemorySegment(c, at, ORDER);
                c31.mul(va).intoMemorySegment(c, at + HALF, ORDER);
            } else {
                FloatVector vb = FloatVector.broadcast(F, beta);
                c00.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c01.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c10.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c11.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c20.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c21.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c30.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c31.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
            }
        } else {
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            GemmStore.edge(tile, mr, nr, c, cOff, ldc, alpha, beta);
        }
    }

    /** The 8 x NR tile: one interleaved B row and 4 row-pair words of A per k step, 16 accumulators. */
    private static void kernel8(int kc, int[] ap, int ao, short[] bp, int bo, MemorySegment c, long cOff, long ldc,
                                int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int a = ao;
        // The B offset is the loop variable: C2 then addresses both panels without recomputing indices,
        // which matters because this loop is bound by instruction dispatch, not by the FMA pipes.
        int bEnd = bo + kc * NR;
        for (int b = bo; b < bEnd; b += NR) {
            IntVector wb = ShortVector.fromArray(S16, bp, b).reinterpretAsInts();
            FloatVector b0 = wb.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector b1 = wb.and(HIGH).reinterpretAsFloats();
            IntVector w0 = IntVector.broadcast(I32, ap[a]);
            FloatVector a0 = w0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = w0.and(HIGH).reinterpretAsFloats();
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            IntVector w1 = IntVector.broadcast(I32, ap[a + 1]);
            FloatVector a2 = w1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = w1.and(HIGH).reinterpretAsFloats();
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            IntVector w2 = IntVector.broadcast(I32, ap[a + 2]);
            FloatVector a4 = w2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = w2.and(HIGH).reinterpretAsFloats();
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            IntVector w3 = IntVector.broadcast(I32, ap[a + 3]);
            FloatVector a6 = w3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = w3.and(HIGH).reinterpretAsFloats();
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            a += 4;
        }
        if (mr == 8 && nr == NR) {
            // Written out here rather than in a separate method: one taking vectors is not inlined at this
            // (cold) call site, and every vector passed to it would be boxed.
            FloatVector va = FloatVector.broadcast(F, alpha);
            long at = cOff * Float.BYTES;
            long step = ldc * Float.BYTES;
            if (beta == 0f) {
                c00.mul(va).intoMemorySegment(c, at, ORDER);
                c01.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c10.mul(va).intoMemorySegment(c, at, ORDER);
                c11.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c20.mul(va).intoMemorySegment(c, at, ORDER);
                c21.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c30.mul(va).intoMemorySegment(c, at, ORDER);
                c31.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c40.mul(va).intoMemorySegment(c, at, ORDER);
                c41.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c50.mul(va).intoMemorySegment(c, at, ORDER);
                c51.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c60.mul(va).intoMemorySegment(c, at, ORDER);
                c61.mul(va).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c70.mul(va).intoMemorySegment(c, at, ORDER);
                c71.mul(va).intoMemorySegment(c, at + HALF, ORDER);
            } else {
                FloatVector vb = FloatVector.broadcast(F, beta);
                c00.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c01.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c10.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c11.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c20.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c21.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c30.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c31.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c40.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c41.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c50.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c51.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c60.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c61.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
                at += step;
                c70.fma(va, FloatVector.fromMemorySegment(F, c, at, ORDER).mul(vb)).intoMemorySegment(c, at, ORDER);
                c71.fma(va, FloatVector.fromMemorySegment(F, c, at + HALF, ORDER).mul(vb)).intoMemorySegment(c, at + HALF, ORDER);
            }
        } else {
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + L);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + L);
            c60.intoArray(tile, 6 * NR);
            c61.intoArray(tile, 6 * NR + L);
            c70.intoArray(tile, 7 * NR);
            c71.intoArray(tile, 7 * NR + L);
            GemmStore.edge(tile, mr, nr, c, cOff, ldc, alpha, beta);
        }
    }
}
