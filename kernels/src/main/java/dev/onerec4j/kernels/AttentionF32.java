package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The F32 flash-attention drivers: block loops, online softmax and the FlashAttention-2 backward, built from
 * the vector tiles of {@link AttentionTiles}. See {@link AttentionKernels} for the contract.
 */
final class AttentionF32 {

    private static final int BQ = AttentionKernels.BLOCK_QUERIES;
    private static final int BK = AttentionKernels.BLOCK_KEYS;
    private static final int L = AttentionTiles.L;
    /**
     * From this many query rows on, a key block is packed transposed (so scores are register-tiled products);
     * below it, rows take plain dot products, which avoids packing a block for a single decode query.
     */
    static final int PACK_MIN_ROWS = 8;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private AttentionF32() {
    }

    static void forward(AttentionProblem p, AttentionScratch s, int b, int h, int q0, int q1) {
        int rows = q1 - q0;
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        MemorySegment w = s.memory();
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        long qBase = q.at(b, h, q0);
        long kBase = k.at(b, hk, 0);
        long vBase = v.at(b, hk, 0);
        long accRow = s.paddedValueDim;
        for (int r = 0; r < rows; r++) {
            w.setAtIndex(F, s.rowStatA + r, NEG_INF);
            w.setAtIndex(F, s.rowStatB + r, 0f);
            AttentionTiles.zero(w, s.rowAcc + r * accRow, dv);
        }
        float scale = (float) p.scale();
        boolean packed = rows >= PACK_MIN_ROWS;
        int keyEnd = Math.min(p.keyLen(), p.lastVisibleKey(q1 - 1) + 1);
        for (int k0 = 0; k0 < keyEnd; k0 += BK) {
            int n = Math.min(BK, keyEnd - k0);
            int nPad = AttentionScratch.roundUp(n, L);
            if (packed) {
                AttentionTiles.packTransposed(n, nPad, d, k.segment(), kBase + k0 * k.rowStride(), k.rowStride(),
                        w, s.keysT, BK);
                AttentionTiles.accumulate(rows, d, nPad, true, q.segment(), qBase, q.rowStride(), 1,
                        w, s.keysT, BK, w, s.scores, BK);
            } else {
                AttentionTiles.dotRows(rows, n, nPad, d, q.segment(), qBase, q.rowStride(),
                        k.segment(), kBase + k0 * k.rowStride(), k.rowStride(), w, s.scores, BK);
            }
            MemorySegment maskAdd = loadMask(p, b, k0, n, w, s.maskAdd) ? w : null;
            for (int r = 0; r < rows; r++) {
                onlineSoftmaxStep(p, s, w, r, q0 + r, k0, n, nPad, scale, maskAdd);
            }
            AttentionTiles.accumulate(rows, n, dv, false, w, s.scores, BK, 1,
                    v.segment(), vBase + k0 * v.rowStride(), v.rowStride(), w, s.rowAcc, accRow);
        }
        AttentionOperand out = p.out();
        AttentionOperand lse = p.lse();
        for (int r = 0; r < rows; r++) {
            float l = w.getAtIndex(F, s.rowStatB + r);
            long o = out.at(b, h, q0 + r);
            float rowLse;
            if (l == 0f) {
                AttentionTiles.zero(out.segment(), o, dv);
                rowLse = NEG_INF;
            } else {
                AttentionTiles.scaleInto(w, s.rowAcc + r * accRow, 1f / l, dv, out.segment(), o);
                rowLse = w.getAtIndex(F, s.rowStatA + r) + (float) Math.log(l);
            }
            if (lse != null) {
                lse.segment().setAtIndex(F, lse.at(b, h, q0 + r), rowLse);
            }
        }
    }

    /**
     * Folds key block {@code [k0, k0 + n)} into row {@code r}'s running max (rowStatA) and sum (rowStatB): turns
     * the row's scores into probabilities relative to the new max and rescales the row's output accumulator.
     */
    private static void onlineSoftmaxStep(AttentionProblem p, AttentionScratch s, MemorySegment w, int r, int query,
                                          int k0, int n, int nPad, float scale, MemorySegment maskAdd) {
        long sRow = s.scores + (long) r * BK;
        int visible = Math.min(n, p.lastVisibleKey(query) - k0 + 1);
        if (visible <= 0) {
            AttentionTiles.zero(w, sRow, nPad);
            return;
        }
        float blockMax = AttentionTiles.scaleMaskMax(w, sRow, visible, nPad, scale, maskAdd, s.maskAdd);
        float mOld = w.getAtIndex(F, s.rowStatA + r);
        float mNew = Math.max(mOld, blockMax);
        if (mNew == NEG_INF) {
            // Every key so far is masked: nothing to add, and exp(-inf - -inf) would be NaN.
            AttentionTiles.zero(w, sRow, nPad);
            return;
        }
        float sum = AttentionTiles.expShiftSum(w, sRow, nPad, mNew);
        float alpha = (float) Math.exp(mOld - mNew);
        w.setAtIndex(F, s.rowStatA + r, mNew);
        w.setAtIndex(F, s.rowStatB + r, w.getAtIndex(F, s.rowStatB + r) * alpha + sum);
        if (alpha != 1f) {
            long acc = s.rowAcc + (long) r * s.paddedValueDim;
            AttentionTiles.scaleInto(w, acc, alpha, p.valueDim(), w, acc);
        }
    }

