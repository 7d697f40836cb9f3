package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The F32 vector building blocks of the attention kernels, on memory segments with element offsets and
 * strides: a register-tiled "broadcast a coefficient, multiply a row" product that serves every matrix product
 * of the forward and backward passes, a dot-product form for a handful of rows, block packing, and the row
 * operations of the online softmax.
 */
final class AttentionTiles {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private AttentionTiles() {
    }

    /**
     * {@code c[x][0, w) (+)= sum over y < ys of a(x, y) * b[y][0, w)} for {@code x < xs}, where
     * {@code a(x, y) = a[aOff + x * ax + y * ay]}, {@code b[y][i] = b[bOff + y * bRow + i]} and
     * {@code c[x][i] = c[cOff + x * cRow + i]}. With {@code overwrite} the sums start from zero instead of
     * {@code c}. Tiles of four rows by two vectors keep eight accumulators in registers; {@code a} is read one
     * scalar at a time (broadcast), so it may be laid out either way round.
     */
    static void accumulate(int xs, int ys, int w, boolean overwrite,
                           MemorySegment a, long aOff, long ax, long ay,
                           MemorySegment b, long bOff, long bRow,
                           MemorySegment c, long cOff, long cRow) {
        int wv = w - w % L;
        int w2 = wv - wv % (2 * L);
        int x = 0;
        for (; x + 4 <= xs; x += 4) {
            long ar = aOff + x * ax;
            long cr = cOff + x * cRow;
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
            long ar = aOff + x * ax;
            long cr = cOff + x * cRow;
            int col = 0;
            for (; col < w2; col += 2 * L) {
                tile1x2(ys, overwrite, a, ar, ay, b, bOff + col, bRow, c, cr + col);
            }
            for (; col < wv; col += L) {
                tile1x1(ys, overwrite, a, ar, ay, b, bOff + col, bRow, c, cr + col);
            }
            for (; col < w; col++) {
                scalarColumn(ys, overwrite, a, ar, ay, b, bOff + col, bRow, c, cr + col);
            }
        }
    }

