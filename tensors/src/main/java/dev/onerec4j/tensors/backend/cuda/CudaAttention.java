package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Flash-style attention on the device (see {@code attention.cu}): tiles of 32 keys in shared memory, blocks of 8
 * query (or key) rows, head sizes up to 256.
 */
final class CudaAttention {

    static final int WARPS = 8;
    static final int TILE = 32;
    static final int MAX_HEAD = 256;

    private CudaAttention() {
    }

    static int forwardShared(int d, int dv) {
        return 4 * (TILE * (d + 1) + TILE * dv + WARPS * d);
    }

    static int backwardShared(int d, int dv) {
        return 4 * (TILE * (d + 1) + TILE * (dv + 1) + WARPS * d + WARPS * dv);
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor keyMask) {
        for (Tensor t : new Tensor[] {q, k, v}) {
            Shapes.requireRank("attention", t, 4);
            CudaElementwise.requireF32("attention", t);
            if (t.stride(3) != 1 && t.dim(3) > 1) {
                throw new IllegalArgumentException("attention: q, k and v need unit stride on the last axis, got strides "
                        + java.util.Arrays.toString(t.strides()));
            }
        }
        int b = q.dim(0);
        int hq = q.dim(1);
        int hkv = k.dim(1);
        if (k.dim(0) != b || v.dim(0) != b || v.dim(1) != hkv || v.dim(2) != k.dim(2) || k.dim(3) != q.dim(3)
                || hkv == 0 || hq % hkv != 0) {
            throw new IllegalArgumentException("attention: q " + Shapes.str(q.shape()) + ", k " + Shapes.str(k.shape())
                    + ", v " + Shapes.str(v.shape()) + " do not line up (q heads must be a multiple of kv heads)");
        }
        if (q.dim(3) > MAX_HEAD || v.dim(3) > MAX_HEAD) {
            throw new IllegalArgumentException("attention: head sizes up to " + MAX_HEAD + " are supported on CUDA, got "
                    + q.dim(3) + " / " + v.dim(3));
        }
        if (keyMask != null) {
            Shapes.requireSame("attention keyMask", new int[] {b, k.dim(2)}, keyMask.shape());
            if (keyMask.dtype() != DType.I32) {
                throw new IllegalArgumentException("attention: the key mask must be I32, got " + keyMask.dtype());
            }
            CudaRuntime.requireCuda(keyMask);
        }
    }

    static void forward(CudaRuntime rt, Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale,
                        Tensor out, Tensor lse) {
        check(q, k, v, keyMask);
        int b = q.dim(0);
        int hq = q.dim(1);
        int tq = q.dim(2);
        Shapes.requireSame("attention out", new int[] {b, hq, tq, v.dim(3)}, out.shape());
        CudaElementwise.requireF32("attention", out);
        CudaNn.requireContiguous("attention", out, lse);
        if (lse != null) {
            Shapes.requireSame("attention lse", new int[] {b, hq, tq}, lse.shape());
            CudaElementwise.requireF32("attention", lse);
        }
        if (out.numel() == 0 && (lse == null || lse.numel() == 0)) {
            return;
        }
        KernelArgs a = KernelArgs.begin();
        AttentionParams.add(a, q, k, v, keyMask, causal, scale);
        a.ptr(CudaRuntime.ptr(q)).ptr(CudaRuntime.ptr(k)).ptr(CudaRuntime.ptr(v)).ptr(CudaRuntime.ptrOrNull(keyMask))
                .ptr(CudaRuntime.ptr(out)).ptr(CudaRuntime.ptrOrNull(lse));
        LaunchConfig c = new LaunchConfig((tq + WARPS - 1) / WARPS, hq, b, WARPS * 32, 1, forwardShared(q.dim(3), v.dim(3)));
        rt.launch("attention.cu", "attention_fwd", c, a);
    }

