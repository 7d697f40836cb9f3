package dev.onerec4j.tensors.backend;

import dev.onerec4j.kernels.BinaryOp;
import dev.onerec4j.kernels.ReduceOp;
import dev.onerec4j.kernels.UnaryOp;
import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Device;
import dev.onerec4j.tensors.Tensor;

/**
 * The compute primitives one device provides. Ops (in {@code tensors.ops}) do shape logic, dtype checks and
 * autograd once, and call only these; a backend is the raw compute behind them (CPU: Vector API kernels; CUDA:
 * kernels compiled with NVRTC and cuBLAS). Outputs are always allocated by the caller and are contiguous unless
 * a method says otherwise; inputs may be strided views.
 *
 * <p>Floating-point primitives accept F32 and F64 (F64 exists on the CPU for gradient checks); BF16 appears in
 * {@link #copy} (conversion) and as a {@link #matmul} input. Anything else is rejected with a message naming the
 * primitive.
 */
public interface Backend {

    Device device();

    // ------------------------------------------------------------------ data movement

    /** Copies {@code src} into {@code dst} (same shape, any strides, any dtypes: converts). */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} (any strides) to {@code value}. */
    void fill(Tensor dst, double value);

    // ------------------------------------------------------------------ element-wise

    /**
     * {@code out = op(a, b)} element-wise; {@code a} and {@code b} have {@code out}'s shape (broadcast views with
     * zero strides are allowed) and dtype. {@code out} may be {@code a} itself (in-place update).
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code out = op(a)} element-wise; {@code a} has {@code out}'s shape (any strides) and dtype. */
    void unary(UnaryOp op, Tensor a, Tensor out);

    /** {@code out = a * scale + shift} element-wise. {@code out} may be {@code a}. */
    void affine(Tensor a, double scale, double shift, Tensor out);

    /** {@code out = cond != 0 ? a : b}; {@code cond} (I32) and the operands are broadcast views of {@code out}'s shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    // ------------------------------------------------------------------ reductions

    /**
     * Reduces the contiguous tensor {@code a}, viewed as {@code [outer, mid, inner]}, over its middle axis into
     * {@code out} viewed as {@code [outer, inner]}.
     */
    void reduce(ReduceOp op, Tensor a, int outer, int mid, int inner, Tensor out);

    // ------------------------------------------------------------------ linear algebra

    /**
     * Batched matrix product {@code out[i] = alpha * a[i] x b[i] + beta * out[i]} for rank-3 operands
     * {@code a [batch, m, k]}, {@code b [batch, k, n]} and contiguous {@code out [batch, m, n]} (F32, or F64 when
     * both inputs are F64). {@code a} and {@code b} may be transposed views (unit stride in either of their last
     * two dimensions) and may have batch stride 0 (shared across the batch). Inputs are F32, BF16 (FP32
     * accumulation) or F64.
     */
    void matmul(Tensor a, Tensor b, Tensor out, float alpha, float beta);

    // ------------------------------------------------------------------ fused neural-network primitives
    // The feature axis is the last one; "rows" are all leading dimensions. Operands are contiguous.

    /** Softmax (or log-softmax when {@code log}) over the last axis. */
    void softmax(Tensor x, Tensor out, boolean log);

    /** Gradient of {@link #softmax} given its output {@code y} and the output gradient. */
    void softmaxBackward(Tensor y, Tensor gradY, Tensor gradX, boolean log);

    /** {@code out = x / rms(x) * weight} over the last axis; writes {@code 1/rms} per row to {@code rstd} ([rows], F32/F64). */
    void rmsNorm(Tensor x, Tensor weight, double eps, Tensor out, Tensor rstd);

    /**
     * Gradients of {@link #rmsNorm}: writes {@code gradX}, and adds the weight gradient (summed over rows) into
     * {@code gradWeight}, which the caller zero-fills.
     */
    void rmsNormBackward(Tensor x, Tensor weight, Tensor rstd, Tensor gradOut, Tensor gradX, Tensor gradWeight);

    /**
     * Cross-entropy of {@code logits [n, v]} against class indices {@code targets} (I32 {@code [n]}) with label
     * smoothing {@code s}: {@code loss[i] = (1 - s) * -log p[i, t] + s * mean_j(-log p[i, j])}. Rows whose target
     * equals {@code ignoreIndex} get loss 0 (and zero gradient). When {@code gradLogits} is not null it receives
     * {@code d loss[i] / d logits[i]} for each row.
     */
    void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double smoothing, Tensor loss, Tensor gradLogits);

    /**
     * Fused scaled dot-product attention, computed one key block at a time (no full score matrix):
     * {@code q [b, hq, tq, d]}, {@code k [b, hkv, tk, d]}, {@code v [b, hkv, tk, dv]} with {@code hq} a multiple
     * of {@code hkv} (grouped heads; any strides, unit stride on the last axis). Query {@code i} sees key
     * {@code j} when {@code keyMask[b, j] != 0} (I32 {@code [b, tk]}, null = all keys) and, if {@code causal},
     * {@code j <= i + tk - tq}. A query that sees no key gets a zero output, a log-sum-exp of -infinity and zero
     * gradients (never NaN). Writes {@code out [b, hq, tq, dv]} and, when not null, the row log-sum-exp
     * {@code lse [b, hq, tq]} (same dtype as {@code q}) that the backward needs. F32 or F64 throughout.
     */
    void attention(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out, Tensor lse);

    /** Gradients of {@link #attention}; {@code gradQ}, {@code gradK}, {@code gradV} are overwritten. */
    void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor keyMask, boolean causal, double scale, Tensor out,
                           Tensor lse, Tensor gradOut, Tensor gradQ, Tensor gradK, Tensor gradV);

    // ------------------------------------------------------------------ indexing

    /** {@code out[i, :] = src[index[i], :]} for {@code src [n, d]}, I32 {@code index [m]}, {@code out [m, d]}. */
    void indexSelect(Tensor src, Tensor index, Tensor out);

    /** {@code dst[index[i], :] += src[i, :]} (repeated indices accumulate). */
    void indexAdd(Tensor dst, Tensor index, Tensor src);

    /** {@code out[r, j] = src[r, index[r, j]]} for {@code src [rows, n]}, I32 {@code index [rows, k]}. */
    void gatherLast(Tensor src, Tensor index, Tensor out);

    /** {@code dst[r, index[r, j]] += src[r, j]}. */
    void scatterAddLast(Tensor dst, Tensor index, Tensor src);

    /**
     * The {@code k} largest entries of each row of {@code x [rows, n]}, in descending order (ties: lower index
     * first): {@code values [rows, k]} and I32 {@code indices [rows, k]}.
     */
    void topK(Tensor x, int k, Tensor values, Tensor indices);

    /** Fills {@code mask} with {@code 1/(1-p)} (kept) or 0 (dropped, with probability {@code p}), deterministic for {@code seed}. */
    void dropoutMask(Tensor mask, double p, long seed);

    // ------------------------------------------------------------------ optimizer

    /**
     * One fused AdamW update of {@code param} from {@code grad} with moments {@code m}, {@code v} (all the same
     * shape, F32): decoupled weight decay {@code param -= lr * weightDecay * param}, then the Adam step with
     * bias corrections {@code 1 - beta1^t} and {@code 1 - beta2^t} passed in as {@code bias1}, {@code bias2}.
     */
    void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
               double weightDecay, double bias1, double bias2);

    /** Whether this backend computes {@code dtype} in the given primitive family (used by tests to skip). */
    default boolean supports(DType dtype) {
        return dtype == DType.F32 || dtype == DType.BF16 || dtype == DType.I32;
    }
}
