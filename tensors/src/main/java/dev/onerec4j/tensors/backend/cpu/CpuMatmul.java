package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.GemmKernels;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.MatmulShapes;

import java.lang.foreign.MemorySegment;

/**
 * Batched matrix products. Each operand's last two dimensions must have unit stride in one of them (plain or
 * transposed); anything else is copied to contiguous first. Small matrices in a large batch are spread over the
 * pool one matrix per task; large ones parallelise inside the GEMM.
 */
final class CpuMatmul {

    private static final long PER_MATRIX_PARALLEL_FLOPS = 1L << 22;

    private CpuMatmul() {
    }

    static void matmul(Tensor a, Tensor b, Tensor out, float alpha, float beta) {
        MatmulShapes shapes = MatmulShapes.check(a, b, out);
        int batch = shapes.batch();
        int m = shapes.m();
        int k = shapes.k();
        int n = shapes.n();
        DType da = a.dtype();
        DType db = b.dtype();
        if (da == DType.F64 || db == DType.F64) {
            if (da != DType.F64 || db != DType.F64 || out.dtype() != DType.F64) {
                throw new IllegalArgumentException("matmul: F64 operands must all be F64, got " + da + " x " + db
                        + " -> " + out.dtype());
            }
        } else if (out.dtype() != DType.F32) {
            throw new IllegalArgumentException("matmul: F32/BF16 inputs produce an F32 output, got " + out.dtype());
        }
        if (da != db) {
            // Mixed F32 x BF16 (e.g. a gradient times BF16 weights): widen the BF16 side, which is exact.
            if (da == DType.BF16) {
                a = a.to(DType.F32);
            } else {
                b = b.to(DType.F32);
            }
        }
        Operand pa = Operand.of(a);
        Operand pb = Operand.of(b);
        DType dt = pa.t.dtype();
        MemorySegment as = pa.t.segment();
        MemorySegment bs = pb.t.segment();
        MemorySegment cs = out.segment();
        long cBatch = (long) m * n;
        long co = out.offset();
        Operand fa = pa;
        Operand fb = pb;
        long flops = 2L * m * n * k;
        Parallel.RangeBody body = (from, to) -> {
            for (int i = from; i < to; i++) {
                long ao = fa.t.offset() + i * fa.batchStride;
                long bo = fb.t.offset() + i * fb.batchStride;
                long cOff = co + i * cBatch;
                switch (dt) {
                    case F32 -> GemmKernels.sgemm(fa.trans, fb.trans, m, n, k, alpha, as, ao, fa.ld, bs, bo, fb.ld, beta, cs, cOff, n);
                    case BF16 -> GemmKernels.gemmBf16(fa.trans, fb.trans, m, n, k, alpha, as, ao, fa.ld, bs, bo, fb.ld, beta, cs, cOff, n);
                    case F64 -> GemmKernels.dgemm(fa.trans, fb.trans, m, n, k, alpha, as, ao, fa.ld, bs, bo, fb.ld, beta, cs, cOff, n);
                    default -> throw new IllegalArgumentException("matmul: unsupported dtype " + dt);
                }
            }
        };
        if (batch > 1 && flops < PER_MATRIX_PARALLEL_FLOPS) {
            Parallel.forRange(batch, 1, body);
        } else {
            body.apply(0, batch);
        }
    }

    /** One operand as GEMM sees it: storage, transposition, leading dimension and batch stride. */
    private record Operand(Tensor t, boolean trans, long ld, long batchStride) {
        static Operand of(Tensor x) {
            long s1 = x.stride(1);
            long s2 = x.stride(2);
            int rows = x.dim(1);
            int cols = x.dim(2);
            if (s2 == 1 || cols == 1) {
                // Row-major: element (i, p) at i * ld + p.
                return new Operand(x, false, rows > 1 ? s1 : cols, x.stride(0));
            }
            if (s1 == 1 || rows == 1) {
                // Stored transposed: element (i, p) at p * ld + i.
                return new Operand(x, true, cols > 1 ? s2 : rows, x.stride(0));
            }
            Tensor c = x.contiguous();
            return new Operand(c, false, cols, c.stride(0));
        }
    }
}
