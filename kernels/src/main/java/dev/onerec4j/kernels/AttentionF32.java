package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The F32 flash-attention drivers, built from {@link AttentionTiles} products and {@link AttentionSoftmax}
 * element-wise steps on the per-thread scratch. See {@link AttentionKernels} for the contract.
 *
 * <p>The forward and the query-gradient pass hold scores transposed, {@code [key][query]}: the query block is
 * packed transposed once per task and each key block is only copied, so no per-block transpose is needed,
 * and the online softmax runs on vectors of queries. The key-major backward sweep holds plain
 * {@code [query][key]} blocks: there the key and value blocks are packed transposed once and reused for every
 * query block of every head in the group.
 */
final class AttentionF32 {

    private static final int BQ = AttentionKernels.BLOCK_QUERIES;
    private static final int BK = AttentionKernels.BLOCK_KEYS;
    private static final int L = AttentionTiles.L;
    /**
     * From this many query rows on, the forward packs the query block and copies key/value blocks into the
     * scratch for register-tiled products; below it (a decode step), rows take dot products straight from
     * tensor memory, which avoids copying a block for a single query.
     */
    static final int PACK_MIN_ROWS = 8;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private AttentionF32() {
    }

    static void forward(AttentionProblem p, AttentionScratch s, int b, int h, int q0, int q1) {
        int rows = q1 - q0;
        if (rows >= PACK_MIN_ROWS) {
            forwardPacked(p, s, b, h, q0, q1);
        } else {
            forwardFewRows(p, s, b, h, q0, q1);
        }
        float[] w = s.f;
        int dv = p.valueDim();
        AttentionOperand out = p.out();
        AttentionOperand lse = p.lse();
        for (int r = 0; r < rows; r++) {
            float l = w[s.statB + r];
            long o = out.at(b, h, q0 + r);
            float rowLse;
            if (l == 0f) {
                AttentionTiles.zero(out.segment(), o, dv);
                rowLse = NEG_INF;
            } else {
                AttentionTiles.storeScaled(w, s.rowAcc + r * s.paddedValueDim, 1f / l, dv, out.segment(), o);
                rowLse = w[s.statA + r] + (float) Math.log(l);
            }
            if (lse != null) {
                lse.segment().setAtIndex(F, lse.at(b, h, q0 + r), rowLse);
            }
        }
    }

    /**
     * Leaves each row's running max in statA, its sum in statB and its unnormalised output in rowAcc, with
     * transposed score blocks and register-tiled products on packed/copied blocks.
     */
    private static void forwardPacked(AttentionProblem p, AttentionScratch s, int b, int h, int q0, int q1) {
        int rows = q1 - q0;
        int lanes = AttentionScratch.roundUp(rows, L);
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        int dPad = s.paddedHeadDim;
        int dvPad = s.paddedValueDim;
        float[] w = s.f;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        Arrays.fill(w, s.statA, s.statA + lanes, NEG_INF);
        Arrays.fill(w, s.statB, s.statB + lanes, 0f);
        Arrays.fill(w, s.rowAcc, s.rowAcc + rows * dvPad, 0f);
        AttentionTiles.packTransposed(rows, lanes, d, q.segment(), q.at(b, h, q0), q.rowStride(), w, s.packA, BQ);
        float scale = (float) p.scale();
        int keyEnd = Math.min(p.keyLen(), p.lastVisibleKey(q1 - 1) + 1);
        for (int k0 = 0; k0 < keyEnd; k0 += BK) {
            int n = Math.min(BK, keyEnd - k0);
            AttentionTiles.copyRows(n, d, k.segment(), k.at(b, hk, k0), k.rowStride(), w, s.keyRows, dPad);
            AttentionTiles.accumulate(n, d, lanes, true, w, s.keyRows, dPad, 1, w, s.packA, BQ, w, s.scores, BQ);
            maskLogits(p, b, q0, rows, lanes, k0, n, scale, w, s.scores);
            AttentionSoftmax.onlineSoftmaxColumns(w, s.scores, n, BQ, lanes, w, s.statA, s.statB, s.statC);
            if (k0 > 0) {
                // Rescale earlier blocks' output to the new max (the first block starts from zero).
                for (int r = 0; r < rows; r++) {
                    float alpha = w[s.statC + r];
                    if (alpha != 1f) {
                        AttentionTiles.scale(w, s.rowAcc + r * dvPad, dv, alpha);
                    }
                }
            }
            AttentionTiles.copyRows(n, dv, v.segment(), v.at(b, hk, k0), v.rowStride(), w, s.valueRows, dvPad);
            AttentionTiles.accumulate(rows, n, dv, false, w, s.scores, 1, BQ, w, s.valueRows, dvPad,
                    w, s.rowAcc, dvPad);
        }
    }

