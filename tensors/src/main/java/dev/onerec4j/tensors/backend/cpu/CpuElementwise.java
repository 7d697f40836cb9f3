package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ElementwiseKernels;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;

/** Element-wise primitives: strided/broadcast walking here, the arithmetic in {@link ElementwiseKernels}. */
final class CpuElementwise {

    private CpuElementwise() {
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String name = "binary " + op;
        Shapes.requireSame(name, out.shape(), a.shape());
        Shapes.requireSame(name, out.shape(), b.shape());
        DType dt = floating(name, out);
        requireDType(name, a, dt);
        requireDType(name, b, dt);
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        new StridedRuns(out.shape(), new long[][] {a.strides(), b.strides(), out.strides()},
                new long[] {a.offset(), b.offset(), out.offset()}).forEach((offs, st, n) -> {
                    if (st[2] != 1) {
                        throw new IllegalArgumentException(name + ": output must be contiguous");
                    }
                    if (dt == DType.F32) {
                        ElementwiseKernels.binaryF32(op, as, offs[0], st[0], bs, offs[1], st[1], os, offs[2], n);
                    } else {
                        ElementwiseKernels.binaryF64(op, as, offs[0], st[0], bs, offs[1], st[1], os, offs[2], n);
                    }
                });
    }

    static void unary(UnaryOp op, Tensor a, Tensor out) {
        String name = "unary " + op;
        Shapes.requireSame(name, out.shape(), a.shape());
        DType dt = floating(name, out);
        requireDType(name, a, dt);
        MemorySegment as = a.segment();
        MemorySegment os = out.segment();
        new StridedRuns(out.shape(), new long[][] {a.strides(), out.strides()},
                new long[] {a.offset(), out.offset()}).forEach((offs, st, n) -> {
                    if (st[1] != 1) {
                        throw new IllegalArgumentException(name + ": output must be contiguous");
                    }
                    if (dt == DType.F32) {
                        ElementwiseKernels.unaryF32(op, as, offs[0], st[0], os, offs[1], n);
                    } else {
                        ElementwiseKernels.unaryF64(op, as, offs[0], st[0], os, offs[1], n);
                    }
                });
    }

    static void affine(Tensor a, double scale, double shift, Tensor out) {
        Shapes.requireSame("affine", out.shape(), a.shape());
        DType dt = floating("affine", out);
        requireDType("affine", a, dt);
        MemorySegment as = a.segment();
        MemorySegment os = out.segment();
        new StridedRuns(out.shape(), new long[][] {a.strides(), out.strides()},
                new long[] {a.offset(), out.offset()}).forEach((offs, st, n) -> {
                    if (st[1] != 1) {
                        throw new IllegalArgumentException("affine: output must be contiguous");
                    }
                    if (dt == DType.F32) {
                        ElementwiseKernels.affineF32(as, offs[0], st[0], (float) scale, (float) shift, os, offs[1], n);
                    } else {
                        ElementwiseKernels.affineF64(as, offs[0], st[0], scale, shift, os, offs[1], n);
                    }
                });
    }

    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        Shapes.requireSame("where", out.shape(), cond.shape());
        Shapes.requireSame("where", out.shape(), a.shape());
        Shapes.requireSame("where", out.shape(), b.shape());
        if (cond.dtype() != DType.I32) {
            throw new IllegalArgumentException("where: the condition must be I32, got " + cond.dtype());
        }
        DType dt = out.dtype();
        requireDType("where", a, dt);
        requireDType("where", b, dt);
        MemorySegment cs = cond.segment();
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        MemorySegment os = out.segment();
        new StridedRuns(out.shape(), new long[][] {cond.strides(), a.strides(), b.strides(), out.strides()},
                new long[] {cond.offset(), a.offset(), b.offset(), out.offset()}).forEach((offs, st, n) -> {
                    for (int i = 0; i < n; i++) {
                        boolean c = cs.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, offs[0] + i * st[0]) != 0;
                        double v = c ? CpuCopy.read(as, dt, offs[1] + i * st[1]) : CpuCopy.read(bs, dt, offs[2] + i * st[2]);
                        CpuCopy.write(os, dt, offs[3] + i * st[3], v);
                    }
                });
    }

    static DType floating(String op, Tensor out) {
        DType dt = out.dtype();
        if (dt != DType.F32 && dt != DType.F64) {
            throw new IllegalArgumentException(op + ": computes in F32 or F64, got " + dt + " (cast with to(F32))");
        }
        return dt;
    }

    static void requireDType(String op, Tensor t, DType dt) {
        if (t.dtype() != dt) {
            throw new IllegalArgumentException(op + ": operand dtype " + t.dtype() + " does not match output dtype " + dt);
        }
    }
}