    /**
     * Writes 0 (visible) or -inf (masked) for keys {@code [k0, k0 + n)} of batch {@code b} at {@code maskOff};
     * returns whether any key is masked (false without a mask, so callers skip the addition).
     */
    private static boolean loadMask(AttentionProblem p, int b, int k0, int n, MemorySegment w, long maskOff) {
        AttentionOperand m = p.keyMask();
        if (m == null) {
            return false;
        }
        boolean any = false;
        MemorySegment seg = m.segment();
        long base = m.at(b, 0, k0);
        for (int j = 0; j < n; j++) {
            boolean visible = seg.getAtIndex(I, base + j * m.rowStride()) != 0;
            w.setAtIndex(F, maskOff + j, visible ? 0f : NEG_INF);
            any |= !visible;
        }
        return any;
    }

    // ------------------------------------------------------------------ backward

    /** See {@link AttentionKernels#backwardKeyBlocks}. */
    static void backwardKeyBlocks(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int hk,
                                  int kFrom, int kTo, boolean withQueryGrad) {
        int d = p.headDim();
        int dv = p.valueDim();
        int tq = p.queryLen();
        int group = p.group();
        MemorySegment w = s.memory();
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        AttentionOperand gq = g.gradQ();
        if (withQueryGrad) {
            for (int gh = 0; gh < group; gh++) {
                for (int i = 0; i < tq; i++) {
                    AttentionTiles.zero(gq.segment(), gq.at(b, hk * group + gh, i), d);
                }
            }
        }
        long dPad = s.paddedHeadDim;
        long dvPad = s.paddedValueDim;
        for (int k0 = kFrom; k0 < kTo; k0 += BK) {
            int n = Math.min(BK, kTo - k0);
            int nPad = AttentionScratch.roundUp(n, L);
            long kBlock = k.at(b, hk, k0);
            long vBlock = v.at(b, hk, k0);
            AttentionTiles.packTransposed(n, nPad, d, k.segment(), kBlock, k.rowStride(), w, s.keysT, BK);
            AttentionTiles.packTransposed(n, nPad, dv, v.segment(), vBlock, v.rowStride(), w, s.valuesT, BK);
            for (int j = 0; j < n; j++) {
                AttentionTiles.zero(w, s.keyGradAcc + j * dPad, d);
                AttentionTiles.zero(w, s.valueGradAcc + j * dvPad, dv);
            }
            for (int gh = 0; gh < group; gh++) {
                int h = hk * group + gh;
                for (int i0 = p.firstQuerySeeing(k0); i0 < tq; i0 += BQ) {
                    int rows = Math.min(BQ, tq - i0);
                    loadRowStats(p, g, s, b, h, i0, rows);
                    probsAndGrads(p, g, s, b, h, i0, rows, k0, n, nPad, true);
                    AttentionTiles.accumulate(n, rows, dv, false, w, s.scores, 1, BK,
                            g.gradOut().segment(), g.gradOut().at(b, h, i0), g.gradOut().rowStride(),
                            w, s.valueGradAcc, dvPad);
                    AttentionTiles.accumulate(n, rows, d, false, w, s.probGrads, 1, BK,
                            q.segment(), q.at(b, h, i0), q.rowStride(), w, s.keyGradAcc, dPad);
                    if (withQueryGrad) {
                        AttentionTiles.accumulate(rows, n, d, false, w, s.probGrads, BK, 1,
                                k.segment(), kBlock, k.rowStride(), gq.segment(), gq.at(b, h, i0), gq.rowStride());
                    }
                }
            }
            AttentionOperand gk = g.gradK();
            AttentionOperand gv = g.gradV();
            for (int j = 0; j < n; j++) {
                AttentionTiles.scaleInto(w, s.keyGradAcc + j * dPad, 1f, d, gk.segment(), gk.at(b, hk, k0 + j));
                AttentionTiles.scaleInto(w, s.valueGradAcc + j * dvPad, 1f, dv, gv.segment(), gv.at(b, hk, k0 + j));
            }
        }
    }

