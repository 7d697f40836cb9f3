package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.cuda;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.poisoned;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.randn;

/**
 * Flash attention forward and backward against the full-matrix double reference: grouped heads, causal with
 * tq != tk, key masks (including a batch whose keys are all masked), odd sizes, head sizes up to 256, strided
 * q. Skipped without a GPU.
 */
class CudaAttentionTest {

    /** out, lse, and the gradients for gradOut, in double. */
    private static double[][] reference(Tensor q, Tensor k, Tensor v, int[] mask, boolean causal, double scale, Tensor go) {
        int b = q.dim(0), hq = q.dim(1), tq = q.dim(2), d = q.dim(3);
        int hkv = k.dim(1), tk = k.dim(2), dv = v.dim(3);
        int group = hq / hkv;
        double[] out = new double[b * hq * tq * dv];
        double[] lse = new double[b * hq * tq];
        double[] gq = new double[b * hq * tq * d];
        double[] gk = new double[b * hkv * tk * d];
        double[] gv = new double[b * hkv * tk * dv];
        for (int z = 0; z < b; z++) {
            for (int h = 0; h < hq; h++) {
                int hk = h / group;
                for (int i = 0; i < tq; i++) {
                    double[] p = new double[tk];
                    double mx = Double.NEGATIVE_INFINITY;
                    boolean any = false;
                    for (int j = 0; j < tk; j++) {
                        boolean vis = (mask == null || mask[z * tk + j] != 0) && (!causal || j <= i + tk - tq);
                        if (!vis) {
                            p[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        any = true;
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += q.get(z, h, i, c) * k.get(z, hk, j, c);
                        }
                        p[j] = s * scale;
                        mx = Math.max(mx, p[j]);
                    }
                    int row = (z * hq + h) * tq + i;
                    if (!any) {
                        lse[row] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) {
                        p[j] = p[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(p[j] - mx);
                        sum += p[j];
                    }
                    lse[row] = mx + Math.log(sum);
                    for (int j = 0; j < tk; j++) {
                        p[j] /= sum;
                        for (int c = 0; c < dv; c++) {
                            out[row * dv + c] += p[j] * v.get(z, hk, j, c);
                        }
                    }
                    double delta = 0;
                    for (int c = 0; c < dv; c++) {
                        delta += go.get(z, h, i, c) * out[row * dv + c];
                    }
                    for (int j = 0; j < tk; j++) {
                        if (p[j] == 0) {
                            continue;
                        }
                        double dp = 0;
                        for (int c = 0; c < dv; c++) {
                            dp += go.get(z, h, i, c) * v.get(z, hk, j, c);
                            gv[((z * hkv + hk) * tk + j) * dv + c] += p[j] * go.get(z, h, i, c);
                        }
                        double ds = p[j] * (dp - delta);
                        for (int c = 0; c < d; c++) {
                            gq[row * d + c] += scale * ds * k.get(z, hk, j, c);
                            gk[((z * hkv + hk) * tk + j) * d + c] += scale * ds * q.get(z, h, i, c);
                        }
                    }
                }
            }
        }
        return new double[][] {out, lse, gq, gk, gv};
    }

    private static void check(CudaBackend be, long seed, int b, int hq, int hkv, int tq, int tk, int d, int dv,
                              boolean causal, boolean masked) {
        Random r = new Random(seed);
        Tensor q = randn(r.nextLong(), b, tq, hq, d).transpose(1, 2);   // strided q, as after a head split
        Tensor k = randn(r.nextLong(), b, hkv, tk, d);
        Tensor v = randn(r.nextLong(), b, hkv, tk, dv);
        Tensor go = randn(r.nextLong(), b, hq, tq, dv);
        int[] mask = null;
        if (masked) {
            mask = new int[b * tk];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (i / tk == b - 1 && b > 1) ? 0 : (r.nextInt(4) == 0 ? 0 : 1);
            }
        }
        double scale = 1 / Math.sqrt(d);
        double[][] ref = reference(q, k, v, mask, causal, scale, go);
        Tensor dq = cuda(q.contiguous()).transpose(1, 2).contiguous().transpose(1, 2);
        Tensor dk = cuda(k);
        Tensor dvT = cuda(v);
        Tensor dm = mask == null ? null : cuda(Tensor.ofInts(mask, b, tk));
        Tensor out = poisoned(b, hq, tq, dv);
        Tensor lse = poisoned(b, hq, tq);
        be.attention(dq, dk, dvT, dm, causal, scale, out, lse);
        String what = "attention b" + b + " hq" + hq + " hkv" + hkv + " tq" + tq + " tk" + tk + " d" + d + " dv" + dv
                + (causal ? " causal" : "") + (masked ? " masked" : "");
        Allclose.assertAllclose(what + " out", ref[0], out, 1e-4, 1e-5);
        Allclose.assertAllclose(what + " lse", ref[1], lse, 1e-5, 1e-5);
        Tensor gq = poisoned(b, hq, tq, d);
        Tensor gk = poisoned(b, hkv, tk, d);
        Tensor gv = poisoned(b, hkv, tk, dv);
        be.attentionBackward(dq, dk, dvT, dm, causal, scale, out, lse, cuda(go), gq, gk, gv);
        Allclose.assertAllclose(what + " gradQ", ref[2], gq, 1e-4, 1e-4);
        Allclose.assertAllclose(what + " gradK", ref[3], gk, 1e-4, 1e-4);
        Allclose.assertAllclose(what + " gradV", ref[4], gv, 1e-4, 1e-4);
    }

    @Test
    void matchesTheFullMatrixReference() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("attention")) {
            check(be, 1, 1, 1, 1, 1, 1, 1, 1, false, false);
            check(be, 2, 2, 4, 2, 37, 37, 16, 16, true, false);
            check(be, 3, 2, 3, 1, 5, 70, 32, 24, true, true);
            check(be, 4, 3, 2, 2, 65, 33, 64, 64, false, true);
            check(be, 5, 1, 2, 1, 33, 34, 128, 96, true, false);
            check(be, 6, 1, 1, 1, 9, 33, 256, 256, false, false);
        }
    }
}
