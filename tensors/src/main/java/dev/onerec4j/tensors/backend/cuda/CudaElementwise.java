package dev.onerec4j.tensors.backend.cuda;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.kernels.cuda.KernelArgs;
import dev.onerec4j.kernels.cuda.LaunchConfig;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

/** Element-wise primitives over broadcast views, F32 (the device's compute type). */
final class CudaElementwise {

    private CudaElementwise() {
    }

    static void requireF32(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException(op + ": the CUDA backend computes in F32, got " + t.dtype()
                        + " (cast with to(F32))");
            }
            CudaRuntime.requireCuda(t);
        }
    }

    static void binary(CudaRuntime rt, BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = "binary " + op;
        Shapes.requireSame(name, out.shape(), a.shape());
        Shapes.requireSame(name, out.shape(), b.shape());
        requireF32(name, a, b, out);
        if (out.numel() == 0) {
            return;
        }
        StridedLayout l = StridedLayout.of(name, out.shape(), new long[][] {a.strides(), b.strides(), out.strides()},
                new long[] {a.offset(), b.offset(), out.offset()});
        KernelArgs args = KernelArgs.begin().i32(CudaOpCodes.binary(op));
        l.addDims(args);
        l.addOperand(args, 0);
        l.addOperand(args, 1);
        l.addOperand(args, 2);
        args.ptr(CudaRuntime.base(a)).ptr(CudaRuntime.base(b)).ptr(CudaRuntime.base(out));
        rt.launch("elementwise.cu", "binary_f32", LaunchConfig.elementwise(l.numel()), args);
    }

    static void unary(CudaRuntime rt, UnaryOp op, Tensor a, Tensor out) {
        String name = "unary " + op;
        Shapes.requireSame(name, out.shape(), a.shape());
        requireF32(name, a, out);
        if (out.numel() == 0) {
            return;
        }
        StridedLayout l = StridedLayout.of(name, out.shape(), new long[][] {a.strides(), out.strides()},
                new long[] {a.offset(), out.offset()});
        KernelArgs args = KernelArgs.begin().i32(CudaOpCodes.unary(op));
        l.addDims(args);
        l.addOperand(args, 0);
        l.addOperand(args, 1);
        args.ptr(CudaRuntime.base(a)).ptr(CudaRuntime.base(out));
        rt.launch("elementwise.cu", "unary_f32", LaunchConfig.elementwise(l.numel()), args);
    }

    static void affine(CudaRuntime rt, Tensor a, double scale, double shift, Tensor out) {
        Shapes.requireSame("affine", out.shape(), a.shape());
        requireF32("affine", a, out);
        if (out.numel() == 0) {
            return;
        }
        StridedLayout l = StridedLayout.of("affine", out.shape(), new long[][] {a.strides(), out.strides()},
                new long[] {a.offset(), out.offset()});
        KernelArgs args = KernelArgs.begin();
        l.addDims(args);
        l.addOperand(args, 0);
        l.addOperand(args, 1);
        args.ptr(CudaRuntime.base(a)).f32((float) scale).f32((float) shift).ptr(CudaRuntime.base(out));
        rt.launch("elementwise.cu", "affine_f32", LaunchConfig.elementwise(l.numel()), args);
    }

    static void where(CudaRuntime rt, Tensor cond, Tensor a, Tensor b, Tensor out) {
        Shapes.requireSame("where", out.shape(), cond.shape());
        Shapes.requireSame("where", out.shape(), a.shape());
        Shapes.requireSame("where", out.shape(), b.shape());
        if (cond.dtype() != DType.I32) {
            throw new IllegalArgumentException("where: the condition must be I32, got " + cond.dtype());
        }
        if (a.dtype() != out.dtype() || b.dtype() != out.dtype()) {
            throw new IllegalArgumentException("where: operand dtypes " + a.dtype() + ", " + b.dtype()
                    + " do not match the output dtype " + out.dtype());
        }
        CudaCopy.dtypeCode("where", out.dtype());
        for (Tensor t : new Tensor[] {cond, a, b, out}) {
            CudaRuntime.requireCuda(t);
        }
        if (out.numel() == 0) {
            return;
        }
        StridedLayout l = StridedLayout.of("where", out.shape(),
                new long[][] {cond.strides(), a.strides(), b.strides(), out.strides()},
                new long[] {cond.offset(), a.offset(), b.offset(), out.offset()});
        KernelArgs args = KernelArgs.begin();
        l.addDims(args);
        for (int k = 0; k < 4; k++) {
            l.addOperand(args, k);
        }
        args.ptr(CudaRuntime.base(cond)).ptr(CudaRuntime.base(a)).ptr(CudaRuntime.base(b)).ptr(CudaRuntime.base(out))
                .i32(out.dtype().byteSize());
        rt.launch("elementwise.cu", "where_bits", LaunchConfig.elementwise(l.numel()), args);
    }
}
