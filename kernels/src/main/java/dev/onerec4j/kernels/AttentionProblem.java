package dev.onerec4j.kernels;

/**
 * One scaled dot-product attention call as the kernels see it: sizes, masking, scale, and where each operand
 * lives. {@code q [batch, queryHeads, queryLen, headDim]}, {@code k [batch, kvHeads, keyLen, headDim]},
 * {@code v [batch, kvHeads, keyLen, valueDim]}, {@code out [batch, queryHeads, queryLen, valueDim]}; {@code lse}
 * ({@code [batch, queryHeads, queryLen]}, row stride = element stride) may be null in a forward pass that keeps
 * no state for a backward; {@code keyMask} (I32, nonzero = visible) may be null for "all keys visible".
 *
 * <p>Query {@code i} sees key {@code j} when the mask allows it and, if {@code causal}, when
 * {@code j <= i + keyLen - queryLen} (the queries are the last {@code queryLen} positions of the sequence, so a
 * single decode query sees every cached key). Query head {@code h} reads key/value head
 * {@code h / (queryHeads / kvHeads)}. All operands hold F32 elements, or F64 when {@code f64}.
 */
public record AttentionProblem(int batch, int queryHeads, int kvHeads, int queryLen, int keyLen, int headDim,
                               int valueDim, boolean causal, double scale, boolean f64,
                               AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand keyMask,
                               AttentionOperand out, AttentionOperand lse) {

    public AttentionProblem {
        if (batch < 0 || queryHeads < 0 || kvHeads < 0 || queryLen < 0 || keyLen < 0 || headDim < 0 || valueDim < 0) {
            throw new IllegalArgumentException("attention: negative size (batch " + batch + ", heads " + queryHeads
                    + "/" + kvHeads + ", lengths " + queryLen + "/" + keyLen + ", dims " + headDim + "/" + valueDim + ")");
        }
        if (kvHeads == 0 ? queryHeads != 0 : queryHeads % kvHeads != 0) {
            throw new IllegalArgumentException("attention: " + queryHeads + " query heads are not a multiple of "
                    + kvHeads + " key/value heads");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("attention: scale must be finite, got " + scale);
        }
    }

    /** Query heads that share one key/value head. */
    public int group() {
        return kvHeads == 0 ? 1 : queryHeads / kvHeads;
    }

    /** The last key query {@code query} may see by position (before the key mask); negative when none. */
    public int lastVisibleKey(int query) {
        return causal ? query + keyLen - queryLen : keyLen - 1;
    }

    /** The first query that sees key {@code key} by position. */
    public int firstQuerySeeing(int key) {
        return causal ? Math.max(0, key - (keyLen - queryLen)) : 0;
    }
}
