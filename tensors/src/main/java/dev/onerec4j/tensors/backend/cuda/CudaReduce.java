package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.Tensor;

/** Reductions of a contiguous {@code [outer, mid, inner]} view over its middle axis. */
final class CudaReduce {

    private static final int MAX_GRID_Y = 65535;

    private CudaReduce() {
    }

    static void reduce(CudaRuntime rt, ReduceOp op, Tensor a, int outer, int mid, int inner, Tensor out) {
        if (!a.isContiguous() || !out.isContiguous()) {
            throw new IllegalArgumentException("reduce: operands must be contiguous");
        }
        if ((long) outer * mid * inner != a.numel() || (long) outer * inner != out.numel()) {
            throw new IllegalArgumentException("reduce: [" + outer + ", " + mid + ", " + inner + "] does not match "
                    + a.numel() + " input and " + out.numel() + " output elements");
        }
        CudaElementwise.requireF32("reduce", a, out);
        if (out.numel() == 0) {
            return;
        }
        if (mid == 0) {
            // An empty reduction gives the identity (0 for a sum, -inf/+inf for max/min), as the CPU loop does.
            CudaCopy.fill(rt, out, switch (op) {
                case SUM -> 0.0;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            });
            return;
        }
        int code = CudaOpCodes.reduce(op);
        if (inner == 1) {
            KernelArgs args = KernelArgs.begin().i32(code).ptr(CudaRuntime.ptr(a)).i64(mid).ptr(CudaRuntime.ptr(out));
            rt.launch("reduce.cu", "reduce_rows", LaunchConfig.perRow(outer, LaunchConfig.reductionBlock(mid, 256), 0), args);
            return;
        }
        // Grid y is limited to 65535 blocks: large outer counts go in chunks.
        for (int o0 = 0; o0 < outer; o0 += MAX_GRID_Y) {
            int chunk = Math.min(MAX_GRID_Y, outer - o0);
            long aPtr = CudaRuntime.ptr(a) + (long) o0 * mid * inner * 4;
            long outPtr = CudaRuntime.ptr(out) + (long) o0 * inner * 4;
            KernelArgs args = KernelArgs.begin().i32(code).ptr(aPtr).i64(mid).i64(inner).ptr(outPtr);
            rt.launch("reduce.cu", "reduce_columns", LaunchConfig.tiles(inner, 32, chunk, 32, 8, 0), args);
        }
    }
}