    /** See {@link AttentionKernels#backwardQueries}. */
    static void backwardQueries(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int h,
                                int q0, int q1) {
        int rows = q1 - q0;
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        MemorySegment w = s.memory();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        long dPad = s.paddedHeadDim;
        loadRowStats(p, g, s, b, h, q0, rows);
        for (int r = 0; r < rows; r++) {
            AttentionTiles.zero(w, s.rowAcc + r * dPad, d);
        }
        boolean packed = rows >= PACK_MIN_ROWS;
        int keyEnd = Math.min(p.keyLen(), p.lastVisibleKey(q1 - 1) + 1);
        for (int k0 = 0; k0 < keyEnd; k0 += BK) {
            int n = Math.min(BK, keyEnd - k0);
            int nPad = AttentionScratch.roundUp(n, L);
            long kBlock = k.at(b, hk, k0);
            if (packed) {
                AttentionTiles.packTransposed(n, nPad, d, k.segment(), kBlock, k.rowStride(), w, s.keysT, BK);
                AttentionTiles.packTransposed(n, nPad, dv, v.segment(), v.at(b, hk, k0), v.rowStride(),
                        w, s.valuesT, BK);
            }
            probsAndGrads(p, g, s, b, h, q0, rows, k0, n, nPad, packed);
            AttentionTiles.accumulate(rows, n, d, false, w, s.probGrads, BK, 1,
                    k.segment(), kBlock, k.rowStride(), w, s.rowAcc, dPad);
        }
        AttentionOperand gq = g.gradQ();
        for (int r = 0; r < rows; r++) {
            AttentionTiles.scaleInto(w, s.rowAcc + r * dPad, 1f, d, gq.segment(), gq.at(b, h, q0 + r));
        }
    }

    /** Loads each row's log-sum-exp (rowStatA) and {@code delta = rowsum(gradOut * out)} (rowStatB). */
    private static void loadRowStats(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int h,
                                     int i0, int rows) {
        MemorySegment w = s.memory();
        AttentionOperand lse = p.lse();
        AttentionOperand out = p.out();
        AttentionOperand go = g.gradOut();
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            w.setAtIndex(F, s.rowStatA + r, lse.segment().getAtIndex(F, lse.at(b, h, i)));
            w.setAtIndex(F, s.rowStatB + r,
                    AttentionTiles.dot(go.segment(), go.at(b, h, i), out.segment(), out.at(b, h, i), p.valueDim()));
        }
    }

    /**
     * For query rows {@code [i0, i0 + rows)} of head {@code h} against keys {@code [k0, k0 + n)}: recomputes the
     * probabilities P into the score block and writes {@code scale * P * (dP - delta)} into the gradient block.
     * With {@code packed} the key and value blocks are already packed transposed in the scratch.
     */
    private static void probsAndGrads(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int h,
                                      int i0, int rows, int k0, int n, int nPad, boolean packed) {
        MemorySegment w = s.memory();
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        AttentionOperand q = p.q();
        AttentionOperand go = g.gradOut();
        long qBase = q.at(b, h, i0);
        long goBase = go.at(b, h, i0);
        if (packed) {
            AttentionTiles.accumulate(rows, d, nPad, true, q.segment(), qBase, q.rowStride(), 1,
                    w, s.keysT, BK, w, s.scores, BK);
            AttentionTiles.accumulate(rows, dv, nPad, true, go.segment(), goBase, go.rowStride(), 1,
                    w, s.valuesT, BK, w, s.probGrads, BK);
        } else {
            AttentionOperand k = p.k();
            AttentionOperand v = p.v();
            AttentionTiles.dotRows(rows, n, nPad, d, q.segment(), qBase, q.rowStride(),
                    k.segment(), k.at(b, hk, k0), k.rowStride(), w, s.scores, BK);
            AttentionTiles.dotRows(rows, n, nPad, dv, go.segment(), goBase, go.rowStride(),
                    v.segment(), v.at(b, hk, k0), v.rowStride(), w, s.probGrads, BK);
        }
        MemorySegment maskAdd = loadMask(p, b, k0, n, w, s.maskAdd) ? w : null;
        float scale = (float) p.scale();
        for (int r = 0; r < rows; r++) {
            long sRow = s.scores + (long) r * BK;
            long gRow = s.probGrads + (long) r * BK;
            int visible = Math.min(n, p.lastVisibleKey(i0 + r) - k0 + 1);
            float lse = w.getAtIndex(F, s.rowStatA + r);
            if (visible <= 0 || lse == NEG_INF) {
                AttentionTiles.zero(w, sRow, nPad);
                AttentionTiles.zero(w, gRow, nPad);
                continue;
            }
            AttentionTiles.probabilities(w, sRow, visible, nPad, scale, lse, maskAdd, s.maskAdd);
            AttentionTiles.scoreGrads(w, sRow, w, gRow, nPad, w.getAtIndex(F, s.rowStatB + r), scale);
        }
    }
}
