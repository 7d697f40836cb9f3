package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * F32 microkernels: {@code C[MR x NR] (+)= A_panel * B_panel} over one packed depth block. A panel: {@code MR}
 * floats per k step (rows of the tile); B panel: {@code NR} floats per k step (columns). The tile stays in
 * registers for the whole depth and is written once at the end.
 */
final class F32Microkernels {

    private static final VectorSpecies<Float> F = GemmBlocking.F;
    private static final int L = GemmBlocking.L;
    private static final int NR = GemmBlocking.NR;
    /** Byte offset of a tile row's second vector. */
    private static final long HALF = (long) L * Float.BYTES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private F32Microkernels() {
    }

    /** Multiplies one packed A micro-panel by one packed B micro-panel into the {@code mr x nr} corner at {@code cOff}. */
    static void multiply(int kc, float[] ap, int ao, float[] bp, int bo, MemorySegment c, long cOff, long ldc,
                         int mr, int nr, float alpha, float beta, float[] tile) {
        if (GemmBlocking.MR == 4) {
            kernel4(kc, ap, ao, bp, bo, c, cOff, ldc, mr, nr, alpha, beta, tile);
        } else {
            kernel8(kc, ap, ao, bp, bo, c, cOff, ldc, mr, nr, alpha, beta, tile);
        }
    }

    /** The 4 x NR tile: one B row (two vectors) and 4 broadcast A values per k step, 8 accumulators. */
    private static void kernel4(int kc, float[] ap, int ao, float[] bp, int bo, MemorySegment c, long cOff, long ldc,
                                int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a = ao;
        int bEnd = bo + kc * NR;
        for (int b = bo; b < bEnd; b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            a += 4;
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

    /** The 8 x NR tile: one B row (two vectors) and 8 broadcast A values per k step, 16 accumulators. */
    private static void kernel8(int kc, float[] ap, int ao, float[] bp, int bo, MemorySegment c, long cOff, long ldc,
                                int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int a = ao;
        int bEnd = bo + kc * NR;
        for (int b = bo; b < bEnd; b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, ap[a + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, ap[a + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            a += 8;
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
