package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ElementwiseKernels;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.testing.Allclose;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.cuda;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.ints;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.poisoned;
import static dev.onerec4j.tensors.backend.cuda.CudaTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every CUDA primitive against a double-precision scalar reference on random, odd-sized shapes (F32 rtol 1e-5
 * scaled by the reduction length; BF16 rtol 1e-2). Outputs are poisoned with NaN first. Skipped without a GPU.
 */
class CudaBackendTest {

    private static final double RTOL = Allclose.F32_RTOL;

    @Test
    void copiesRoundTripAndConvert() {
        CudaBackend be = CudaTestSupport.backend();
        try (MemoryScope s = MemoryScope.open("copy")) {
            Tensor x = randn(1, 7, 13, 5);
            Tensor d = cuda(x);
            assertArrayEquals(x.toFloatArray(), d.toFloatArray());
            Tensor t = cuda(x.transpose(0, 2));
            Allclose.assertAllclose("transposed upload", x.transpose(0, 2).contiguous(), t, 0, 0);
            Tensor view = d.transpose(1, 2).to(Device.CPU);
            Allclose.assertAllclose("strided download", x.transpose(1, 2).contiguous(), view, 0, 0);
            Tensor bf = d.to(DType.BF16);
            Allclose.assertAllclose("to BF16", x.to(DType.BF16), bf, 0, 0);
            Tensor back = bf.to(DType.F32);
            Allclose.assertAllclose("BF16 to F32", x.to(DType.BF16).to(DType.F32), back, 0, 0);
            Tensor i = cuda(Tensor.of(DType.F32, new double[] {-2.7, 3.9, 1e10, -1e10}, 4)).to(DType.I32);
            assertArrayEquals(new int[] {-2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE}, i.toIntArray());
            Tensor f = CudaTestSupport.empty(DType.F32, 3, 4);
            be.fill(f, 2.5);
            be.fill(f.slice(1, 1, 3), -1);
            assertArrayEquals(new float[] {2.5f, -1, -1, 2.5f, 2.5f, -1, -1, 2.5f, 2.5f, -1, -1, 2.5f}, f.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[] {1}, 1).to(Device.CUDA));
        }
    }

    @Test
    void elementwiseOpsMatchTheScalarDefinitions() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(2);
        try (MemoryScope s = MemoryScope.open("ew")) {
            for (int trial = 0; trial < 4; trial++) {
                int[] shape = {1 + r.nextInt(9), 1 + r.nextInt(37), 1 + r.nextInt(5)};
                Tensor a = Tensor.rand(DType.F32, r.nextLong(), 0.1, 2.0, shape);
                Tensor b = Tensor.rand(DType.F32, r.nextLong(), -2.0, 2.0, shape[1], 1);
                Tensor bb = b.expand(shape);
                Tensor da = cuda(a);
                Tensor db = cuda(b).expand(shape);
                for (BinaryOp op : BinaryOp.values()) {
                    Tensor out = poisoned(shape);
                    be.binary(op, da, db, out);
                    double[] ref = new double[(int) a.numel()];
                    for (int i = 0; i < ref.length; i++) {
                        ref[i] = ElementwiseKernels.binaryScalar(op, a.getFlat(i), bb.getFlat(i));
                    }
                    Allclose.assertAllclose("binary " + op, ref, out, 1e-5, 1e-6);
                }
                for (UnaryOp op : UnaryOp.values()) {
                    Tensor out = poisoned(shape);
                    be.unary(op, da.transpose(0, 1).transpose(0, 1), out);
                    double[] ref = new double[(int) a.numel()];
                    for (int i = 0; i < ref.length; i++) {
                        ref[i] = ElementwiseKernels.unaryScalar(op, a.getFlat(i));
                    }
                    Allclose.assertAllclose("unary " + op, ref, out, 1e-5, 1e-6);
                }
                Tensor aff = poisoned(shape);
                be.affine(da, 1.5, -0.25, aff);
                double[] ref = a.toDoubleArray();
                for (int i = 0; i < ref.length; i++) {
                    ref[i] = ref[i] * 1.5 - 0.25;
                }
                Allclose.assertAllclose("affine", ref, aff, RTOL, 1e-6);
                Tensor cond = ints(new int[shape[2]], shape[2]);
                int[] c = new int[shape[2]];
                for (int i = 0; i < c.length; i++) {
                    c[i] = i % 2;
                }
                cond = ints(c, shape[2]).expand(shape);
                Tensor w = poisoned(shape);
                be.where(cond, da, db, w);
                for (int i = 0; i < ref.length; i++) {
                    ref[i] = c[i % shape[2]] != 0 ? a.getFlat(i) : bb.getFlat(i);
                }
                Allclose.assertAllclose("where", ref, w, 0, 0);
            }
        }
    }

    @Test
    void reductionsOverTheMiddleAxis() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(3);
        try (MemoryScope s = MemoryScope.open("reduce")) {
            for (int[] dims : new int[][] {{3, 1000, 1}, {1, 77, 1}, {5, 33, 65}, {2, 4097, 3}, {1, 3, 5001}}) {
                Tensor a = randn(r.nextLong(), dims[0], dims[1], dims[2]);
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor out = poisoned(dims[0], dims[2]);
                    be.reduce(op, cuda(a), dims[0], dims[1], dims[2], out);
                    double[] ref = new double[dims[0] * dims[2]];
                    for (int o = 0; o < dims[0]; o++) {
                        for (int i = 0; i < dims[2]; i++) {
                            double acc = op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                            for (int m = 0; m < dims[1]; m++) {
                                double v = a.get(o, m, i);
                                acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
                            }
                            ref[o * dims[2] + i] = acc;
                        }
                    }
                    Allclose.assertAllclose(op + " " + java.util.Arrays.toString(dims), ref, out, RTOL,
                            1e-6 * Math.sqrt(dims[1]));
                }
            }
        }
    }

    private static double[] matmulRef(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = b.dim(2);
        double[] out = new double[batch * m * n];
        for (int z = 0; z < batch; z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += a.get(z, i, p) * b.get(z, p, j);
                    }
                    out[(z * m + i) * n + j] = acc;
                }
            }
        }
        return out;
    }

    @Test
    void matmulPlainTransposedBatchedBroadcastAndBf16() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(4);
        try (MemoryScope s = MemoryScope.open("matmul")) {
            for (int trial = 0; trial < 6; trial++) {
                int batch = 1 + r.nextInt(3);
                int m = 1 + r.nextInt(70);
                int k = 1 + r.nextInt(90);
                int n = 1 + r.nextInt(50);
                Tensor a = randn(r.nextLong(), batch, m, k);
                Tensor b = randn(r.nextLong(), batch, k, n);
                Tensor out = poisoned(batch, m, n);
                be.matmul(cuda(a), cuda(b), out, 1f, 0f);
                Allclose.assertAllclose("matmul " + m + "x" + k + "x" + n, matmulRef(a, b), out, RTOL, 1e-5 * Math.sqrt(k));
                Tensor at = cuda(a.transpose(1, 2).contiguous()).transpose(1, 2);
                Tensor bt = cuda(b.transpose(1, 2).contiguous()).transpose(1, 2);
                Tensor out2 = poisoned(batch, m, n);
                be.matmul(at, bt, out2, 1f, 0f);
                Allclose.assertAllclose("transposed operands", matmulRef(a, b), out2, RTOL, 1e-5 * Math.sqrt(k));
                Tensor shared = randn(r.nextLong(), 1, k, n);
                Tensor out3 = poisoned(batch, m, n);
                be.matmul(cuda(a), cuda(shared).expand(batch, k, n), out3, 1f, 0f);
                Allclose.assertAllclose("batch stride 0", matmulRef(a, shared.expand(batch, k, n)), out3, RTOL, 1e-5 * Math.sqrt(k));
                Tensor acc = cuda(Tensor.ones(DType.F32, batch, m, n));
                be.matmul(cuda(a), cuda(b), acc, 2f, 1f);
                double[] ref = matmulRef(a, b);
                for (int i = 0; i < ref.length; i++) {
                    ref[i] = 2 * ref[i] + 1;
                }
                Allclose.assertAllclose("alpha/beta", ref, acc, RTOL, 2e-5 * Math.sqrt(k));
                // Views that start one element into their storage: pointers aligned to 4 (or 2) bytes only.
                Tensor aOff = cuda(Tensor.randn(DType.F32, r.nextLong(), 1.0, batch * m * k + 1)).slice(0, 1, batch * m * k + 1)
                        .reshape(batch, m, k);
                Tensor outOff = cuda(Tensor.zeros(DType.F32, batch * m * n + 1)).slice(0, 1, batch * m * n + 1).reshape(batch, m, n);
                be.matmul(aOff, cuda(b), outOff, 1f, 0f);
                Allclose.assertAllclose("unaligned views", matmulRef(aOff.to(Device.CPU), b), outOff, RTOL, 1e-5 * Math.sqrt(k));
                Tensor a16 = a.to(DType.BF16);
                Tensor b16 = b.to(DType.BF16);
                Tensor out4 = poisoned(batch, m, n);
                be.matmul(cuda(a16), cuda(b16), out4, 1f, 0f);
                Allclose.assertAllclose("BF16 inputs", matmulRef(a16, b16), out4, Allclose.BF16_RTOL, 1e-4 * Math.sqrt(k));
                Tensor out5 = poisoned(batch, m, n);
                be.matmul(cuda(a16), cuda(b), out5, 1f, 0f);
                Allclose.assertAllclose("BF16 x F32", matmulRef(a16, b), out5, RTOL, 1e-5 * Math.sqrt(k));
            }
        }
    }

    @Test
    void softmaxRmsNormAndCrossEntropy() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(5);
        try (MemoryScope s = MemoryScope.open("nn")) {
            for (int n : new int[] {1, 7, 33, 1000, 3001}) {
                int rows = 1 + r.nextInt(6);
                Tensor x = randn(r.nextLong(), rows, n);
                Tensor gy = randn(r.nextLong(), rows, n);
                for (boolean log : new boolean[] {false, true}) {
                    Tensor y = poisoned(rows, n);
                    be.softmax(cuda(x), y, log);
                    double[] ry = new double[rows * n];
                    double[] rg = new double[rows * n];
                    for (int i = 0; i < rows; i++) {
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < n; j++) {
                            mx = Math.max(mx, x.get(i, j));
                        }
                        double sum = 0;
                        for (int j = 0; j < n; j++) {
                            sum += Math.exp(x.get(i, j) - mx);
                        }
                        double dot = 0;
                        double gsum = 0;
                        for (int j = 0; j < n; j++) {
                            double p = Math.exp(x.get(i, j) - mx) / sum;
                            ry[i * n + j] = log ? Math.log(p) : p;
                            dot += gy.get(i, j) * p;
                            gsum += gy.get(i, j);
                        }
                        for (int j = 0; j < n; j++) {
                            double p = Math.exp(x.get(i, j) - mx) / sum;
                            rg[i * n + j] = log ? gy.get(i, j) - p * gsum : p * (gy.get(i, j) - dot);
                        }
                    }
                    Allclose.assertAllclose((log ? "log-" : "") + "softmax n=" + n, ry, y, 1e-5, 1e-6);
                    Tensor gx = poisoned(rows, n);
                    be.softmaxBackward(y, cuda(gy), gx, log);
                    Allclose.assertAllclose((log ? "log-" : "") + "softmax backward n=" + n, rg, gx, 1e-4, 1e-5);
                }
                Tensor w = Tensor.rand(DType.F32, r.nextLong(), 0.5, 1.5, n);
                Tensor out = poisoned(rows, n);
                Tensor rstd = poisoned(rows);
                be.rmsNorm(cuda(x), cuda(w), 1e-6, out, rstd);
                double[] ro = new double[rows * n];
                double[] rgx = new double[rows * n];
                double[] rgw = new double[n];
                for (int i = 0; i < rows; i++) {
                    double ss = 0;
                    for (int j = 0; j < n; j++) {
                        ss += x.get(i, j) * x.get(i, j);
                    }
                    double rs = 1 / Math.sqrt(ss / n + 1e-6);
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        ro[i * n + j] = x.get(i, j) * rs * w.get(j);
                        dot += w.get(j) * gy.get(i, j) * x.get(i, j);
                        rgw[j] += gy.get(i, j) * x.get(i, j) * rs;
                    }
                    for (int j = 0; j < n; j++) {
                        rgx[i * n + j] = rs * w.get(j) * gy.get(i, j) - rs * rs * rs * dot / n * x.get(i, j);
                    }
                }
                Allclose.assertAllclose("rmsNorm n=" + n, ro, out, 1e-5, 1e-6);
                Tensor gx = poisoned(rows, n);
                Tensor gw = cuda(Tensor.zeros(DType.F32, n));
                be.rmsNormBackward(cuda(x), cuda(w), rstd, cuda(gy), gx, gw);
                Allclose.assertAllclose("rmsNorm gradX n=" + n, rgx, gx, 1e-4, 1e-5);
                Allclose.assertAllclose("rmsNorm gradWeight n=" + n, rgw, gw, 1e-4, 1e-5 * rows);
                int[] targets = new int[rows];
                for (int i = 0; i < rows; i++) {
                    targets[i] = i == 0 ? -100 : r.nextInt(n);
                }
                double smoothing = 0.1;
                Tensor loss = poisoned(rows);
                Tensor grad = poisoned(rows, n);
                be.crossEntropy(cuda(x), ints(targets, rows), -100, smoothing, loss, grad);
                double[] rl = new double[rows];
                double[] rgl = new double[rows * n];
                for (int i = 1; i < rows; i++) {
                    double mx = Double.NEGATIVE_INFINITY;
                    double mean = 0;
                    for (int j = 0; j < n; j++) {
                        mx = Math.max(mx, x.get(i, j));
                        mean += x.get(i, j) / n;
                    }
                    double se = 0;
                    for (int j = 0; j < n; j++) {
                        se += Math.exp(x.get(i, j) - mx);
                    }
                    double lse = mx + Math.log(se);
                    rl[i] = (1 - smoothing) * (lse - x.get(i, targets[i])) + smoothing * (lse - mean);
                    for (int j = 0; j < n; j++) {
                        rgl[i * n + j] = Math.exp(x.get(i, j) - lse) - smoothing / n - (j == targets[i] ? 1 - smoothing : 0);
                    }
                }
                Allclose.assertAllclose("crossEntropy loss n=" + n, rl, loss, 1e-5, 1e-5);
                Allclose.assertAllclose("crossEntropy grad n=" + n, rgl, grad, 1e-4, 1e-6);
            }
            Tensor badLoss = poisoned(1);
            be.crossEntropy(cuda(randn(1, 1, 4)), ints(new int[] {9}, 1), -100, 0, badLoss, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, be::synchronize);
            assertTrue(e.getMessage().contains("target 9"), e.getMessage());
        }
    }

    @Test
    void indexingTopKDropoutAndAdamw() {
        CudaBackend be = CudaTestSupport.backend();
        Random r = new Random(6);
        try (MemoryScope s = MemoryScope.open("indexing")) {
            Tensor table = randn(1, 50, 33);
            int[] idx = new int[70];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = r.nextInt(50);
            }
            Tensor rows = poisoned(70, 33);
            be.indexSelect(cuda(table), ints(idx, 70), rows);
            double[] ref = new double[70 * 33];
            for (int i = 0; i < 70; i++) {
                for (int j = 0; j < 33; j++) {
                    ref[i * 33 + j] = table.get(idx[i], j);
                }
            }
            Allclose.assertAllclose("indexSelect", ref, rows, 0, 0);
            Tensor acc = cuda(Tensor.zeros(DType.F32, 50, 33));
            Tensor src = randn(2, 70, 33);
            be.indexAdd(acc, ints(idx, 70), cuda(src));
            double[] racc = new double[50 * 33];
            for (int i = 0; i < 70; i++) {
                for (int j = 0; j < 33; j++) {
                    racc[idx[i] * 33 + j] += src.get(i, j);
                }
            }
            Allclose.assertAllclose("indexAdd", racc, acc, 1e-5, 1e-5);
            be.indexSelect(cuda(table), ints(new int[] {3, 50}, 2), CudaTestSupport.empty(DType.F32, 2, 33));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, be::synchronize);
            assertTrue(bad.getMessage().contains("index 50"), bad.getMessage());

            Tensor x = randn(3, 9, 301);
            int[] gi = new int[9 * 7];
            for (int i = 0; i < gi.length; i++) {
                gi[i] = r.nextInt(301);
            }
            Tensor g = poisoned(9, 7);
            be.gatherLast(cuda(x), ints(gi, 9, 7), g);
            double[] rg = new double[9 * 7];
            for (int i = 0; i < rg.length; i++) {
                rg[i] = x.get(i / 7, gi[i]);
            }
            Allclose.assertAllclose("gatherLast", rg, g, 0, 0);
            Tensor sc = cuda(Tensor.zeros(DType.F32, 9, 301));
            Tensor gv = randn(4, 9, 7);
            be.scatterAddLast(sc, ints(gi, 9, 7), cuda(gv));
            double[] rs = new double[9 * 301];
            for (int i = 0; i < gi.length; i++) {
                rs[(i / 7) * 301 + gi[i]] += gv.getFlat(i);
            }
            Allclose.assertAllclose("scatterAddLast", rs, sc, 1e-5, 1e-6);

            Tensor tx = cuda(Tensor.of(DType.F32, new double[] {1, 5, 5, 3, Double.NaN, -1, 5, 2}, 1, 8));
            Tensor tv = poisoned(1, 4);
            Tensor ti = CudaTestSupport.empty(DType.I32, 1, 4);
            be.topK(tx, 4, tv, ti);
            assertArrayEquals(new int[] {4, 1, 2, 6}, ti.toIntArray(), "NaN first, ties by lower index");
            Tensor big = randn(7, 5, 2000);
            Tensor bv = poisoned(5, 10);
            Tensor bi = CudaTestSupport.empty(DType.I32, 5, 10);
            be.topK(cuda(big), 10, bv, bi);
            bv = bv.to(Device.CPU);
            bi = bi.to(Device.CPU);
            for (int row = 0; row < 5; row++) {
                double[] vals = new double[2000];
                for (int j = 0; j < 2000; j++) {
                    vals[j] = big.get(row, j);
                }
                double[] sorted = vals.clone();
                java.util.Arrays.sort(sorted);
                for (int q = 0; q < 10; q++) {
                    assertEquals(sorted[1999 - q], bv.get(row, q), 0.0);
                    assertEquals(vals[(int) bi.get(row, q)], bv.get(row, q), 0.0);
                }
            }

            Tensor mask = poisoned(1001);
            be.dropoutMask(mask, 0.25, 77);
            Tensor cpuMask = Tensor.empty(DType.F32, 1001);
            dev.onerec4j.tensors.backend.Backends.cpu().dropoutMask(cpuMask, 0.25, 77);
            assertArrayEquals(cpuMask.toFloatArray(), mask.toFloatArray(), "the same seed gives the CPU's mask");
            int threshold = dev.onerec4j.kernels.DropoutKernels.threshold(0.25);
            float[] mv = mask.toFloatArray();
            for (int i = 0; i < mv.length; i++) {
                assertEquals(dev.onerec4j.kernels.DropoutKernels.keeps(77, i, threshold) ? 1 / 0.75f : 0f, mv[i], 0f);
            }

            Tensor p = randn(8, 1003);
            Tensor grad = randn(9, 1003);
            Tensor m = Tensor.randn(DType.F32, 10, 0.1, 1003);
            Tensor v = Tensor.rand(DType.F32, 11, 0.0, 0.1, 1003);
            Tensor dp = cuda(p);
            Tensor dm = cuda(m);
            Tensor dv = cuda(v);
            be.adamw(dp, cuda(grad), dm, dv, 1e-2, 0.9, 0.999, 1e-8, 0.1, 1 - 0.9 * 0.9, 1 - 0.999 * 0.999);
            double[] rp = new double[1003];
            for (int i = 0; i < 1003; i++) {
                double pi = p.getFlat(i) * (1 - 1e-2 * 0.1);
                double mi = 0.9 * m.getFlat(i) + 0.1 * grad.getFlat(i);
                double vi = 0.999 * v.getFlat(i) + 0.001 * grad.getFlat(i) * grad.getFlat(i);
                rp[i] = pi - 1e-2 * (mi / (1 - 0.81)) / (Math.sqrt(vi / (1 - 0.999 * 0.999)) + 1e-8);
            }
            Allclose.assertAllclose("adamw", rp, dp, 1e-5, 1e-6);
        }
    }
}
