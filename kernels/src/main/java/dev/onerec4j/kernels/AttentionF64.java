package dev.onerec4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The F64 attention path: scalar, one query row at a time, streaming over key blocks with the same online
 * softmax and the same backward recomputation as the F32 kernels. It exists for finite-difference gradient
 * checks, so it favours plainness over speed.
 */
final class AttentionF64 {

    private static final int BK = AttentionKernels.BLOCK_KEYS;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    private AttentionF64() {
    }

    static void forward(AttentionProblem p, AttentionScratch s, int b, int h, int q0, int q1) {
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        double scale = p.scale();
        double[] w = s.d;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        int acc = s.rowAcc;
        int sc = s.scores;
        for (int i = q0; i < q1; i++) {
            Arrays.fill(w, acc, acc + dv, 0.0);
            double m = NEG_INF;
            double l = 0;
            long qo = q.at(b, h, i);
            int last = Math.min(p.keyLen() - 1, p.lastVisibleKey(i));
            for (int k0 = 0; k0 <= last; k0 += BK) {
                int n = Math.min(BK, last + 1 - k0);
                double blockMax = NEG_INF;
                for (int j = 0; j < n; j++) {
                    int key = k0 + j;
                    double x = maskAllows(p, b, key) ? scale * dot(q.segment(), qo, k.segment(), k.at(b, hk, key), d)
                            : NEG_INF;
                    w[sc + j] = x;
                    blockMax = Math.max(blockMax, x);
                }
                double mNew = Math.max(m, blockMax);
                if (mNew == NEG_INF) {
                    continue;
                }
                double alpha = Math.exp(m - mNew);
                l *= alpha;
                scale(w, acc, dv, alpha);
                for (int j = 0; j < n; j++) {
                    double pj = Math.exp(w[sc + j] - mNew);
                    l += pj;
                    axpy(pj, v.segment(), v.at(b, hk, k0 + j), w, acc, dv);
                }
                m = mNew;
            }
            long o = p.out().at(b, h, i);
            MemorySegment out = p.out().segment();
            for (int c = 0; c < dv; c++) {
                out.setAtIndex(D, o + c, l == 0 ? 0.0 : w[acc + c] / l);
            }
            if (p.lse() != null) {
                p.lse().segment().setAtIndex(D, p.lse().at(b, h, i), l == 0 ? NEG_INF : m + Math.log(l));
            }
        }
    }