    /**
     * The same for fewer than {@link #PACK_MIN_ROWS} rows (a decode step): plain score rows from dot products
     * straight off tensor memory, a row-wise online softmax, and value rows streamed from tensor memory.
     */
    private static void forwardFewRows(AttentionProblem p, AttentionScratch s, int b, int h, int q0, int q1) {
        int rows = q1 - q0;
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        int dvPad = s.paddedValueDim;
        float[] w = s.f;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        Arrays.fill(w, s.statA, s.statA + rows, NEG_INF);
        Arrays.fill(w, s.statB, s.statB + rows, 0f);
        Arrays.fill(w, s.rowAcc, s.rowAcc + rows * dvPad, 0f);
        float scale = (float) p.scale();
        int keyEnd = Math.min(p.keyLen(), p.lastVisibleKey(q1 - 1) + 1);
        for (int k0 = 0; k0 < keyEnd; k0 += BK) {
            int n = Math.min(BK, keyEnd - k0);
            int nPad = AttentionScratch.roundUp(n, L);
            long vBlock = v.at(b, hk, k0);
            AttentionTiles.dotRows(rows, n, d, q.segment(), q.at(b, h, q0), q.rowStride(),
                    k.segment(), k.at(b, hk, k0), k.rowStride(), w, s.scores, BK);
            float[] maskAdd = loadMaskAdd(p, b, k0, n, w, s.maskAdd) ? w : null;
            for (int r = 0; r < rows; r++) {
                int sRow = s.scores + r * BK;
                int visible = Math.min(n, p.lastVisibleKey(q0 + r) - k0 + 1);
                float mOld = w[s.statA + r];
                float mNew = visible <= 0 ? NEG_INF
                        : Math.max(mOld, AttentionSoftmax.scaleMaskMaxRow(w, sRow, visible, nPad, scale, maskAdd, s.maskAdd));
                if (visible <= 0 || mNew == NEG_INF) {
                    // The row sees nothing in this block, or nothing at all so far (exp(-inf - -inf) would be NaN).
                    Arrays.fill(w, sRow, sRow + n, 0f);
                    continue;
                }
                float sum = AttentionSoftmax.expShiftSumRow(w, sRow, nPad, mNew);
                float alpha = (float) Math.exp(mOld - mNew);
                w[s.statA + r] = mNew;
                w[s.statB + r] = w[s.statB + r] * alpha + sum;
                if (alpha != 1f) {
                    AttentionTiles.scale(w, s.rowAcc + r * dvPad, dv, alpha);
                }
            }
            AttentionTiles.accumulateFromSegment(rows, n, dv, w, s.scores, BK, 1, v.segment(), vBlock, v.rowStride(),
                    w, s.rowAcc, dvPad);
        }
    }

    /**
     * Turns a transposed block of raw scores ({@code w[st + j * BQ + r]}) into logits: scaled, -inf for keys the
     * mask hides, for queries the causal rule hides a key from, and for padding lanes beyond {@code rows}.
     */
    private static void maskLogits(AttentionProblem p, int b, int q0, int rows, int lanes, int k0, int n,
                                   float scale, float[] w, int st) {
        AttentionOperand m = p.keyMask();
        int offset = p.keyLen() - p.queryLen();
        for (int j = 0; j < n; j++) {
            int row = st + j * BQ;
            int key = k0 + j;
            if (m != null && m.segment().getAtIndex(I, m.at(b, 0, key)) == 0) {
                Arrays.fill(w, row, row + lanes, NEG_INF);
                continue;
            }
            AttentionSoftmax.scaleLanes(w, row, lanes, scale);
            // Query i sees key j when j <= i + offset, i.e. from query j - offset on.
            int first = p.causal() ? Math.min(rows, Math.max(0, key - offset - q0)) : 0;
            Arrays.fill(w, row, row + first, NEG_INF);
            Arrays.fill(w, row + rows, row + lanes, NEG_INF);
        }
    }

    // ------------------------------------------------------------------ backward