    private static void tile4x2(int ys, boolean overwrite, MemorySegment a, long ar, long ax, long ay,
                                MemorySegment b, long bo, long bRow, MemorySegment c, long co, long cRow) {
        long c0 = co * 4;
        long c1 = (co + cRow) * 4;
        long c2 = (co + 2 * cRow) * 4;
        long c3 = (co + 3 * cRow) * 4;
        long h = 4L * L;
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
            r00 = FloatVector.fromMemorySegment(S, c, c0, NO);
            r01 = FloatVector.fromMemorySegment(S, c, c0 + h, NO);
            r10 = FloatVector.fromMemorySegment(S, c, c1, NO);
            r11 = FloatVector.fromMemorySegment(S, c, c1 + h, NO);
            r20 = FloatVector.fromMemorySegment(S, c, c2, NO);
            r21 = FloatVector.fromMemorySegment(S, c, c2 + h, NO);
            r30 = FloatVector.fromMemorySegment(S, c, c3, NO);
            r31 = FloatVector.fromMemorySegment(S, c, c3 + h, NO);
        }
        long a0 = ar * 4;
        long a1 = (ar + ax) * 4;
        long a2 = (ar + 2 * ax) * 4;
        long a3 = (ar + 3 * ax) * 4;
        long aStep = ay * 4;
        long bb = bo * 4;
        long bStep = bRow * 4;
        for (int y = 0; y < ys; y++) {
            FloatVector v0 = FloatVector.fromMemorySegment(S, b, bb, NO);
            FloatVector v1 = FloatVector.fromMemorySegment(S, b, bb + h, NO);
            FloatVector s0 = FloatVector.broadcast(S, a.get(F, a0));
            r00 = s0.fma(v0, r00);
            r01 = s0.fma(v1, r01);
            FloatVector s1 = FloatVector.broadcast(S, a.get(F, a1));
            r10 = s1.fma(v0, r10);
            r11 = s1.fma(v1, r11);
            FloatVector s2 = FloatVector.broadcast(S, a.get(F, a2));
            r20 = s2.fma(v0, r20);
            r21 = s2.fma(v1, r21);
            FloatVector s3 = FloatVector.broadcast(S, a.get(F, a3));
            r30 = s3.fma(v0, r30);
            r31 = s3.fma(v1, r31);
            a0 += aStep;
            a1 += aStep;
            a2 += aStep;
            a3 += aStep;
            bb += bStep;
        }
        r00.intoMemorySegment(c, c0, NO);
        r01.intoMemorySegment(c, c0 + h, NO);
        r10.intoMemorySegment(c, c1, NO);
        r11.intoMemorySegment(c, c1 + h, NO);
        r20.intoMemorySegment(c, c2, NO);
        r21.intoMemorySegment(c, c2 + h, NO);
        r30.intoMemorySegment(c, c3, NO);
        r31.intoMemorySegment(c, c3 + h, NO);
    }

    private static void tile4x1(int ys, boolean overwrite, MemorySegment a, long ar, long ax, long ay,
                                MemorySegment b, long bo, long bRow, MemorySegment c, long co, long cRow) {
        long c0 = co * 4;
        long c1 = (co + cRow) * 4;
        long c2 = (co + 2 * cRow) * 4;
        long c3 = (co + 3 * cRow) * 4;
        FloatVector r0;
        FloatVector r1;
        FloatVector r2;
        FloatVector r3;
        if (overwrite) {
            r0 = r1 = r2 = r3 = FloatVector.zero(S);
        } else {
            r0 = FloatVector.fromMemorySegment(S, c, c0, NO);
            r1 = FloatVector.fromMemorySegment(S, c, c1, NO);
            r2 = FloatVector.fromMemorySegment(S, c, c2, NO);
            r3 = FloatVector.fromMemorySegment(S, c, c3, NO);
        }
        long a0 = ar * 4;
        long a1 = (ar + ax) * 4;
        long a2 = (ar + 2 * ax) * 4;
        long a3 = (ar + 3 * ax) * 4;
        long aStep = ay * 4;
        long bb = bo * 4;
        long bStep = bRow * 4;
        for (int y = 0; y < ys; y++) {
            FloatVector v = FloatVector.fromMemorySegment(S, b, bb, NO);
            r0 = FloatVector.broadcast(S, a.get(F, a0)).fma(v, r0);
            r1 = FloatVector.broadcast(S, a.get(F, a1)).fma(v, r1);
            r2 = FloatVector.broadcast(S, a.get(F, a2)).fma(v, r2);
            r3 = FloatVector.broadcast(S, a.get(F, a3)).fma(v, r3);
            a0 += aStep;
            a1 += aStep;
            a2 += aStep;
            a3 += aStep;
            bb += bStep;
        }
        r0.intoMemorySegment(c, c0, NO);
        r1.intoMemorySegment(c, c1, NO);
        r2.intoMemorySegment(c, c2, NO);
        r3.intoMemorySegment(c, c3, NO);
    }

    private static void tile1x2(int ys, boolean overwrite, MemorySegment a, long ar, long ay,
                                MemorySegment b, long bo, long bRow, MemorySegment c, long co) {
        long c0 = co * 4;
        long h = 4L * L;
        FloatVector r0 = overwrite ? FloatVector.zero(S) : FloatVector.fromMemorySegment(S, c, c0, NO);
        FloatVector r1 = overwrite ? FloatVector.zero(S) : FloatVector.fromMemorySegment(S, c, c0 + h, NO);
        long a0 = ar * 4;
        long aStep = ay * 4;
        long bb = bo * 4;
        long bStep = bRow * 4;
        for (int y = 0; y < ys; y++) {
            FloatVector s0 = FloatVector.broadcast(S, a.get(F, a0));
            r0 = s0.fma(FloatVector.fromMemorySegment(S, b, bb, NO), r0);
            r1 = s0.fma(FloatVector.fromMemorySegment(S, b, bb + h, NO), r1);
            a0 += aStep;
            bb += bStep;
        }
        r0.intoMemorySegment(c, c0, NO);
        r1.intoMemorySegment(c, c0 + h, NO);
    }

    private static void tile1x1(int ys, boolean overwrite, MemorySegment a, long ar, long ay,
                                MemorySegment b, long bo, long bRow, MemorySegment c, long co) {
        long c0 = co * 4;
        FloatVector r0 = overwrite ? FloatVector.zero(S) : FloatVector.fromMemorySegment(S, c, c0, NO);
        long a0 = ar * 4;
        long aStep = ay * 4;
        long bb = bo * 4;
        long bStep = bRow * 4;
        for (int y = 0; y < ys; y++) {
            r0 = FloatVector.broadcast(S, a.get(F, a0)).fma(FloatVector.fromMemorySegment(S, b, bb, NO), r0);
            a0 += aStep;
            bb += bStep;
        }
        r0.intoMemorySegment(c, c0, NO);
    }

    private static void scalarColumn(int ys, boolean overwrite, MemorySegment a, long ai, long ay,
                                     MemorySegment b, long bi, long bRow, MemorySegment c, long ci) {
        float acc = overwrite ? 0f : c.getAtIndex(F, ci);
        for (int y = 0; y < ys; y++) {
            acc = Math.fma(a.getAtIndex(F, ai + y * ay), b.getAtIndex(F, bi + y * bRow), acc);
        }
        c.setAtIndex(F, ci, acc);
    }

    /**
     * {@code c[r][j] = dot(a[r], b[j])} over {@code d} elements for {@code r < rows}, {@code j < n}, and zero for
     * {@code n <= j < nPad}: the unpacked form of a score block, cheaper than packing when there are few rows.
     */
    static void dotRows(int rows, int n, int nPad, int d, MemorySegment a, long aOff, long aRow,
                        MemorySegment b, long bOff, long bRow, MemorySegment c, long cOff, long cRow) {
        for (int r = 0; r < rows; r++) {
            long ar = aOff + r * aRow;
            long cr = cOff + r * cRow;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(F, cr + j, dot(a, ar, b, bOff + j * bRow, d));
            }
            for (int j = n; j < nPad; j++) {
                c.setAtIndex(F, cr + j, 0f);
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

    /**
     * Packs {@code n} rows of {@code d} contiguous elements ({@code src[off + j * row + p]}) transposed into
     * {@code dst[dstOff + p * ld + j]}, zero-filling columns {@code n <= j < nPad}, so that score rows can be
     * built by broadcasting one query element against a vector of keys.
     */
    static void packTransposed(int n, int nPad, int d, MemorySegment src, long off, long row,
                               MemorySegment dst, long dstOff, int ld) {
        for (int j = 0; j < n; j++) {
            long so = off + j * row;
            long dd = dstOff + j;
            for (int p = 0; p < d; p++) {
                dst.setAtIndex(F, dd + (long) p * ld, src.getAtIndex(F, so + p));
            }
        }
        for (int j = n; j < nPad; j++) {
            for (int p = 0; p < d; p++) {
                dst.setAtIndex(F, dstOff + (long) p * ld + j, 0f);
            }
        }
    }

    /**
     * Turns raw scores {@code s[off, off + visible)} into scaled, masked logits (adding {@code maskAdd}, which
     * is 0 or -inf per key, when not null), sets {@code [visible, nPad)} to -inf, and returns the row maximum.
     */
    static float scaleMaskMax(MemorySegment s, long off, int visible, int nPad, float scale,
                              MemorySegment maskAdd, long maskOff) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector vmax = FloatVector.broadcast(S, NEG_INF);
        int j = 0;
        int bound = visible - visible % L;
        for (; j < bound; j += L) {
            long o = (off + j) * 4;
            FloatVector x = FloatVector.fromMemorySegment(S, s, o, NO).mul(sc);
            if (maskAdd != null) {
                x = x.add(FloatVector.fromMemorySegment(S, maskAdd, (maskOff + j) * 4, NO));
            }
            x.intoMemorySegment(s, o, NO);
            vmax = vmax.max(x);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < visible; j++) {
            float x = s.getAtIndex(F, off + j) * scale;
            if (maskAdd != null) {
                x += maskAdd.getAtIndex(F, maskOff + j);
            }
            s.setAtIndex(F, off + j, x);
            max = Math.max(max, x);
        }
        for (; j < nPad; j++) {
            s.setAtIndex(F, off + j, NEG_INF);
        }
        return max;
    }

    /** {@code s[j] = exp(s[j] - shift)} over {@code [off, off + nPad)} ({@code nPad} a multiple of L); returns the sum. */
    static float expShiftSum(MemorySegment s, long off, int nPad, float shift) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int j = 0;
        int bound2 = nPad - nPad % (2 * L);
        for (; j < bound2; j += 2 * L) {
            long o = (off + j) * 4;
            FloatVector e0 = FloatVector.fromMemorySegment(S, s, o, NO).sub(sh).lanewise(VectorOperators.EXP);
            FloatVector e1 = FloatVector.fromMemorySegment(S, s, o + 4L * L, NO).sub(sh).lanewise(VectorOperators.EXP);
            e0.intoMemorySegment(s, o, NO);
            e1.intoMemorySegment(s, o + 4L * L, NO);
            s0 = s0.add(e0);
            s1 = s1.add(e1);
        }
        for (; j < nPad; j += L) {
            long o = (off + j) * 4;
            FloatVector e = FloatVector.fromMemorySegment(S, s, o, NO).sub(sh).lanewise(VectorOperators.EXP);
            e.intoMemorySegment(s, o, NO);
            s0 = s0.add(e);
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Recomputes probabilities in place: {@code s[j] = exp(s[j] * scale + maskAdd[j] - lse)} for
     * {@code j < visible} and 0 for {@code visible <= j < nPad}.
     */
    static void probabilities(MemorySegment s, long off, int visible, int nPad, float scale, float lse,
                              MemorySegment maskAdd, long maskOff) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector sh = FloatVector.broadcast(S, -lse);
        int j = 0;
        int bound = visible - visible % L;
        for (; j < bound; j += L) {
            long o = (off + j) * 4;
            FloatVector x = FloatVector.fromMemorySegment(S, s, o, NO).fma(sc, sh);
            if (maskAdd != null) {
                x = x.add(FloatVector.fromMemorySegment(S, maskAdd, (maskOff + j) * 4, NO));
            }
            x.lanewise(VectorOperators.EXP).intoMemorySegment(s, o, NO);
        }
        for (; j < visible; j++) {
            float x = Math.fma(s.getAtIndex(F, off + j), scale, -lse);
            if (maskAdd != null) {
                x += maskAdd.getAtIndex(F, maskOff + j);
            }
            s.setAtIndex(F, off + j, (float) Math.exp(x));
        }
        for (; j < nPad; j++) {
            s.setAtIndex(F, off + j, 0f);
        }
    }

    /** {@code dp[j] = p[j] * (dp[j] - delta) * scale} over {@code nPad} elements (a multiple of L). */
    static void scoreGrads(MemorySegment p, long pOff, MemorySegment dp, long dpOff, int nPad, float delta, float scale) {
        FloatVector dl = FloatVector.broadcast(S, delta);
        FloatVector sc = FloatVector.broadcast(S, scale);
        for (int j = 0; j < nPad; j += L) {
            long po = (pOff + j) * 4;
            long go = (dpOff + j) * 4;
            FloatVector g = FloatVector.fromMemorySegment(S, dp, go, NO).sub(dl)
                    .mul(FloatVector.fromMemorySegment(S, p, po, NO)).mul(sc);
            g.intoMemorySegment(dp, go, NO);
        }
    }

    /** {@code dst[i] = src[i] * factor} for {@code i < n} (either may be the other). */
    static void scaleInto(MemorySegment src, long so, float factor, int n, MemorySegment dst, long dOff) {
        FloatVector f = FloatVector.broadcast(S, factor);
        int i = 0;
        int bound = n - n % L;
        for (; i < bound; i += L) {
            FloatVector.fromMemorySegment(S, src, (so + i) * 4, NO).mul(f).intoMemorySegment(dst, (dOff + i) * 4, NO);
        }
        for (; i < n; i++) {
            dst.setAtIndex(F, dOff + i, src.getAtIndex(F, so + i) * factor);
        }
    }

    /** Sets {@code n} elements from {@code off} to zero. */
    static void zero(MemorySegment s, long off, int n) {
        FloatVector z = FloatVector.zero(S);
        int i = 0;
        int bound = n - n % L;
        for (; i < bound; i += L) {
            z.intoMemorySegment(s, (off + i) * 4, NO);
        }
        for (; i < n; i++) {
            s.setAtIndex(F, off + i, 0f);
        }
    }
}
