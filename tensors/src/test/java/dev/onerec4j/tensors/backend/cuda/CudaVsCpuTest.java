package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;
import dev.onerec4j.tensors.backend.Backends;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.cuda;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.randn;

/**
 * The CUDA backend and the CPU backend agree primitive by primitive on the same random inputs, conventions
 * included (masked attention rows, ignored targets, NaN in top-k, dropout bits). Needs a GPU (or the emulator).
 */
class CudaVsCpuTest {

    private static final Backend CPU = Backends.cpu();

    /** An uninitialised CPU tensor and a NaN-poisoned CUDA tensor of the same shape. */
    private static Tensor[] outputs(DType dtype, int... shape) {
        Tensor cpu = Tensor.empty(dtype, shape);
        Tensor dev = CudaTestSupport.empty(dtype, shape);
        dev.fill(dtype == DType.I32 ? -7 : Double.NaN);
        return new Tensor[] {cpu, dev};
    }

    private static void same(String what, Tensor cpu, Tensor dev, double rtol, double atol) {
        Allclose.assertAllclose(what, cpu, dev.to(Device.CPU), rtol, atol);
    }

    @Test
    void elementwiseAndReductions() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("vs-ew")) {
            Tensor a = Tensor.rand(DType.F32, 1, 0.2, 3.0, 5, 17, 9);
            Tensor b = Tensor.rand(DType.F32, 2, -2.0, 2.0, 17, 1).expand(5, 17, 9);
            Tensor da = cuda(a);
            Tensor db = cuda(Tensor.rand(DType.F32, 2, -2.0, 2.0, 17, 1)).expand(5, 17, 9);
            for (BinaryOp op : BinaryOp.values()) {
                Tensor[] o = outputs(DType.F32, 5, 17, 9);
                CPU.binary(op, a, b, o[0]);
                be.binary(op, da, db, o[1]);
                same("binary " + op, o[0], o[1], 1e-5, 1e-6);
            }
            for (UnaryOp op : UnaryOp.values()) {
                Tensor[] o = outputs(DType.F32, 5, 17, 9);
                CPU.unary(op, a, o[0]);
                be.unary(op, da, o[1]);
                same("unary " + op, o[0], o[1], 1e-5, 1e-6);
            }
            for (ReduceOp op : ReduceOp.values()) {
                Tensor[] o = outputs(DType.F32, 5, 9);
                CPU.reduce(op, a, 5, 17, 9, o[0]);
                be.reduce(op, da, 5, 17, 9, o[1]);
                same("reduce " + op, o[0], o[1], 1e-5, 1e-6);
            }
        }
    }

    @Test
    void neuralNetworkPrimitives() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("vs-nn")) {
            Tensor x = randn(3, 6, 301);
            Tensor gy = randn(4, 6, 301);
            Tensor dx = cuda(x);
            Tensor dgy = cuda(gy);
            for (boolean log : new boolean[] {false, true}) {
                Tensor[] y = outputs(DType.F32, 6, 301);
                CPU.softmax(x, y[0], log);
                be.softmax(dx, y[1], log);
                same("softmax log=" + log, y[0], y[1], 1e-5, 1e-7);
                Tensor[] g = outputs(DType.F32, 6, 301);
                CPU.softmaxBackward(y[0], gy, g[0], log);
                be.softmaxBackward(y[1], dgy, g[1], log);
                same("softmaxBackward log=" + log, g[0], g[1], 1e-4, 1e-6);
            }
            Tensor w = Tensor.rand(DType.F32, 5, 0.5, 1.5, 301);
            Tensor[] out = outputs(DType.F32, 6, 301);
            Tensor[] rstd = outputs(DType.F32, 6);
            CPU.rmsNorm(x, w, 1e-5, out[0], rstd[0]);
            be.rmsNorm(dx, cuda(w), 1e-5, out[1], rstd[1]);
            same("rmsNorm", out[0], out[1], 1e-5, 1e-6);
            same("rmsNorm rstd", rstd[0], rstd[1], 1e-5, 0);
            Tensor[] gx = outputs(DType.F32, 6, 301);
            Tensor gwCpu = Tensor.zeros(DType.F32, 301);
            Tensor gwDev = cuda(gwCpu);
            CPU.rmsNormBackward(x, w, rstd[0], gy, gx[0], gwCpu);
            be.rmsNormBackward(dx, cuda(w), rstd[1], dgy, gx[1], gwDev);
            same("rmsNormBackward x", gx[0], gx[1], 1e-4, 1e-5);
            same("rmsNormBackward w", gwCpu, gwDev, 1e-4, 1e-5);
            int[] t = {3, -1, 300, 0, 17, 299};
            Tensor[] loss = outputs(DType.F32, 6);
            Tensor[] grad = outputs(DType.F32, 6, 301);
            CPU.crossEntropy(x, Tensor.ofInts(t, 6), -1, 0.1, loss[0], grad[0]);
            be.crossEntropy(dx, cuda(Tensor.ofInts(t, 6)), -1, 0.1, loss[1], grad[1]);
            same("crossEntropy loss", loss[0], loss[1], 1e-5, 1e-6);
            same("crossEntropy grad", grad[0], grad[1], 1e-4, 1e-6);
        }
    }

    @Test
    void attentionWithMaskAndGroups() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(9);
        try (MemoryScope s = MemoryScope.open("vs-att")) {
            int b = 2, hq = 4, hkv = 2, tq = 19, tk = 41, d = 24;
            Tensor q = randn(1, b, hq, tq, d);
            Tensor k = randn(2, b, hkv, tk, d);
            Tensor v = randn(3, b, hkv, tk, d);
            Tensor go = randn(4, b, hq, tq, d);
            int[] m = new int[b * tk];
            for (int i = 0; i < m.length; i++) {
                m[i] = i < tk ? (r.nextInt(3) == 0 ? 0 : 1) : 0;   // batch 1 sees no key at all
            }
            Tensor mask = Tensor.ofInts(m, b, tk);
            double scale = 0.3;
            for (boolean causal : new boolean[] {false, true}) {
                Tensor[] out = outputs(DType.F32, b, hq, tq, d);
                Tensor[] lse = outputs(DType.F32, b, hq, tq);
                CPU.attention(q, k, v, mask, causal, scale, out[0], lse[0]);
                be.attention(cuda(q), cuda(k), cuda(v), cuda(mask), causal, scale, out[1], lse[1]);
                same("attention causal=" + causal, out[0], out[1], 1e-4, 1e-5);
                same("attention lse causal=" + causal, lse[0], lse[1], 1e-5, 1e-5);
                Tensor[] gq = outputs(DType.F32, b, hq, tq, d);
                Tensor[] gk = outputs(DType.F32, b, hkv, tk, d);
                Tensor[] gv = outputs(DType.F32, b, hkv, tk, d);
                CPU.attentionBackward(q, k, v, mask, causal, scale, out[0], lse[0], go, gq[0], gk[0], gv[0]);
                be.attentionBackward(cuda(q), cuda(k), cuda(v), cuda(mask), causal, scale, out[1], lse[1], cuda(go), gq[1],
                        gk[1], gv[1]);
                same("attention gradQ", gq[0], gq[1], 1e-4, 1e-4);
                same("attention gradK", gk[0], gk[1], 1e-4, 1e-4);
                same("attention gradV", gv[0], gv[1], 1e-4, 1e-4);
            }
        }
    }

    @Test
    void indexingTopKDropoutAdamw() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(11);
        try (MemoryScope s = MemoryScope.open("vs-idx")) {
            Tensor table = randn(1, 40, 13);
            int[] idx = new int[25];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = r.nextInt(40);
            }
            Tensor index = Tensor.ofInts(idx, 25);
            Tensor[] rows = outputs(DType.F32, 25, 13);
            CPU.indexSelect(table, index, rows[0]);
            be.indexSelect(cuda(table), cuda(index), rows[1]);
            same("indexSelect", rows[0], rows[1], 0, 0);
            Tensor src = randn(2, 25, 13);
            Tensor accCpu = Tensor.zeros(DType.F32, 40, 13);
            Tensor accDev = cuda(accCpu);
            CPU.indexAdd(accCpu, index, src);
            be.indexAdd(accDev, cuda(index), cuda(src));
            same("indexAdd", accCpu, accDev, 1e-6, 1e-6);
            double[] vals = new double[4 * 50];
            for (int i = 0; i < vals.length; i++) {
                vals[i] = r.nextInt(7) - 3;   // many ties
            }
            vals[17] = Double.NaN;
            Tensor x = Tensor.of(DType.F32, vals, 4, 50);
            Tensor[] tv = outputs(DType.F32, 4, 6);
            Tensor[] ti = outputs(DType.I32, 4, 6);
            CPU.topK(x, 6, tv[0], ti[0]);
            be.topK(cuda(x), 6, tv[1], ti[1]);
            same("topK values", tv[0], tv[1], 0, 0);
            same("topK indices", ti[0], ti[1], 0, 0);
            Tensor[] mask = outputs(DType.F32, 3, 333);
            CPU.dropoutMask(mask[0], 0.4, 1234);
            be.dropoutMask(mask[1], 0.4, 1234);
            same("dropoutMask", mask[0], mask[1], 0, 0);
            Tensor p = randn(5, 257);
            Tensor g = randn(6, 257);
            Tensor m = Tensor.randn(DType.F32, 7, 0.1, 257);
            Tensor vv = Tensor.rand(DType.F32, 8, 0.0, 0.1, 257);
            Tensor dp = cuda(p);
            Tensor dm = cuda(m);
            Tensor dv = cuda(vv);
            CPU.adamw(p, g, m, vv, 3e-3, 0.9, 0.95, 1e-8, 0.05, 0.1, 0.05);
            be.adamw(dp, cuda(g), dm, dv, 3e-3, 0.9, 0.95, 1e-8, 0.05, 0.1, 0.05);
            same("adamw param", p, dp, 1e-5, 1e-7);
            // Moments are differences of nearby terms: compare with an absolute floor of float rounding of the terms.
            same("adamw m", m, dm, 1e-6, 1e-7);
            same("adamw v", vv, dv, 1e-6, 1e-8);
        }
    }
}
