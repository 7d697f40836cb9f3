package dev.onerec4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise parts of attention on score blocks in the scratch, F32 vectors. Two layouts occur:
 * <ul>
 *   <li>transposed blocks ({@code [key][query]}, used by the forward and the query-gradient pass), where one
 *       vector holds several queries' scores for one key, so the online softmax's running max and sum are
 *       themselves vectors;</li>
 *   <li>plain blocks ({@code [query][key]}, used by the key-major backward sweep and by a forward over a few
 *       queries), processed a row at a time.</li>
 * </ul>
 * Nothing here produces NaN for a query that sees no key: such a query's max stays -infinity, its shift is
 * taken as 0, and every probability it contributes is exactly 0.
 */
final class AttentionSoftmax {

    private static final VectorSpecies<Float> S = AttentionTiles.S;
    private static final int L = AttentionTiles.L;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private AttentionSoftmax() {
    }

    /** {@code x[off, off + n) *= factor} ({@code n} a multiple of L). */
    static void scaleLanes(float[] x, int off, int n, float factor) {
        FloatVector f = FloatVector.broadcast(S, factor);
        for (int i = 0; i < n; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(f).intoArray(x, off + i);
        }
    }

    /**
     * One online-softmax step over a transposed block {@code st[stOff + j * ld + r]} of {@code n} keys (already
     * scaled and masked to -inf): updates each query's running max ({@code stats[mOff + r]}) and sum
     * ({@code stats[lOff + r]}), leaves the rescale factor of its earlier output in {@code stats[alphaOff + r]},
     * and turns the block into probabilities relative to the new max. {@code lanes} is a multiple of L.
     */
    static void onlineSoftmaxColumns(float[] st, int stOff, int n, int ld, int lanes,
                                     float[] stats, int mOff, int lOff, int alphaOff) {
        FloatVector negInf = FloatVector.broadcast(S, NEG_INF);
        for (int r = 0; r < lanes; r += L) {
            FloatVector blockMax = negInf;
            for (int j = 0; j < n; j++) {
                blockMax = blockMax.max(FloatVector.fromArray(S, st, stOff + j * ld + r));
            }
            FloatVector mOld = FloatVector.fromArray(S, stats, mOff + r);
            FloatVector mNew = mOld.max(blockMax);
            VectorMask<Float> unseen = mNew.compare(VectorOperators.EQ, NEG_INF);
            FloatVector shift = mNew.blend(0f, unseen);
            FloatVector alpha = mOld.sub(shift).lanewise(VectorOperators.EXP);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                int o = stOff + j * ld + r;
                FloatVector p0 = FloatVector.fromArray(S, st, o).sub(shift).lanewise(VectorOperators.EXP);
                FloatVector p1 = FloatVector.fromArray(S, st, o + ld).sub(shift).lanewise(VectorOperators.EXP);
                p0.intoArray(st, o);
                p1.intoArray(st, o + ld);
                s0 = s0.add(p0);
                s1 = s1.add(p1);
            }
            if (j < n) {
                int o = stOff + j * ld + r;
                FloatVector p0 = FloatVector.fromArray(S, st, o).sub(shift).lanewise(VectorOperators.EXP);
                p0.intoArray(st, o);
                s0 = s0.add(p0);
            }
            FloatVector.fromArray(S, stats, lOff + r).mul(alpha).add(s0.add(s1)).intoArray(stats, lOff + r);
            mNew.intoArray(stats, mOff + r);
            alpha.intoArray(stats, alphaOff + r);
        }
    }

    /**
     * Turns one plain row of raw scores {@code s[off, off + visible)} into logits (scaled, plus {@code maskAdd}
     * when not null, which is 0 or -inf per key), sets {@code [visible, nPad)} to -inf, and returns the row max.
     */
    static float scaleMaskMaxRow(float[] s, int off, int visible, int nPad, float scale, float[] maskAdd, int maskOff) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector vmax = FloatVector.broadcast(S, NEG_INF);
        int j = 0;
        int bound = visible - visible % L;
        for (; j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, off + j).mul(sc);
            if (maskAdd != null) {
                x = x.add(FloatVector.fromArray(S, maskAdd, maskOff + j));
            }
            x.intoArray(s, off + j);
            vmax = vmax.max(x);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < visible; j++) {
            float x = s[off + j] * scale;
            if (maskAdd != null) {
                x += maskAdd[maskOff + j];
            }
            s[off + j] = x;
            max = Math.max(max, x);
        }
        for (; j < nPad; j++) {
            s[off + j] = NEG_INF;
        }
        return max;
    }

    /** {@code s[j] = exp(s[j] - shift)} over {@code nPad} elements (a multiple of L); returns their sum. */
    static float expShiftSumRow(float[] s, int off, int nPad, float shift) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < nPad; j += L) {
            FloatVector e = FloatVector.fromArray(S, s, off + j).sub(sh).lanewise(VectorOperators.EXP);
            e.intoArray(s, off + j);
            sum = sum.add(e);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /**
     * For one key of a transposed block: {@code grad[gOff + r] = P * (grad[gOff + r] - delta[r]) * scale} with
     * {@code P = exp(st[stOff + r] * scale - lse[r])}, over {@code lanes} queries. A query that sees no key carries
     * {@code lse = +infinity}, which makes its P exactly 0.
     */
    static void scoreGradsColumns(float[] st, int stOff, float[] grad, int gOff, int lanes, float scale,
                                  float[] stats, int lseOff, int deltaOff) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        for (int r = 0; r < lanes; r += L) {
            FloatVector lse = FloatVector.fromArray(S, stats, lseOff + r);
            FloatVector p = FloatVector.fromArray(S, st, stOff + r).fma(sc, lse.neg()).lanewise(VectorOperators.EXP);
            FloatVector g = FloatVector.fromArray(S, grad, gOff + r).sub(FloatVector.fromArray(S, stats, deltaOff + r));
            g.mul(p).mul(sc).intoArray(grad, gOff + r);
        }
    }

    /**
     * Recomputes one plain row's probabilities in place: {@code s[j] = exp(s[j] * scale + maskAdd[j] - lse)} for
     * {@code j < visible} and 0 for {@code visible <= j < nPad} ({@code maskAdd} is 0 or -inf per key, or null).
     */
    static void probabilitiesRow(float[] s, int off, int visible, int nPad, float scale, float lse,
                                 float[] maskAdd, int maskOff) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector sh = FloatVector.broadcast(S, -lse);
        int j = 0;
        int bound = visible - visible % L;
        for (; j < bound; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, off + j).fma(sc, sh);
            if (maskAdd != null) {
                x = x.add(FloatVector.fromArray(S, maskAdd, maskOff + j));
            }
            x.lanewise(VectorOperators.EXP).intoArray(s, off + j);
        }
        for (; j < visible; j++) {
            float x = Math.fma(s[off + j], scale, -lse);
            if (maskAdd != null) {
                x += maskAdd[maskOff + j];
            }
            s[off + j] = (float) Math.exp(x);
        }
        for (; j < nPad; j++) {
            s[off + j] = 0f;
        }
    }

    /** {@code grad[j] = p[j] * (grad[j] - delta) * scale} over {@code nPad} elements (a multiple of L). */
    static void scoreGradsRow(float[] p, int pOff, float[] grad, int gOff, int nPad, float delta, float scale) {
        FloatVector dl = FloatVector.broadcast(S, delta);
        FloatVector sc = FloatVector.broadcast(S, scale);
        for (int j = 0; j < nPad; j += L) {
            FloatVector g = FloatVector.fromArray(S, grad, gOff + j).sub(dl)
                    .mul(FloatVector.fromArray(S, p, pOff + j)).mul(sc);
            g.intoArray(grad, gOff + j);
        }
    }
}
