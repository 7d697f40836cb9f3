package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.Cuda;
import dev.onerec4j.kernels.cuda.CudaContext;
import dev.onerec4j.kernels.cuda.CudaEvent;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/**
 * GPU micro-benchmark run by {@code scripts/device-check.sh}: BF16 and F32 GEMM through cuBLASLt, flash attention
 * forward and backward, and a device-to-device copy for the bandwidth ceiling. Times with CUDA events after
 * warm-up (kernel compilation and cuBLASLt plans excluded), median of repeated runs, inputs random (never zeros).
 * Prints one line per case: name, median ms, and TFLOP/s or GB/s.
 */
public final class CudaBench {

    private CudaBench() {
    }

    interface Work {
        void run();
    }

    static double medianMillis(CudaContext ctx, Work w, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            w.run();
        }
        ctx.synchronize();
        double[] t = new double[reps];
        try (CudaEvent a = new CudaEvent(ctx); CudaEvent b = new CudaEvent(ctx)) {
            for (int i = 0; i < reps; i++) {
                a.record();
                w.run();
                b.record();
                t[i] = b.millisSince(a);
            }
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    public static void main(String[] args) {
        if (!Cuda.isAvailable()) {
            System.out.println("CUDA not available: " + Cuda.unavailableReason());
            System.exit(3);
        }
        boolean quick = Boolean.getBoolean("onerec4j.bench.quick");
        CudaBackend be = CudaBackend.get();
        CudaContext ctx = be.context();
        System.out.println("device: " + ctx);
        try (MemoryScope s = MemoryScope.open("bench")) {
            long n = quick ? 1L << 20 : 1L << 28;
            Tensor src = CudaTestSupport.cuda(Tensor.rand(DType.F32, 1, -1, 1, (int) (n / 4)));
            Tensor dst = CudaTestSupport.empty(DType.F32, (int) (n / 4));
            double ms = medianMillis(ctx, () -> be.copy(src, dst), 3, 20);
            System.out.printf("copy d2d %4d MiB          %8.3f ms  %8.1f GB/s (read + write)%n", n >> 20, ms, 2.0 * n / ms / 1e6);
            for (int size : quick ? new int[] {64} : new int[] {1024, 4096, 8192}) {
                for (DType t : new DType[] {DType.BF16, DType.F32}) {
                    Tensor a = CudaTestSupport.cuda(Tensor.randn(DType.F32, 2, 1, size, size)).to(t).reshape(1, size, size);
                    Tensor b = CudaTestSupport.cuda(Tensor.randn(DType.F32, 3, 1, size, size)).to(t).reshape(1, size, size);
                    Tensor c = CudaTestSupport.empty(DType.F32, 1, size, size);
                    double m = medianMillis(ctx, () -> be.matmul(a, b, c, 1f, 0f), 3, 10);
                    System.out.printf("gemm %-4s %5d^3          %8.3f ms  %8.1f TFLOP/s%n", t, size, m, 2.0 * size * size * size / m / 1e9);
                }
            }
            for (int d : new int[] {64, 128}) {
                int b = quick ? 1 : 4;
                int h = quick ? 2 : 16;
                int tq = quick ? 64 : 1024;
                Tensor q = CudaTestSupport.cuda(Tensor.randn(DType.F32, 4, 1, b, h, tq, d));
                Tensor k = CudaTestSupport.cuda(Tensor.randn(DType.F32, 5, 1, b, h, tq, d));
                Tensor v = CudaTestSupport.cuda(Tensor.randn(DType.F32, 6, 1, b, h, tq, d));
                Tensor o = CudaTestSupport.empty(DType.F32, b, h, tq, d);
                Tensor lse = CudaTestSupport.empty(DType.F32, b, h, tq);
                Tensor go = CudaTestSupport.cuda(Tensor.randn(DType.F32, 7, 1, b, h, tq, d));
                Tensor gq = CudaTestSupport.empty(DType.F32, b, h, tq, d);
                Tensor gk = CudaTestSupport.empty(DType.F32, b, h, tq, d);
                Tensor gv = CudaTestSupport.empty(DType.F32, b, h, tq, d);
                double scale = 1 / Math.sqrt(d);
                double fwd = medianMillis(ctx, () -> be.attention(q, k, v, null, true, scale, o, lse), 2, 10);
                double bwd = medianMillis(ctx, () -> be.attentionBackward(q, k, v, null, true, scale, o, lse, go, gq, gk, gv), 2, 5);
                double flops = 2.0 * 2 * b * h * (double) tq * tq * d / 2; // causal: half the score matrix
                System.out.printf("attention fwd causal d%-3d %8.3f ms  %8.2f TFLOP/s (F32, b%d h%d t%d)%n", d, fwd, flops / fwd / 1e9, b, h, tq);
                System.out.printf("attention bwd causal d%-3d %8.3f ms  %8.2f TFLOP/s%n", d, bwd, 2.5 * flops / bwd / 1e9);
            }
        }
        be.synchronize();
    }
}