    static void backward(CudaRuntime rt, Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale,
                         Tensor out, Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV) {
        check(q, k, v, keyMask);
        int b = q.dim(0);
        int hq = q.dim(1);
        int hkv = k.dim(1);
        int tq = q.dim(2);
        int tk = k.dim(2);
        int d = q.dim(3);
        int dv = v.dim(3);
        Shapes.requireSame("attentionBackward out", new int[] {b, hq, tq, dv}, out.shape());
        Shapes.requireSame("attentionBackward gradOut", out.shape(), gradOut.shape());
        Shapes.requireSame("attentionBackward gradQ", q.shape(), gradQ.shape());
        Shapes.requireSame("attentionBackward gradK", k.shape(), gradK.shape());
        Shapes.requireSame("attentionBackward gradV", v.shape(), gradV.shape());
        CudaElementwise.requireF32("attentionBackward", out, gradOut, gradQ, gradK, gradV);
        CudaNn.requireContiguous("attentionBackward", out, gradQ, gradK, gradV);
        if (q.numel() == 0 && k.numel() == 0) {
            return;
        }
        try (MemoryScope tmp = MemoryScope.owned("cuda-attention-backward")) {
            if (lse == null) {
                lse = CudaRuntime.temp(tmp, DType.F32, b, hq, tq);
                Tensor o = CudaRuntime.temp(tmp, DType.F32, out.shape());
                forward(rt, q, k, v, keyMask, causal, scale, o, lse);
            }
            CudaNn.requireContiguous("attentionBackward", lse);
            Tensor go = gradOut;
            if (!gradOut.isContiguous()) {
                go = CudaRuntime.temp(tmp, DType.F32, gradOut.shape());
                CudaCopy.copy(rt, gradOut, go);
            }
            long rows = (long) b * hq * tq;
            Tensor delta = CudaRuntime.temp(tmp, DType.F32, (int) Math.max(1, rows));
            if (rows > 0) {
                KernelArgs da = KernelArgs.begin().ptr(CudaRuntime.ptr(out)).ptr(CudaRuntime.ptr(go)).i64(rows).i32(dv)
                        .ptr(CudaRuntime.ptr(delta));
                rt.launch("attention.cu", "attention_bwd_delta", LaunchConfig.elementwise(rows * 32, 256), da);
                KernelArgs qa = KernelArgs.begin();
                AttentionParams.add(qa, q, k, v, keyMask, causal, scale);
                qa.ptr(CudaRuntime.ptr(q)).ptr(CudaRuntime.ptr(k)).ptr(CudaRuntime.ptr(v)).ptr(CudaRuntime.ptrOrNull(keyMask))
                        .ptr(CudaRuntime.ptr(lse)).ptr(CudaRuntime.ptr(delta)).ptr(CudaRuntime.ptr(go)).ptr(CudaRuntime.ptr(gradQ));
                rt.launch("attention.cu", "attention_bwd_dq",
                        new LaunchConfig((tq + WARPS - 1) / WARPS, hq, b, WARPS * 32, 1, backwardShared(d, dv)), qa);
            }
            if ((long) b * hkv * tk > 0) {
                KernelArgs ka = KernelArgs.begin();
                AttentionParams.add(ka, q, k, v, keyMask, causal, scale);
                ka.ptr(CudaRuntime.ptr(q)).ptr(CudaRuntime.ptr(k)).ptr(CudaRuntime.ptr(v)).ptr(CudaRuntime.ptrOrNull(keyMask))
                        .ptr(CudaRuntime.ptr(lse)).ptr(CudaRuntime.ptr(delta)).ptr(CudaRuntime.ptr(go))
                        .ptr(CudaRuntime.ptr(gradK)).ptr(CudaRuntime.ptr(gradV));
                rt.launch("attention.cu", "attention_bwd_dkv",
                        new LaunchConfig((tk + WARPS - 1) / WARPS, hkv, b, WARPS * 32, 1, backwardShared(d, dv)), ka);
            }
        }
    }
}
