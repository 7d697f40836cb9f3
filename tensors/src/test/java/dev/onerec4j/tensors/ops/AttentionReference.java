package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Tensor;

/**
 * Naive double-precision attention that materialises each head's full {@code tq x tk} probability matrix:
 * the reference the fused kernels are checked against. Its backward uses the textbook softmax gradient
 * {@code dS = P * (dP - rowsum(P * dP))}, not the kernels' {@code rowsum(dO * O)} shortcut.
 */
public final class AttentionReference {

    public final int b;
    public final int hq;
    public final int hkv;
    public final int tq;
    public final int tk;
    public final int d;
    public final int dv;
    public final double[] out;
    public final double[] lse;
    public final double[] gradQ;
    public final double[] gradK;
    public final double[] gradV;

    private final double[] q;
    private final double[] k;
    private final double[] v;
    private final int[] mask;
    private final boolean causal;
    private final double scale;
    /** Probabilities per (batch, query head): [tq][tk]. */
    private final double[][][] probs;

    public AttentionReference(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale) {
        this.b = q.dim(0);
        this.hq = q.dim(1);
        this.tq = q.dim(2);
        this.d = q.dim(3);
        this.hkv = k.dim(1);
        this.tk = k.dim(2);
        this.dv = v.dim(3);
        this.q = q.toDoubleArray();
        this.k = k.toDoubleArray();
        this.v = v.toDoubleArray();
        this.mask = keyMask == null ? null : keyMask.toIntArray();
        this.causal = causal;
        this.scale = scale;
        this.out = new double[b * hq * tq * dv];
        this.lse = new double[b * hq * tq];
        this.gradQ = new double[this.q.length];
        this.gradK = new double[this.k.length];
        this.gradV = new double[this.v.length];
        this.probs = new double[b * hq][][];
        forward();
    }

    public boolean visible(int batch, int i, int j) {
        if (mask != null && mask[batch * tk + j] == 0) {
            return false;
        }
        return !causal || j <= i + tk - tq;
    }

    private int kvHead(int h) {
        return h / (hq / hkv);
    }

    private void forward() {
        for (int z = 0; z < b; z++) {
            for (int h = 0; h < hq; h++) {
                int hk = kvHead(h);
                double[][] p = new double[tq][tk];
                probs[z * hq + h] = p;
                for (int i = 0; i < tq; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double[] s = new double[tk];
                    for (int j = 0; j < tk; j++) {
                        if (!visible(z, i, j)) {
                            s[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += q[qi(z, h, i, c)] * k[ki(z, hk, j, c)];
                        }
                        s[j] = scale * dot;
                        max = Math.max(max, s[j]);
                    }
                    int row = (z * hq + h) * tq + i;
                    if (max == Double.NEGATIVE_INFINITY) {
                        lse[row] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) {
                        sum += s[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
                    }
                    lse[row] = max + Math.log(sum);
                    for (int j = 0; j < tk; j++) {
                        p[i][j] = s[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max) / sum;
                        for (int c = 0; c < dv; c++) {
                            out[row * dv + c] += p[i][j] * v[vi(z, hk, j, c)];
                        }
                    }
                }
            }
        }
    }

    /** Fills gradQ/gradK/gradV for the output gradient {@code gradOut}. */
    public AttentionReference backward(Tensor gradOut) {
        double[] go = gradOut.toDoubleArray();
        java.util.Arrays.fill(gradQ, 0);
        java.util.Arrays.fill(gradK, 0);
        java.util.Arrays.fill(gradV, 0);
        for (int z = 0; z < b; z++) {
            for (int h = 0; h < hq; h++) {
                int hk = kvHead(h);
                double[][] p = probs[z * hq + h];
                for (int i = 0; i < tq; i++) {
                    int row = (z * hq + h) * tq + i;
                    double[] dp = new double[tk];
                    double pdp = 0;
                    for (int j = 0; j < tk; j++) {
                        double s = 0;
                        for (int c = 0; c < dv; c++) {
                            s += go[row * dv + c] * v[vi(z, hk, j, c)];
                            gradV[vi(z, hk, j, c)] += p[i][j] * go[row * dv + c];
                        }
                        dp[j] = s;
                        pdp += p[i][j] * s;
                    }
                    for (int j = 0; j < tk; j++) {
                        double ds = p[i][j] * (dp[j] - pdp) * scale;
                        for (int c = 0; c < d; c++) {
                            gradQ[qi(z, h, i, c)] += ds * k[ki(z, hk, j, c)];
                            gradK[ki(z, hk, j, c)] += ds * q[qi(z, h, i, c)];
                        }
                    }
                }
            }
        }
        return this;
    }

    private int qi(int z, int h, int i, int c) {
        return ((z * hq + h) * tq + i) * d + c;
    }

    private int ki(int z, int h, int j, int c) {
        return ((z * hkv + h) * tk + j) * d + c;
    }

    private int vi(int z, int h, int j, int c) {
        return ((z * hkv + h) * tk + j) * dv + c;
    }
}
