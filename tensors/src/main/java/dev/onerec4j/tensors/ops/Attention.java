package dev.onerec4j.tensors.ops;

import dev.onerec4j.tensors.Autograd;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;

import java.util.Arrays;

/**
 * Fused scaled dot-product attention as a differentiable op. The backend computes it one key block at a time
 * (no {@code tq x tk} score matrix, in the forward or the backward) and the op keeps only the output and the
 * per-row log-sum-exp for the backward.
 */
public final class Attention {

    private Attention() {
    }

    /** {@link #scaledDotProduct(Tensor, Tensor, Tensor, Tensor, boolean, double)} with scale {@code 1/sqrt(d)}. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal) {
        return scaledDotProduct(q, k, v, keyMask, causal, 1.0 / Math.sqrt(Math.max(1, q.dim(-1))));
    }

    /**
     * {@code softmax(scale * q k^T + mask) v} for {@code q [b, hq, tq, d]}, {@code k [b, hkv, tk, d]},
     * {@code v [b, hkv, tk, dv]} with {@code hq} a multiple of {@code hkv} (query head {@code h} uses key/value
     * head {@code h / (hq / hkv)}), giving {@code [b, hq, tq, dv]}.
     *
     * <p>Query {@code i} sees key {@code j} when {@code keyMask[b, j] != 0} ({@code keyMask}: I32 {@code [b, tk]},
     * or null for all keys) and, if {@code causal}, when {@code j <= i + tk - tq}: the queries are the last
     * {@code tq} positions, so one decode query over a KV cache sees every cached key. A query that sees no key
     * outputs zeros and gets zero gradients. Inputs may be strided views such as a {@code [b, t, h, d]} tensor
     * transposed to {@code [b, h, t, d]}; F32 or F64 (all three the same).
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale) {
        check(q, k, v, keyMask, scale);
        int[] outShape = {q.dim(0), q.dim(1), q.dim(2), v.dim(3)};
        Tensor out = Tensor.emptyLike(q, outShape);
        boolean grad = Autograd.needsGrad(q, k, v);
        Tensor lse = grad ? Tensor.emptyLike(q, q.dim(0), q.dim(1), q.dim(2)) : null;
        q.backend().attention(q, k, v, keyMask, causal, scale, out, lse);
        if (!grad) {
            return out;
        }
        return Autograd.record(out, "attention", g -> {
            Tensor gq = Tensor.emptyLike(q, q.shape());
            Tensor gk = Tensor.emptyLike(k, k.shape());
            Tensor gv = Tensor.emptyLike(v, v.shape());
            Tensor go = g.dtype() == q.dtype() ? g : g.to(q.dtype());
            q.backend().attentionBackward(q, k, v, keyMask, causal, scale, out, lse, go, gq, gk, gv);
            return new Tensor[] {q.requiresGrad() ? gq : null, k.requiresGrad() ? gk : null,
                    v.requiresGrad() ? gv : null};
        }, q, k, v);
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor keyMask, double scale) {
        String shapes = "q " + Shapes.str(q.shape()) + ", k " + Shapes.str(k.shape()) + ", v " + Shapes.str(v.shape());
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
            throw new IllegalArgumentException("attention: expected rank-4 q [b, hq, tq, d], k [b, hkv, tk, d], "
                    + "v [b, hkv, tk, dv]; got " + shapes);
        }
        if (k.dim(0) != q.dim(0) || v.dim(0) != q.dim(0)) {
            throw new IllegalArgumentException("attention: batch sizes differ (" + shapes + ")");
        }
        if (k.dim(3) != q.dim(3)) {
            throw new IllegalArgumentException("attention: q and k head dims differ, " + q.dim(3) + " vs " + k.dim(3)
                    + " (" + shapes + ")");
        }
        if (v.dim(1) != k.dim(1) || v.dim(2) != k.dim(2)) {
            throw new IllegalArgumentException("attention: k and v need the same heads and length, expected v [" + k.dim(0)
                    + ", " + k.dim(1) + ", " + k.dim(2) + ", dv] (" + shapes + ")");
        }
        int hq = q.dim(1);
        int hkv = k.dim(1);
        if (hkv == 0 ? hq != 0 : hq % hkv != 0) {
            throw new IllegalArgumentException("attention: " + hq + " query heads are not a multiple of " + hkv
                    + " key/value heads (" + shapes + ")");
        }
        Shapes.requireSameDevice("attention", q, k);
        Shapes.requireSameDevice("attention", q, v);
        if (q.dtype() != DType.F32 && q.dtype() != DType.F64) {
            throw new IllegalArgumentException("attention: dtype " + q.dtype() + " is not supported (expected F32 or F64;"
                    + " cast with to(DType.F32))");
        }
        Shapes.requireSameDType("attention (q, k)", q, k);
        Shapes.requireSameDType("attention (q, v)", q, v);
        if (keyMask != null) {
            int[] expected = {q.dim(0), k.dim(2)};
            if (!Arrays.equals(keyMask.shape(), expected) || keyMask.dtype() != DType.I32) {
                throw new IllegalArgumentException("attention: keyMask must be I32 " + Shapes.str(expected)
                        + " [b, tk], got " + keyMask.dtype() + Shapes.str(keyMask.shape()) + " (" + shapes + ")");
            }
            Shapes.requireSameDevice("attention (keyMask)", q, keyMask);
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("attention: scale must be finite, got " + scale);
        }
    }
}
