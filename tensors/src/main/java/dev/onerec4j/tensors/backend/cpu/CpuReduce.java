package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.kernels.ReduceKernels;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;

/** Reductions of a contiguous {@code [outer, mid, inner]} view over its middle axis. */
final class CpuReduce {

    private CpuReduce() {
    }

    static void reduce(ReduceOp op, Tensor a, int outer, int mid, int inner, Tensor out) {
        if (!a.isContiguous() || !out.isContiguous()) {
            throw new IllegalArgumentException("reduce: operands must be contiguous");
        }
        if ((long) outer * mid * inner != a.numel() || (long) outer * inner != out.numel()) {
            throw new IllegalArgumentException("reduce: [" + outer + ", " + mid + ", " + inner + "] does not match "
                    + a.numel() + " input and " + out.numel() + " output elements");
        }
        DType dt = CpuElementwise.floating("reduce", out);
        CpuElementwise.requireDType("reduce", a, dt);
        MemorySegment as = a.segment();
        MemorySegment os = out.segment();
        long ao = a.offset();
        long oo = out.offset();
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, (1 << 14) / Math.max(1, mid)), (from, to) -> {
                for (int o = from; o < to; o++) {
                    double v = dt == DType.F32
                            ? ReduceKernels.reduceRunF32(op, as, ao + (long) o * mid, mid)
                            : ReduceKernels.reduceRunF64(op, as, ao + (long) o * mid, mid);
                    CpuCopy.write(os, dt, oo + o, v);
                }
            });
            return;
        }
        if (outer >= Parallel.threads() || (long) mid * inner < (1 << 15)) {
            Parallel.forRange(outer, Math.max(1, (1 << 14) / Math.max(1, mid * inner)), (from, to) -> {
                for (int o = from; o < to; o++) {
                    columns(op, dt, as, ao + (long) o * mid * inner, mid, inner, os, oo + (long) o * inner, 0, inner);
                }
            });
        } else {
            // Few outer blocks (e.g. a bias gradient summed over all rows): split the columns instead.
            int chunk = Math.max(64, (inner + Parallel.threads() * 2 - 1) / (Parallel.threads() * 2));
            int chunks = (inner + chunk - 1) / chunk;
            for (int o = 0; o < outer; o++) {
                long base = ao + (long) o * mid * inner;
                long outBase = oo + (long) o * inner;
                Parallel.forRange(chunks, 1, (from, to) -> {
                    for (int c = from; c < to; c++) {
                        columns(op, dt, as, base, mid, inner, os, outBase, c * chunk, Math.min(inner, (c + 1) * chunk));
                    }
                });
            }
        }
    }

    private static void columns(ReduceOp op, DType dt, MemorySegment a, long base, int rows, int width,
                                MemorySegment out, long outBase, int from, int to) {
        if (dt == DType.F32) {
            ReduceKernels.reduceColumnsF32(op, a, base, rows, width, out, outBase, from, to);
        } else {
            ReduceKernels.reduceColumnsF64(op, a, base, rows, width, out, outBase, from, to);
        }
    }
}