    /** See {@link AttentionKernels#backwardKeyBlocks}. */
    static void backwardKeyBlocks(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int hk,
                                  int kFrom, int kTo, boolean withQueryGrad) {
        int d = p.headDim();
        int dv = p.valueDim();
        int tq = p.queryLen();
        int group = p.group();
        int dPad = s.paddedHeadDim;
        int dvPad = s.paddedValueDim;
        float[] w = s.f;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        AttentionOperand go = g.gradOut();
        AttentionOperand gq = g.gradQ();
        if (withQueryGrad) {
            for (int gh = 0; gh < group; gh++) {
                for (int i = 0; i < tq; i++) {
                    AttentionTiles.zero(gq.segment(), gq.at(b, hk * group + gh, i), d);
                }
            }
        }
        float scale = (float) p.scale();
        for (int k0 = kFrom; k0 < kTo; k0 += BK) {
            int n = Math.min(BK, kTo - k0);
            int nPad = AttentionScratch.roundUp(n, L);
            long kBlock = k.at(b, hk, k0);
            AttentionTiles.packTransposed(n, nPad, d, k.segment(), kBlock, k.rowStride(), w, s.packA, BK);
            AttentionTiles.packTransposed(n, nPad, dv, v.segment(), v.at(b, hk, k0), v.rowStride(), w, s.packB, BK);
            if (withQueryGrad) {
                AttentionTiles.copyRows(n, d, k.segment(), kBlock, k.rowStride(), w, s.keyRows, dPad);
            }
            Arrays.fill(w, s.keyGradAcc, s.keyGradAcc + n * dPad, 0f);
            Arrays.fill(w, s.valueGradAcc, s.valueGradAcc + n * dvPad, 0f);
            float[] maskAdd = loadMaskAdd(p, b, k0, n, w, s.maskAdd) ? w : null;
            for (int gh = 0; gh < group; gh++) {
                int h = hk * group + gh;
                for (int i0 = p.firstQuerySeeing(k0); i0 < tq; i0 += BQ) {
                    int rows = Math.min(BQ, tq - i0);
                    AttentionTiles.copyRows(rows, d, q.segment(), q.at(b, h, i0), q.rowStride(), w, s.queryRows, dPad);
                    AttentionTiles.copyRows(rows, dv, go.segment(), go.at(b, h, i0), go.rowStride(),
                            w, s.gradOutRows, dvPad);
                    AttentionTiles.accumulate(rows, d, nPad, true, w, s.queryRows, dPad, 1, w, s.packA, BK,
                            w, s.scores, BK);
                    AttentionTiles.accumulate(rows, dv, nPad, true, w, s.gradOutRows, dvPad, 1, w, s.packB, BK,
                            w, s.scoreGrads, BK);
                    for (int r = 0; r < rows; r++) {
                        int i = i0 + r;
                        int sRow = s.scores + r * BK;
                        int gRow = s.scoreGrads + r * BK;
                        int visible = Math.min(n, p.lastVisibleKey(i) - k0 + 1);
                        float lse = p.lse().segment().getAtIndex(F, p.lse().at(b, h, i));
                        if (visible <= 0 || lse == NEG_INF) {
                            Arrays.fill(w, sRow, sRow + nPad, 0f);
                            Arrays.fill(w, gRow, gRow + nPad, 0f);
                            continue;
                        }
                        float delta = AttentionTiles.dot(go.segment(), go.at(b, h, i), p.out().segment(),
                                p.out().at(b, h, i), dv);
                        AttentionSoftmax.probabilitiesRow(w, sRow, visible, nPad, scale, lse, maskAdd, s.maskAdd);
                        AttentionSoftmax.scoreGradsRow(w, sRow, w, gRow, nPad, delta, scale);
                    }
                    AttentionTiles.accumulate(n, rows, dv, false, w, s.scores, 1, BK, w, s.gradOutRows, dvPad,
                            w, s.valueGradAcc, dvPad);
                    AttentionTiles.accumulate(n, rows, d, false, w, s.scoreGrads, 1, BK, w, s.queryRows, dPad,
                            w, s.keyGradAcc, dPad);
                    if (withQueryGrad) {
                        AttentionTiles.accumulate(rows, n, d, true, w, s.scoreGrads, BK, 1, w, s.keyRows, dPad,
                                w, s.rowAcc, dPad);
                        for (int r = 0; r < rows; r++) {
                            AttentionTiles.addInto(w, s.rowAcc + r * dPad, d, gq.segment(), gq.at(b, h, i0 + r));
                        }
                    }
                }
            }
            AttentionOperand gk = g.gradK();
            AttentionOperand gv = g.gradV();
            for (int j = 0; j < n; j++) {
                AttentionTiles.storeScaled(w, s.keyGradAcc + j * dPad, 1f, d, gk.segment(), gk.at(b, hk, k0 + j));
                AttentionTiles.storeScaled(w, s.valueGradAcc + j * dvPad, 1f, dv, gv.segment(), gv.at(b, hk, k0 + j));
            }
        }
    }