    static void backwardKeyBlocks(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int hk,
                                  int kFrom, int kTo, boolean withQueryGrad) {
        int d = p.headDim();
        int dv = p.valueDim();
        int group = p.group();
        double[] w = s.d;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        AttentionOperand go = g.gradOut();
        AttentionOperand gq = g.gradQ();
        if (withQueryGrad) {
            for (int gh = 0; gh < group; gh++) {
                for (int i = 0; i < p.queryLen(); i++) {
                    fill(gq.segment(), gq.at(b, hk * group + gh, i), d, 0.0);
                }
            }
        }
        int dPad = s.paddedHeadDim;
        int dvPad = s.paddedValueDim;
        for (int k0 = kFrom; k0 < kTo; k0 += BK) {
            int n = Math.min(BK, kTo - k0);
            for (int j = 0; j < n; j++) {
                Arrays.fill(w, s.keyGradAcc + j * dPad, s.keyGradAcc + j * dPad + d, 0.0);
                Arrays.fill(w, s.valueGradAcc + j * dvPad, s.valueGradAcc + j * dvPad + dv, 0.0);
            }
            for (int gh = 0; gh < group; gh++) {
                int h = hk * group + gh;
                for (int i = p.firstQuerySeeing(k0); i < p.queryLen(); i++) {
                    double lse = p.lse().segment().getAtIndex(D, p.lse().at(b, h, i));
                    int visible = Math.min(n, p.lastVisibleKey(i) - k0 + 1);
                    if (lse == NEG_INF || visible <= 0) {
                        continue;
                    }
                    long qo = q.at(b, h, i);
                    long goo = go.at(b, h, i);
                    double delta = dot(go.segment(), goo, p.out().segment(), p.out().at(b, h, i), dv);
                    for (int j = 0; j < visible; j++) {
                        int key = k0 + j;
                        if (!maskAllows(p, b, key)) {
                            continue;
                        }
                        long ko = k.at(b, hk, key);
                        double pij = Math.exp(p.scale() * dot(q.segment(), qo, k.segment(), ko, d) - lse);
                        double dpij = dot(go.segment(), goo, v.segment(), v.at(b, hk, key), dv);
                        double ds = pij * (dpij - delta) * p.scale();
                        axpy(pij, go.segment(), goo, w, s.valueGradAcc + j * dvPad, dv);
                        axpy(ds, q.segment(), qo, w, s.keyGradAcc + j * dPad, d);
                        if (withQueryGrad) {
                            axpy(ds, k.segment(), ko, gq.segment(), gq.at(b, h, i), d);
                        }
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                copy(w, s.keyGradAcc + j * dPad, g.gradK().segment(), g.gradK().at(b, hk, k0 + j), d);
                copy(w, s.valueGradAcc + j * dvPad, g.gradV().segment(), g.gradV().at(b, hk, k0 + j), dv);
            }
        }
    }

    static void backwardQueries(AttentionProblem p, AttentionGradients g, AttentionScratch s, int b, int h,
                                int q0, int q1) {
        int d = p.headDim();
        int dv = p.valueDim();
        int hk = h / p.group();
        double[] w = s.d;
        AttentionOperand q = p.q();
        AttentionOperand k = p.k();
        AttentionOperand v = p.v();
        AttentionOperand go = g.gradOut();
        int acc = s.rowAcc;
        for (int i = q0; i < q1; i++) {
            Arrays.fill(w, acc, acc + d, 0.0);
            double lse = p.lse().segment().getAtIndex(D, p.lse().at(b, h, i));
            if (lse != NEG_INF) {
                long qo = q.at(b, h, i);
                long goo = go.at(b, h, i);
                double delta = dot(go.segment(), goo, p.out().segment(), p.out().at(b, h, i), dv);
                int last = Math.min(p.keyLen() - 1, p.lastVisibleKey(i));
                for (int key = 0; key <= last; key++) {
                    if (!maskAllows(p, b, key)) {
                        continue;
                    }
                    long ko = k.at(b, hk, key);
                    double pij = Math.exp(p.scale() * dot(q.segment(), qo, k.segment(), ko, d) - lse);
                    double dpij = dot(go.segment(), goo, v.segment(), v.at(b, hk, key), dv);
                    axpy(pij * (dpij - delta) * p.scale(), k.segment(), ko, w, acc, d);
                }
            }
            copy(w, acc, g.gradQ().segment(), g.gradQ().at(b, h, i), d);
        }
    }

    private static boolean maskAllows(AttentionProblem p, int b, int key) {
        AttentionOperand m = p.keyMask();
        return m == null || m.segment().getAtIndex(I, m.at(b, 0, key)) != 0;
    }

    private static double dot(MemorySegment a, long ao, MemorySegment b, long bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a.getAtIndex(D, ao + i) * b.getAtIndex(D, bo + i);
        }
        return s;
    }

    /** {@code y += alpha * x} over {@code n} elements. */
    private static void axpy(double alpha, MemorySegment x, long xo, MemorySegment y, long yo, int n) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(D, yo + i, y.getAtIndex(D, yo + i) + alpha * x.getAtIndex(D, xo + i));
        }
    }

    /** {@code y[yo + i] += alpha * x[xo + i]} into the scratch. */
    private static void axpy(double alpha, MemorySegment x, long xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x.getAtIndex(D, xo + i);
        }
    }

    private static void scale(double[] x, int xo, int n, double factor) {
        for (int i = 0; i < n; i++) {
            x[xo + i] *= factor;
        }
    }

    private static void fill(MemorySegment x, long xo, int n, double value) {
        for (int i = 0; i < n; i++) {
            x.setAtIndex(D, xo + i, value);
        }
    }

    private static void copy(double[] src, int so, MemorySegment dst, long dOff, int n) {
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(D, dOff + i, src[so + i]);
        }
    }
}
