package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The F32 vector building blocks of the attention kernels. The products run on heap arrays (the per-thread
 * scratch), where C2 removes the bounds checks from the inner loops; measured here, the same tiles reading
 * from memory segments ran about a third slower. Tensor memory is touched only to copy or pack a block in and
 * to write results out.
 */
final class AttentionTiles {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    private AttentionTiles() {
    }

    /**
     * {@code c[x][0, w) (+)= sum over y < ys of a(x, y) * b[y][0, w)} for {@code x < xs}, where
     * {@code a(x, y) = a[aOff + x * ax + y * ay]}, {@code b[y][i] = b[bOff + y * bRow + i]} and
     * {@code c[x][i] = c[cOff + x * cRow + i]}. With {@code overwrite} the sums start from zero instead of
     * {@code c}. Tiles of six rows by two vectors keep twelve accumulators in registers, which still leaves
     * room for the two row vectors and a broadcast on AVX2 (measured 15-20% faster than four rows); {@code a}
     * is read one scalar at a time (broadcast), so it may be laid out either way round.
     */
    static void accumulate(int xs, int ys, int w, boolean overwrite, float[] a, int aOff, int ax, int ay,
                           float[] b, int bOff, int bRow, float[] c, int cOff, int cRow) {
        int wv = w - w % L;
        int w2 = wv - wv % (2 * L);
        int x = 0;
        for (; x + 6 <= xs; x += 6) {
            int ar = aOff + x * ax;
            int cr = cOff + x * cRow;
            int col = 0;
            for (; col < w2; col += 2 * L) {
                tile6x2(ys, overwrite, a, ar, ax, ay, b, bOff + col, bRow, c, cr + col, cRow);
            }
            for (; col < wv; col += L) {
                tile4x1(ys, overwrite, a, ar, ax, ay, b, bOff + col, bRow, c, cr + col, cRow);
                tile1x1(ys, overwrite, a, ar + 4 * ax, ay, b, bOff + col, bRow, c, cr + 4 * cRow + col);
                tile1x1(ys, overwrite, a, ar + 5 * ax, ay, b, bOff + col, bRow, c, cr + 5 * cRow + col);
            }
            for (; col < w; col++) {
                for (int r = 0; r < 6; r++) {
                    scalarColumn(ys, overwrite, a, ar + r * ax, ay, b, bOff + col, bRow, c, cr + r * cRow + col);
                }
            }
        }
        for (; x + 4 <= xs; x += 4) {
            int ar = aOff + x * ax;
            int cr = cOff + x * cRow;
            int col = 0;
            for (; col < w2; col += 2 * L) {
                tile4x2(ys, overwrite, a, ar, ax, ay, b, bOff + col, bRow, c, cr + col, cRow);
            }
            for (; col < wv; col += L) {
                tile4x1(ys, overwrite, a, ar, ax, ay, b, bOff + col, bRow, c, cr + col, cRow);
            }
            for (; col < w; col++) {
                for (int r = 0; r < 4; r++) {
                    scalarColumn(ys, overwrite, a, ar + r * ax, ay, b, bOff + col, bRow, c, cr + r * cRow + col);
                }
            }
        }
        for (; x < xs; x++) {
            int ar = aOff + x * ax;
            int cr = cOff + x * cRow;
            int col = 0;
            for (; col < wv; col += L) {
                tile1x1(ys, overwrite, a, ar, ay, b, bOff + col, bRow, c, cr + col);
            }
            for (; col < w; col++) {
                scalarColumn(ys, overwrite, a, ar, ay, b, bOff + col, bRow, c, cr + col);
            }
        }
    }