    /** See {@link AttentionKernels#backwardQueries}. */
    static void backwardQueries(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int h,
                                int q0, int q1) {
        int rows = q1 - q0;
        int lanes = AttentionScratch.roundUp(rows, L);
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        int dPad = s.paddedHeadDim;
        int dvPad = s.paddedValueDim;
        float[] w = s.f;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        AttentionOperand go = g.gradOut();
        AttentionTiles.packTransposed(rows, lanes, d, q.segment(), q.at(b, h, q0), q.rowStride(), w, s.packA, BQ);
        AttentionTiles.packTransposed(rows, lanes, dv, go.segment(), go.at(b, h, q0), go.rowStride(), w, s.packB, BQ);
        // Per query: the log-sum-exp (+inf for a query that sees nothing, which zeroes its P) and delta.
        Arrays.fill(w, s.statA, s.statA + lanes, Float.POSITIVE_INFINITY);
        Arrays.fill(w, s.statB, s.statB + lanes, 0f);
        for (int r = 0; r < rows; r++) {
            int i = q0 + r;
            float lse = p.lse().segment().getAtIndex(F, p.lse().at(b, h, i));
            if (lse != NEG_INF) {
                w[s.statA + r] = lse;
                w[s.statB + r] = AttentionTiles.dot(go.segment(), go.at(b, h, i), p.out().segment(), p.out().at(b, h, i), dv);
            }
        }
        Arrays.fill(w, s.rowAcc, s.rowAcc + rows * dPad, 0f);
        AttentionOperand m = p.keyMask();
        int offset = p.keyLen() - p.queryLen();
        float scale = (float) p.scale();
        int keyEnd = Math.min(p.keyLen(), p.lastVisibleKey(q1 - 1) + 1);
        for (int k0 = 0; k0 < keyEnd; k0 += BK) {
            int n = Math.min(BK, keyEnd - k0);
            AttentionTiles.copyRows(n, d, k.segment(), k.at(b, hk, k0), k.rowStride(), w, s.keyRows, dPad);
            AttentionTiles.copyRows(n, dv, v.segment(), v.at(b, hk, k0), v.rowStride(), w, s.valueRows, dvPad);
            AttentionTiles.accumulate(n, d, lanes, true, w, s.keyRows, dPad, 1, w, s.packA, BQ, w, s.scores, BQ);
            AttentionTiles.accumulate(n, dv, lanes, true, w, s.valueRows, dvPad, 1, w, s.packB, BQ,
                    w, s.scoreGrads, BQ);
            for (int j = 0; j < n; j++) {
                int key = k0 + j;
                int gRow = s.scoreGrads + j * BQ;
                if (m != null && m.segment().getAtIndex(I, m.at(b, 0, key)) == 0) {
                    Arrays.fill(w, gRow, gRow + lanes, 0f);
                    continue;
                }
                AttentionSoftmax.scoreGradsColumns(w, s.scores + j * BQ, w, gRow, lanes, scale, w, s.statA, s.statB);
                if (p.causal()) {
                    int first = Math.min(lanes, Math.max(0, key - offset - q0));
                    Arrays.fill(w, gRow, gRow + first, 0f);
                }
            }
            AttentionTiles.accumulate(rows, n, d, false, w, s.scoreGrads, 1, BQ, w, s.keyRows, dPad, w, s.rowAcc, dPad);
        }
        AttentionOperand gq = g.gradQ();
        for (int r = 0; r < rows; r++) {
            AttentionTiles.storeScaled(w, s.rowAcc + r * dPad, 1f, d, gq.segment(), gq.at(b, h, q0 + r));
        }
    }

    /**
     * Writes 0 (visible) or -inf (masked) for keys {@code [k0, k0 + n)} of batch {@code b}; returns whether any
     * key is masked (false without a mask, so callers skip the addition).
     */
    private static boolean loadMaskAdd(AttentionProblem p, int b, int k0, int n, float[] w, int maskOff) {
        AttentionOperand m = p.keyMask();
        if (m == null) {
            return false;
        }
        boolean any = false;
        MemorySegment seg = m.segment();
        for (int j = 0; j < n; j++) {
            boolean visible = seg.getAtIndex(I, m.at(b, 0, k0 + j)) != 0;
            w[maskOff + j] = visible ? 0f : NEG_INF;
            any |= !visible;
        }
        return any;
    }
}
