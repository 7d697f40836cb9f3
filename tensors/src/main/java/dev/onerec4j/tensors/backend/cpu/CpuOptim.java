package dev.onerec4j.tensors.backend.cpu;

import dev.onerec4j.kernels.OptimizerKernels;
import dev.onerec4j.kernels.Parallel;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;

import java.lang.foreign.MemorySegment;

/** Fused optimizer updates: operand checks here, the arithmetic in {@link OptimizerKernels}. */
final class CpuOptim {

    private CpuOptim() {
    }

    static void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                      double weightDecay, double bias1, double bias2) {
        String op = "adamw";
        DType dt = Operands.floating(op, "parameter", param);
        Operands.requireContiguous(op, "parameter", param);
        Operands.requireLike(op, "gradient", grad, param);
        Operands.requireLike(op, "first moment", m, param);
        Operands.requireLike(op, "second moment", v, param);
        requireInRange(op, "beta1", beta1, 0, 1, false);
        requireInRange(op, "beta2", beta2, 0, 1, false);
        requireInRange(op, "bias1 (1 - beta1^t)", bias1, 0, 1, true);
        requireInRange(op, "bias2 (1 - beta2^t)", bias2, 0, 1, true);
        if (!(lr >= 0) || !(eps > 0) || !(weightDecay >= 0) || Double.isInfinite(lr) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(op + ": needs lr >= 0, eps > 0 and weightDecay >= 0 (finite), got lr "
                    + lr + ", eps " + eps + ", weightDecay " + weightDecay);
        }
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        long po = param.offset();
        long go = grad.offset();
        long mo = m.offset();
        long vo = v.offset();
        int n = Math.toIntExact(param.numel());
        int chunk = Operands.MIN_CHUNK_ELEMENTS;
        int chunks = (n + chunk - 1) / chunk;
        Parallel.forRange(chunks, 1, (from, to) -> {
            long start = (long) from * chunk;
            int len = (int) (Math.min(n, (long) to * chunk) - start);
            if (dt == DType.F32) {
                OptimizerKernels.adamwF32(ps, po + start, gs, go + start, ms, mo + start, vs, vo + start, len,
                        lr, beta1, beta2, eps, weightDecay, bias1, bias2);
            } else {
                OptimizerKernels.adamwF64(ps, po + start, gs, go + start, ms, mo + start, vs, vo + start, len,
                        lr, beta1, beta2, eps, weightDecay, bias1, bias2);
            }
        });
    }

    /** {@code value} in {@code [low, high)}, or {@code (low, high]} when {@code lowOpen}. */
    private static void requireInRange(String op, String what, double value, double low, double high, boolean lowOpen) {
        boolean ok = lowOpen ? value > low && value <= high : value >= low && value < high;
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + what + " must be in " + (lowOpen ? "(" : "[") + low + ", "
                    + high + (lowOpen ? "]" : ")") + ", got " + value);
        }
    }
}
