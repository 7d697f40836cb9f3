package dev.onerec4j.tensors.optim;

import dev.onerec4j.tensors.GradMode;
import dev.onerec4j.tensors.MemoryScope;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Arith;
import dev.onerec4j.tensors.ops.Reduce;

import java.util.Collection;

/** Global-norm gradient clipping. */
public final class GradClip {

    private GradClip() {
    }

    /** The L2 norm of all gradients together (parameters without a gradient count as zero). */
    public static double globalNorm(Collection<Tensor> params) {
        double sumSq = 0;
        try (var g = GradMode.disabled(); MemoryScope s = MemoryScope.open("grad-norm")) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    sumSq += Reduce.sum(Arith.square(p.grad())).item();
                }
            }
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Scales all gradients so their global norm is at most {@code maxNorm}; returns the norm before clipping
     * (a non-finite norm is returned as is and leaves the gradients untouched, so the caller can skip the step).
     */
    public static double clipGlobalNorm(Collection<Tensor> params, double maxNorm) {
        if (maxNorm <= 0) {
            throw new IllegalArgumentException("gradient clipping needs maxNorm > 0, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-12);
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().backend().affine(p.grad(), scale, 0, p.grad());
                }
            }
        }
        return norm;
    }
}