    private static void tile6x2(int ys, boolean overwrite, float[] a, int ar, int ax, int ay,
                                float[] b, int bo, int bRow, float[] c, int c0, int cRow) {
        int c1 = c0 + cRow;
        int c2 = c1 + cRow;
        int c3 = c2 + cRow;
        int c4 = c3 + cRow;
        int c5 = c4 + cRow;
        FloatVector r00;
        FloatVector r01;
        FloatVector r10;
        FloatVector r11;
        FloatVector r20;
        FloatVector r21;
        FloatVector r30;
        FloatVector r31;
        FloatVector r40;
        FloatVector r41;
        FloatVector r50;
        FloatVector r51;
        if (overwrite) {
            r00 = r01 = r10 = r11 = r20 = r21 = r30 = r31 = r40 = r41 = r50 = r51 = FloatVector.zero(S);
        } else {
            r00 = FloatVector.fromArray(S, c, c0);
            r01 = FloatVector.fromArray(S, c, c0 + L);
            r10 = FloatVector.fromArray(S, c, c1);
            r11 = FloatVector.fromArray(S, c, c1 + L);
            r20 = FloatVector.fromArray(S, c, c2);
            r21 = FloatVector.fromArray(S, c, c2 + L);
            r30 = FloatVector.fromArray(S, c, c3);
            r31 = FloatVector.fromArray(S, c, c3 + L);
            r40 = FloatVector.fromArray(S, c, c4);
            r41 = FloatVector.fromArray(S, c, c4 + L);
            r50 = FloatVector.fromArray(S, c, c5);
            r51 = FloatVector.fromArray(S, c, c5 + L);
        }
        for (int y = 0; y < ys; y++) {
            int bb = bo + y * bRow;
            int a0 = ar + y * ay;
            FloatVector v0 = FloatVector.fromArray(S, b, bb);
            FloatVector v1 = FloatVector.fromArray(S, b, bb + L);
            FloatVector s0 = FloatVector.broadcast(S, a[a0]);
            r00 = s0.fma(v0, r00);
            r01 = s0.fma(v1, r01);
            FloatVector s1 = FloatVector.broadcast(S, a[a0 + ax]);
            r10 = s1.fma(v0, r10);
            r11 = s1.fma(v1, r11);
            FloatVector s2 = FloatVector.broadcast(S, a[a0 + 2 * ax]);
            r20 = s2.fma(v0, r20);
            r21 = s2.fma(v1, r21);
            FloatVector s3 = FloatVector.broadcast(S, a[a0 + 3 * ax]);
            r30 = s3.fma(v0, r30);
            r31 = s3.fma(v1, r31);
            FloatVector s4 = FloatVector.broadcast(S, a[a0 + 4 * ax]);
            r40 = s4.fma(v0, r40);
            r41 = s4.fma(v1, r41);
            FloatVector s5 = FloatVector.broadcast(S, a[a0 + 5 * ax]);
            r50 = s5.fma(v0, r50);
            r51 = s5.fma(v1, r51);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r40.intoArray(c, c4);
        r41.intoArray(c, c4 + L);
        r50.intoArray(c, c5);
        r51.intoArray(c, c5 + L);
    }

    private static void tile4x2(int ys, boolean overwrite, float[] a, int ar, int ax, int ay,
                                float[] b, int bo, int bRow, float[] c, int c0, int cRow) {
        int c1 = c0 + cRow;
        int c2 = c1 + cRow;
        int c3 = c2 + cRow;
        FloatVector r00;
        FloatVector r01;
        FloatVector r10;
        FloatVector r11;
        FloatVector r20;
        FloatVector r21;
        FloatVector r30;
        FloatVector r31;
        if (overwrite) {
            r00 = r01 = r10 = r11 = r20 = r21 = r30 = r31 = FloatVector.zero(S);
        } else {
            r00 = FloatVector.fromArray(S, c, c0);
            r01 = FloatVector.fromArray(S, c, c0 + L);
            r10 = FloatVector.fromArray(S, c, c1);
            r11 = FloatVector.fromArray(S, c, c1 + L);
            r20 = FloatVector.fromArray(S, c, c2);
            r21 = FloatVector.fromArray(S, c, c2 + L);
            r30 = FloatVector.fromArray(S, c, c3);
            r31 = FloatVector.fromArray(S, c, c3 + L);
        }
        for (int y = 0; y < ys; y++) {
            int bb = bo + y * bRow;
            int a0 = ar + y * ay;
            FloatVector v0 = FloatVector.fromArray(S, b, bb);
            FloatVector v1 = FloatVector.fromArray(S, b, bb + L);
            FloatVector s0 = FloatVector.broadcast(S, a[a0]);
            r00 = s0.fma(v0, r00);
            r01 = s0.fma(v1, r01);
            FloatVector s1 = FloatVector.broadcast(S, a[a0 + ax]);
            r10 = s1.fma(v0, r10);
            r11 = s1.fma(v1, r11);
            FloatVector s2 = FloatVector.broadcast(S, a[a0 + 2 * ax]);
            r20 = s2.fma(v0, r20);
            r21 = s2.fma(v1, r21);
            FloatVector s3 = FloatVector.broadcast(S, a[a0 + 3 * ax]);
            r30 = s3.fma(v0, r30);
            r31 = s3.fma(v1, r31);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
    }

    private static void tile4x1(int ys, boolean overwrite, float[] a, int ar, int ax, int ay,
                                float[] b, int bo, int bRow, float[] c, int c0, int cRow) {
        int c1 = c0 + cRow;
        int c2 = c1 + cRow;
        int c3 = c2 + cRow;
        FloatVector r0;
        FloatVector r1;
        FloatVector r2;
        FloatVector r3;
        if (overwrite) {
            r0 = r1 = r2 = r3 = FloatVector.zero(S);
        } else {
            r0 = FloatVector.fromArray(S, c, c0);
            r1 = FloatVector.fromArray(S, c, c1);
            r2 = FloatVector.fromArray(S, c, c2);
            r3 = FloatVector.fromArray(S, c, c3);
        }
        for (int y = 0; y < ys; y++) {
            int a0 = ar + y * ay;
            FloatVector v = FloatVector.fromArray(S, b, bo + y * bRow);
            r0 = FloatVector.broadcast(S, a[a0]).fma(v, r0);
            r1 = FloatVector.broadcast(S, a[a0 + ax]).fma(v, r1);
            r2 = FloatVector.broadcast(S, a[a0 + 2 * ax]).fma(v, r2);
            r3 = FloatVector.broadcast(S, a[a0 + 3 * ax]).fma(v, r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c1);
        r2.intoArray(c, c2);
        r3.intoArray(c, c3);
    }

    private static void tile1x1(int ys, boolean overwrite, float[] a, int ar, int ay, float[] b, int bo, int bRow,
                                float[] c, int c0) {
        FloatVector r0 = overwrite ? FloatVector.zero(S) : FloatVector.fromArray(S, c, c0);
        for (int y = 0; y < ys; y++) {
            r0 = FloatVector.broadcast(S, a[ar + y * ay]).fma(FloatVector.fromArray(S, b, bo + y * bRow), r0);
        }
        r0.intoArray(c, c0);
    }

    private static void scalarColumn(int ys, boolean overwrite, float[] a, int ai, int ay, float[] b, int bi, int bRow,
                                     float[] c, int ci) {
        float acc = overwrite ? 0f : c[ci];
        for (int y = 0; y < ys; y++) {
            acc = Math.fma(a[ai + y * ay], b[bi + y * bRow], acc);
        }
        c[ci] = acc;
    }

    /**
     * {@code c[x][0, w) += sum over y < ys of a(x, y) * b[y][0, w)} with {@code b} rows read straight from a
     * memory segment, one output row at a time: for a handful of rows (a decode step), where copying the value
     * block into the scratch would cost as much as the product itself. Up to four vectors of a row accumulate
     * in registers while the value rows stream past once.
     */
    static void accumulateFromSegment(int xs, int ys, int w, float[] a, int aOff, int ax, int ay,
                                      MemorySegment b, long bOff, long bRow, float[] c, int cOff, int cRow) {
        int wv = w - w % L;
        int w4 = wv - wv % (4 * L);
        for (int x = 0; x < xs; x++) {
            int ar = aOff + x * ax;
            int cr = cOff + x * cRow;
            int col = 0;
            for (; col < w4; col += 4 * L) {
                FloatVector r0 = FloatVector.fromArray(S, c, cr + col);
                FloatVector r1 = FloatVector.fromArray(S, c, cr + col + L);
                FloatVector r2 = FloatVector.fromArray(S, c, cr + col + 2 * L);
                FloatVector r3 = FloatVector.fromArray(S, c, cr + col + 3 * L);
                for (int y = 0; y < ys; y++) {
                    FloatVector p = FloatVector.broadcast(S, a[ar + y * ay]);
                    long o = (bOff + y * bRow + col) * 4;
                    r0 = p.fma(FloatVector.fromMemorySegment(S, b, o, NO), r0);
                    r1 = p.fma(FloatVector.fromMemorySegment(S, b, o + 4L * L, NO), r1);
                    r2 = p.fma(FloatVector.fromMemorySegment(S, b, o + 8L * L, NO), r2);
                    r3 = p.fma(FloatVector.fromMemorySegment(S, b, o + 12L * L, NO), r3);
                }
                r0.intoArray(c, cr + col);
                r1.intoArray(c, cr + col + L);
                r2.intoArray(c, cr + col + 2 * L);
                r3.intoArray(c, cr + col + 3 * L);
            }
            for (; col < wv; col += L) {
                FloatVector acc = FloatVector.fromArray(S, c, cr + col);
                for (int y = 0; y < ys; y++) {
                    acc = FloatVector.broadcast(S, a[ar + y * ay])
                            .fma(FloatVector.fromMemorySegment(S, b, (bOff + y * bRow + col) * 4, NO), acc);
                }
                acc.intoArray(c, cr + col);
            }
            for (; col < w; col++) {
                float acc = c[cr + col];
                for (int y = 0; y < ys; y++) {
                    acc = Math.fma(a[ar + y * ay], b.getAtIndex(F, bOff + y * bRow + col), acc);
                }
                c[cr + col] = acc;
            }
        }
    }

    /**
     * Scores straight from tensor memory: {@code c[cOff + r * cRow + j] = dot(a[r], b[j])} over {@code d}
     * elements for {@code r < rows}, {@code j < n} (rows of {@code a} at {@code aOff + r * aRow}, rows of
     * {@code b} at {@code bOff + j * bRow}). For a few query rows this beats packing the block.
     */
    static void dotRows(int rows, int n, int d, MemorySegment a, long aOff, long aRow,
                        MemorySegment b, long bOff, long bRow, float[] c, int cOff, int cRow) {
        for (int r = 0; r < rows; r++) {
            long ar = aOff + r * aRow;
            int cr = cOff + r * cRow;
            for (int j = 0; j < n; j++) {
                c[cr + j] = dot(a, ar, b, bOff + j * bRow, d);
            }
        }
    }

    /** Dot product of {@code n} contiguous elements at {@code ao} and {@code bo}, two vector accumulators. */
    static float dot(MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        int bound2 = n - n % (2 * L);
        for (; i < bound2; i += 2 * L) {
            long x = (ao + i) * 4;
            long y = (bo + i) * 4;
            s0 = FloatVector.fromMemorySegment(S, a, x, NO).fma(FloatVector.fromMemorySegment(S, b, y, NO), s0);
            s1 = FloatVector.fromMemorySegment(S, a, x + 4L * L, NO)
                    .fma(FloatVector.fromMemorySegment(S, b, y + 4L * L, NO), s1);
        }
        if (i + L <= n) {
            s0 = FloatVector.fromMemorySegment(S, a, (ao + i) * 4, NO)
                    .fma(FloatVector.fromMemorySegment(S, b, (bo + i) * 4, NO), s0);
            i += L;
        }
        float acc = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            acc = Math.fma(a.getAtIndex(F, ao + i), b.getAtIndex(F, bo + i), acc);
        }
        return acc;
    }

    /** Copies {@code n} rows of {@code w} elements from tensor memory into the scratch (row stride {@code ld}). */
    static void copyRows(int n, int w, MemorySegment src, long off, long row, float[] dst, int dOff, int ld) {
        int wv = w - w % L;
        for (int j = 0; j < n; j++) {
            long so = off + j * row;
            int dd = dOff + j * ld;
            int i = 0;
            for (; i < wv; i += L) {
                FloatVector.fromMemorySegment(S, src, (so + i) * 4, NO).intoArray(dst, dd + i);
            }
            for (; i < w; i++) {
                dst[dd + i] = src.getAtIndex(F, so + i);
            }
        }
    }

    /**
     * Packs {@code n} rows of {@code d} elements ({@code src[off + j * row + p]}) transposed into
     * {@code dst[dOff + p * ld + j]}, zero-filling columns {@code n <= j < nPad}.
     */
    static void packTransposed(int n, int nPad, int d, MemorySegment src, long off, long row,
                               float[] dst, int dOff, int ld) {
        for (int j = 0; j < n; j++) {
            long so = off + j * row;
            int dd = dOff + j;
            for (int p = 0; p < d; p++) {
                dst[dd + p * ld] = src.getAtIndex(F, so + p);
            }
        }
        for (int p = 0; p < d; p++) {
            for (int j = n; j < nPad; j++) {
                dst[dOff + p * ld + j] = 0f;
            }
        }
    }

    /** {@code dst[dOff + i] = src[so + i] * factor} for {@code i < n}: a finished row out to tensor memory. */
    static void storeScaled(float[] src, int so, float factor, int n, MemorySegment dst, long dOff) {
        FloatVector f = FloatVector.broadcast(S, factor);
        int i = 0;
        int bound = n - n % L;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, src, so + i).mul(f).intoMemorySegment(dst, (dOff + i) * 4, NO);
        }
        for (; i < n; i++) {
            dst.setAtIndex(F, dOff + i, src[so + i] * factor);
        }
    }

    /** {@code dst[dOff + i] += src[so + i]} for {@code i < n}. */
    static void addInto(float[] src, int so, int n, MemorySegment dst, long dOff) {
        int i = 0;
        int bound = n - n % L;
        for (; i < bound; i += L) {
            long o = (dOff + i) * 4;
            FloatVector.fromMemorySegment(S, dst, o, NO).add(FloatVector.fromArray(S, src, so + i))
                    .intoMemorySegment(dst, o, NO);
        }
        for (; i < n; i++) {
            dst.setAtIndex(F, dOff + i, dst.getAtIndex(F, dOff + i) + src[so + i]);
        }
    }

    /** Scales {@code n} scratch elements by {@code factor}. */
    static void scale(float[] x, int off, int n, float factor) {
        FloatVector f = FloatVector.broadcast(S, factor);
        int i = 0;
        int bound = n - n % L;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(f).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    /** Sets {@code n} elements of tensor memory to zero. */
    static void zero(MemorySegment s, long off, int n) {
        for (int i = 0; i < n; i++) {
            s.setAtIndex(F, off + i, 0f);
        }
    }
}
