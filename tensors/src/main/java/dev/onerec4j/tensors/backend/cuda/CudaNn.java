package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/** Softmax, RMSNorm and cross-entropy: one block per row of the last axis. */
final class CudaNn {

    private static final int ROW_BLOCK_MAX = 512;

    private CudaNn() {
    }

    static void requireContiguous(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && !t.isContiguous()) {
                throw new IllegalArgumentException(op + ": operands must be contiguous, got strides "
                        + java.util.Arrays.toString(t.strides()) + " for shape " + Shapes.str(t.shape()));
            }
        }
    }

    private static int lastDim(Tensor x) {
        return x.rank() == 0 ? 1 : x.dim(-1);
    }

    static void softmax(CudaRuntime rt, Tensor x, Tensor out, boolean log) {
        Shapes.requireSame("softmax", x.shape(), out.shape());
        CudaElementwise.requireF32("softmax", x, out);
        requireContiguous("softmax", x, out);
        int n = lastDim(x);
        long rows = n == 0 ? 0 : x.numel() / n;
        if (rows == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(x)).ptr(CudaRuntime.ptr(out)).i64(n).i32(log ? 1 : 0);
        rt.launch("softmax.cu", "softmax_fwd", LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(n, ROW_BLOCK_MAX), 0), a);
    }

    static void softmaxBackward(CudaRuntime rt, Tensor y, Tensor gradY, Tensor gradX, boolean log) {
        Shapes.requireSame("softmaxBackward", y.shape(), gradY.shape());
        Shapes.requireSame("softmaxBackward", y.shape(), gradX.shape());
        CudaElementwise.requireF32("softmaxBackward", y, gradY, gradX);
        requireContiguous("softmaxBackward", y, gradY, gradX);
        int n = lastDim(y);
        long rows = n == 0 ? 0 : y.numel() / n;
        if (rows == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(y)).ptr(CudaRuntime.ptr(gradY)).ptr(CudaRuntime.ptr(gradX))
                .i64(n).i32(log ? 1 : 0);
        rt.launch("softmax.cu", "softmax_bwd", LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(n, ROW_BLOCK_MAX), 0), a);
    }

    static void rmsNorm(CudaRuntime rt, Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd) {
        int n = lastDim(x);
        Shapes.requireSame("rmsNorm", x.shape(), out.shape());
        Shapes.requireSame("rmsNorm weight", new int[] {n}, weight.shape());
        CudaElementwise.requireF32("rmsNorm", x, weight, out, rstd);
        requireContiguous("rmsNorm", x, weight, out, rstd);
        long rows = n == 0 ? 0 : x.numel() / n;
        if (rstd.numel() != rows) {
            throw new IllegalArgumentException("rmsNorm: rstd has " + rstd.numel() + " elements, expected one per row (" + rows + ")");
        }
        if (rows == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(x)).ptr(CudaRuntime.ptr(weight)).f32((float) eps).i64(n)
                .ptr(CudaRuntime.ptr(out)).ptr(CudaRuntime.ptr(rstd));
        rt.launch("norm.cu", "rmsnorm_fwd", LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(n, ROW_BLOCK_MAX), 0), a);
    }

    static void rmsNormBackward(CudaRuntime rt, Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX,
                                Tensor gradWeight) {
        int n = lastDim(x);
        Shapes.requireSame("rmsNormBackward", x.shape(), gradOut.shape());
        Shapes.requireSame("rmsNormBackward", x.shape(), gradX.shape());
        Shapes.requireSame("rmsNormBackward weight", new int[] {n}, weight.shape());
        Shapes.requireSame("rmsNormBackward gradWeight", new int[] {n}, gradWeight.shape());
        CudaElementwise.requireF32("rmsNormBackward", x, weight, rstd, gradOut, gradX, gradWeight);
        requireContiguous("rmsNormBackward", x, weight, rstd, gradOut, gradX, gradWeight);
        long rows = n == 0 ? 0 : x.numel() / n;
        if (rows == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(x)).ptr(CudaRuntime.ptr(weight)).ptr(CudaRuntime.ptr(rstd))
                .ptr(CudaRuntime.ptr(gradOut)).i64(n).ptr(CudaRuntime.ptr(gradX));
        rt.launch("norm.cu", "rmsnorm_bwd_x", LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(n, ROW_BLOCK_MAX), 0), a);
        KernelArgs w = KernelArgs.begin().ptr(CudaRuntime.ptr(x)).ptr(CudaRuntime.ptr(rstd)).ptr(CudaRuntime.ptr(gradOut))
                .i64(rows).i64(n).ptr(CudaRuntime.ptr(gradWeight));
        rt.launch("norm.cu", "rmsnorm_bwd_w", LaunchConfig.tiles(n, 32, 1, 32, 8, 0), w);
    }

    static void crossEntropy(CudaRuntime rt, Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss,
                             Tensor gradLogits) {
        Shapes.requireRank("crossEntropy", logits, 2);
        int rows = logits.dim(0);
        int v = logits.dim(1);
        Shapes.requireSame("crossEntropy targets", new int[] {rows}, targets.shape());
        Shapes.requireSame("crossEntropy loss", new int[] {rows}, loss.shape());
        if (targets.dtype() != DType.I32) {
            throw new IllegalArgumentException("crossEntropy: targets must be I32, got " + targets.dtype());
        }
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + smoothing);
        }
        CudaElementwise.requireF32("crossEntropy", logits, loss);
        CudaRuntime.requireCuda(targets);
        if (gradLogits != null) {
            Shapes.requireSame("crossEntropy gradLogits", logits.shape(), gradLogits.shape());
            CudaElementwise.requireF32("crossEntropy", gradLogits);
        }
        requireContiguous("crossEntropy", logits, targets, loss, gradLogits);
        if (rows == 0) {
            return;
        }
        KernelArgs a = KernelArgs.begin().ptr(CudaRuntime.ptr(logits)).ptr(CudaRuntime.ptr(targets)).i64(v).i32(ignoreIndex)
                .f32((float) smoothing).ptr(CudaRuntime.ptr(loss)).ptr(CudaRuntime.ptrOrNull(gradLogits)).ptr(rt.errorWord());
        rt.launch("cross_entropy.cu", "cross_entropy_fwd_bwd",
                LaunchConfig.perRow(rows, LaunchConfig.reductionBlock(v, ROW_BLOCK_MAX), 0), a);
    }
}
