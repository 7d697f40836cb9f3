package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.DropoutKernels;
import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/**
 * Row gathers and scatters, gathers and scatters along the last axis, top-k and dropout masks. Index checks
 * happen on the device; a bad index surfaces at the next synchronisation (see {@link CudaRuntime}).
 */
final class CudaIndexing {

    private CudaIndexing() {
    }

    private static void requireI32(String op, Tensor index) {
        if (index.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": indices must be I32, got " + index.dtype());
        }
        CudaRuntime.requireCuda(index);
    }

    static void indexSelect(CudaRuntime rt, Tensor src, Tensor index, Tensor out) {
        Shapes.requireRank("indexSelect", src, 2);
        Shapes.requireRank("indexSelect", index, 1);
        int m = index.dim(0);
        int d = src.dim(1);
        Shapes.requireSame("indexSelect out", new int[] {m, d}, out.shape());
        requireI32("indexSelect", index);
        if (src.dtype() != out.dtype() || (src.dtype() != DType.F32 && src.dtype() != DType.BF16)) {
            throw new IllegalArgumentException("indexSelect: gathers F32 or BF16 rows into the same dtype, got "
                    + src.dtype() + " -> " + out.dtype());
        }
        CudaRuntime.requireCuda(src);
        if (src.stride(1) != 1 && d > 1) {
            throw new IllegalArgumentException("indexSelect: source rows must be contiguous (unit stride on the last axis)");
        }
        CudaNn.requireContiguous("indexSelect", index, out);
        if (m == 0 || d == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(src)).i64(src.dim(0)).i64(src.dim(0) > 1 ? src.stride(0) : d)
                .ptr(CudaRuntime.ptr(index)).i64(m).i64(d).ptr(CudaRuntime.ptr(out)).i32(src.dtype().byteSize())
                .ptr(rt.errorWord());
        rt.launch("indexing.cu", "index_select", LaunchConfig.tiles(m, 8, 1, 32, 8, 0), a);
    }

    static void indexAdd(CudaRuntime rt, Tensor dst, Tensor index, Tensor src) {
        Shapes.requireRank("indexAdd", dst, 2);
        Shapes.requireRank("indexAdd", index, 1);
        int m = index.dim(0);
        int d = dst.dim(1);
        Shapes.requireSame("indexAdd src", new int[] {m, d}, src.shape());
        requireI32("indexAdd", index);
        CudaElementwise.requireF32("indexAdd", dst, src);
        CudaNn.requireContiguous("indexAdd", dst, index, src);
        if (m == 0 || d == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(dst)).i64(dst.dim(0)).ptr(CudaRuntime.ptr(index))
                .ptr(CudaRuntime.ptr(src)).i64(m).i64(d).ptr(rt.errorWord());
        rt.launch("indexing.cu", "index_add", LaunchConfig.tiles(m, 8, 1, 32, 8, 0), a);
    }

    private static int rows(Tensor t) {
        int last = t.rank() == 0 ? 1 : t.dim(-1);
        return last == 0 ? 0 : (int) (t.numel() / last);
    }

    private static void checkLast(String op, Tensor data, Tensor index, Tensor values) {
        if (data.rank() < 1 || index.rank() != data.rank()) {
            throw new IllegalArgumentException(op + ": data " + Shapes.str(data.shape()) + " and index "
                    + Shapes.str(index.shape()) + " must have the same rank");
        }
        for (int d = 0; d < data.rank() - 1; d++) {
            if (data.dim(d) != index.dim(d)) {
                throw new IllegalArgumentException(op + ": leading dimensions of " + Shapes.str(data.shape()) + " and "
                        + Shapes.str(index.shape()) + " differ");
            }
        }
        Shapes.requireSame(op, index.shape(), values.shape());
        requireI32(op, index);
        CudaElementwise.requireF32(op, data, values);
        CudaNn.requireContiguous(op, data, index, values);
    }

    static void gatherLast(CudaRuntime rt, Tensor src, Tensor index, Tensor out) {
        checkLast("gatherLast", src, index, out);
        long total = index.numel();
        if (total == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(src)).i64(src.dim(-1)).ptr(CudaRuntime.ptr(index))
                .i64(rows(index)).i64(index.dim(-1)).ptr(CudaRuntime.ptr(out)).ptr(rt.errorWord());
        rt.launch("indexing.cu", "gather_last", LaunchConfig.elementwise(total), a);
    }

    static void scatterAddLast(CudaRuntime rt, Tensor dst, Tensor index, Tensor src) {
        checkLast("scatterAddLast", dst, index, src);
        long total = index.numel();
        if (total == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(dst)).i64(dst.dim(-1)).ptr(CudaRuntime.ptr(index))
                .i64(rows(index)).i64(index.dim(-1)).ptr(CudaRuntime.ptr(src)).ptr(rt.errorWord());
        rt.launch("indexing.cu", "scatter_add_last", LaunchConfig.elementwise(total), a);
    }

    static void topK(CudaRuntime rt, Tensor x, int k, Tensor values, Tensor indices) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("topK: needs at least one axis, got a scalar");
        }
        int n = x.dim(-1);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topK: k = " + k + " is outside [0, " + n + "] for shape " + Shapes.str(x.shape()));
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = k;
        Shapes.requireSame("topK values", outShape, values.shape());
        Shapes.requireSame("topK indices", outShape, indices.shape());
        CudaElementwise.requireF32("topK", x, values);
        requireI32("topK", indices);
        CudaNn.requireContiguous("topK", x, values, indices);
        int rows = rows(x);
        if (rows == 0 || k == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(x)).i64(n).i32(k).ptr(CudaRuntime.ptr(values))
                .ptr(CudaRuntime.ptr(indices));
        rt.launch("topk.cu", "topk_rows", LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(n, 256), 0), a);
    }

    static void dropoutMask(CudaRuntime rt, Tensor mask, double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropoutMask: the drop probability must be in [0, 1], got " + p);
        }
        CudaElementwise.requireF32("dropoutMask", mask);
        CudaNn.requireContiguous("dropoutMask", mask);
        if (mask.numel() == 0) {
            return;
        }
        // The CPU's generator (DropoutKernels): the same seed gives the same mask on either device.
        long keys = DropoutKeys.mix64(seed);
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(mask)).i64(mask.numel()).i32(DropoutKernels.threshold(p))
                .f32(p < 1 ? (float) (1.0 / (1.0 - p)) : 0f).i32((int) keys).i32((int) (keys >>> 32));
        rt.launch("indexing.cu", "dropout_mask", LaunchConfig.elementwise(mask.numel()), a);
    }
}
