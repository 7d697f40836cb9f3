package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.CublasLt;
import dev.onerec4j.kernels.cuda.GemmSpec;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.MatmulShapes;

/**
 * Batched matrix products through cuBLASLt with FP32 accumulation. Operands are taken as the CPU backend takes
 * them: plain or transposed (unit stride in either of the last two dimensions), any batch stride including 0;
 * anything else is copied to contiguous first. Mixed F32 x BF16 widens the BF16 side (exact).
 */
final class CudaMatmul {

    private CudaMatmul() {
    }

    /** One operand as cuBLASLt sees it. */
    record Operand(Tensor t, boolean transposed, long ld, long batchStride) {
        static Operand of(Tensor x, MemoryScope tmp) {
            long s1 = x.stride(1);
            long s2 = x.stride(2);
            int rows = x.dim(1);
            int cols = x.dim(2);
            if (s2 == 1 || cols == 1) {
                return new Operand(x, false, rows > 1 ? s1 : cols, x.stride(0));
            }
            if (s1 == 1 || rows == 1) {
                return new Operand(x, true, cols > 1 ? s2 : rows, x.stride(0));
            }
            Tensor c = CudaRuntime.temp(tmp, x.dtype(), x.shape());
            return new Operand(c, false, cols, c.stride(0));
        }
    }

    static int cudaType(DType t) {
        return switch (t) {
            case F32 -> GemmSpec.CUDA_R_32F;
            case BF16 -> GemmSpec.CUDA_R_16BF;
            default -> throw new IllegalArgumentException("matmul: the CUDA backend multiplies F32 or BF16, got " + t);
        };
    }

    static void matmul(CudaRuntime rt, Tensor a, Tensor b, Tensor out, float alpha, float beta) {
        MatmulShapes shapes = MatmulShapes.check(a, b, out);
        int batch = shapes.batch();
        int m = shapes.m();
        int k = shapes.k();
        int n = shapes.n();
        if (out.dtype() != DType.F32) {
            throw new IllegalArgumentException("matmul: F32/BF16 inputs produce an F32 output, got " + out.dtype());
        }
        cudaType(a.dtype());
        cudaType(b.dtype());
        for (Tensor t : new Tensor[] {a, b, out}) {
            CudaRuntime.requireCuda(t);
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // An empty sum: out = beta * out.
            if (beta == 0f) {
                CudaCopy.fill(rt, out, 0.0);
            } else {
                CudaElementwise.affine(rt, out, beta, 0.0, out);
            }
            return;
        }
        try (MemoryScope tmp = MemoryScope.owned("cuda-matmul")) {
            if (a.dtype() != b.dtype()) {
                if (a.dtype() == DType.BF16) {
                    a = widen(rt, a, tmp);
                } else {
                    b = widen(rt, b, tmp);
                }
            }
            Operand pa = Operand.of(a, tmp);
            Operand pb = Operand.of(b, tmp);
            if (pa.t() != a) {
                CudaCopy.copy(rt, a, pa.t());
            }
            if (pb.t() != b) {
                CudaCopy.copy(rt, b, pb.t());
            }
            int type = cudaType(pa.t().dtype());
            GemmSpec spec = GemmSpec.rowMajor(m, n, k, type, pa.transposed(), pa.ld(), batch > 1 ? pa.batchStride() : 0,
                    type, pb.transposed(), pb.ld(), batch > 1 ? pb.batchStride() : 0, batch);
            // cuBLASLt's A is our b and its B our a (see GemmSpec.rowMajor). Temporaries return to the allocator at
            // scope close without a wait: their reuse is ordered after this product on the one stream.
            CublasLt.get().matmul(spec, CudaRuntime.ptr(pb.t()), CudaRuntime.ptr(pa.t()), CudaRuntime.ptr(out), alpha, beta);
        }
    }

    private static Tensor widen(CudaRuntime rt, Tensor x, MemoryScope tmp) {
        Tensor w = CudaRuntime.temp(tmp, DType.F32, x.shape());
        CudaCopy.copy(rt, x, w);
        return w;
    }
}
