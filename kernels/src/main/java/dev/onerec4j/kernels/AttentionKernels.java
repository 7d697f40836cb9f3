package dev.onerec4j.kernels;

/**
 * Fused scaled dot-product attention, flash-attention style: for one (batch, query head, block of queries) the
 * forward streams over blocks of {@link #BLOCK_KEYS} keys with an online softmax (a running max and sum per
 * row), so no score matrix larger than {@link #BLOCK_QUERIES} x {@link #BLOCK_KEYS} ever exists, and saves each
 * row's log-sum-exp. The backward (FlashAttention-2) recomputes the probabilities block by block from q, k and
 * the log-sum-exp: {@code P = exp(scale * q k^T - lse)}, {@code dV += P^T dO}, {@code dP = dO V^T},
 * {@code dS = P * (dP - D)} with {@code D = rowsum(dO * O)}, {@code dK += scale * dS^T Q},
 * {@code dQ += scale * dS K}.
 *
 * <p>Each call handles one task and writes only that task's outputs, so a caller can run tasks on different
 * threads (each with its own {@link AttentionScratch}) and the results do not depend on how tasks are spread:
 * <ul>
 *   <li>{@link #forward}: query rows {@code [queryFrom, queryTo)} of one (batch, query head);</li>
 *   <li>{@link #backwardKeyBlocks}: the key and value gradients of keys {@code [keyFrom, keyTo)} of one
 *       (batch, key/value head), from every query head of its group; with {@code withQueryGrad} and the whole
 *       key range it also produces those query heads' query gradients in the same sweep;</li>
 *   <li>{@link #backwardQueries}: the query gradients of rows {@code [queryFrom, queryTo)} of one
 *       (batch, query head), when the key/value gradients were split by key block.</li>
 * </ul>
 * A query that sees no key gets a zero output, a log-sum-exp of -infinity and zero gradients. F32 problems
 * run on Vector API tiles; F64 problems run a scalar path meant for gradient checks.
 */
public final class AttentionKernels {

    /** Query rows per forward task and per block of the backward sweeps. */
    public static final int BLOCK_QUERIES = 64;
    /** Keys per block: a multiple of two vectors of the preferred species. */
    public static final int BLOCK_KEYS = AttentionScratch.roundUp(64, 2 * AttentionTiles.L);

    private AttentionKernels() {
    }

    /**
     * Attention output (and, when the problem has one, the log-sum-exp) of query rows
     * {@code [queryFrom, queryTo)} (at most {@link #BLOCK_QUERIES} rows) of query head {@code head} in batch
     * {@code batch}.
     */
    public static void forward(AttentionProblem p, AttentionScratch scratch, int batch, int head,
                               int queryFrom, int queryTo) {
        checkRows("attention", p.queryLen(), queryFrom, queryTo);
        if (queryFrom == queryTo) {
            return;
        }
        scratch.prepare(p.headDim(), p.valueDim(), p.f64());
        if (p.f64()) {
            AttentionF64.forward(p, scratch, batch, head, queryFrom, queryTo);
        } else {
            AttentionF32.forward(p, scratch, batch, head, queryFrom, queryTo);
        }
    }

    /**
     * Key and value gradients of keys {@code [keyFrom, keyTo)} of key/value head {@code kvHead} in batch
     * {@code batch} (overwritten). With {@code withQueryGrad}, which requires the whole key range, the query
     * gradients of the group's query heads are overwritten too.
     */
    public static void backwardKeyBlocks(AttentionProblem p, AttentionGradients g, AttentionScratch scratch,
                                         int batch, int kvHead, int keyFrom, int keyTo, boolean withQueryGrad) {
        if (keyFrom < 0 || keyTo > p.keyLen() || keyFrom > keyTo) {
            throw new IllegalArgumentException("attentionBackward: key range [" + keyFrom + ", " + keyTo
                    + ") outside [0, " + p.keyLen() + ")");
        }
        if (withQueryGrad && (keyFrom != 0 || keyTo != p.keyLen())) {
            throw new IllegalArgumentException("attentionBackward: query gradients in the key sweep need the whole key "
                    + "range [0, " + p.keyLen() + "), got [" + keyFrom + ", " + keyTo + ")");
        }
        if (p.lse() == null) {
            throw new IllegalArgumentException("attentionBackward: the forward log-sum-exp is required");
        }
        scratch.prepare(p.headDim(), p.valueDim(), p.f64());
        if (p.f64()) {
            AttentionF64.backwardKeyBlocks(p, g, scratch, batch, kvHead, keyFrom, keyTo, withQueryGrad);
        } else {
            AttentionF32.backwardKeyBlocks(p, g, scratch, batch, kvHead, keyFrom, keyTo, withQueryGrad);
        }
    }

    /**
     * Query gradients of rows {@code [queryFrom, queryTo)} (at most {@link #BLOCK_QUERIES} rows) of query head
     * {@code head} in batch {@code batch} (overwritten).
     */
    public static void backwardQueries(AttentionProblem p, AttentionGradients g, AttentionScratch scratch,
                                       int batch, int head, int queryFrom, int queryTo) {
        checkRows("attentionBackward", p.queryLen(), queryFrom, queryTo);
        if (p.lse() == null) {
            throw new IllegalArgumentException("attentionBackward: the forward log-sum-exp is required");
        }
        if (queryFrom == queryTo) {
            return;
        }
        scratch.prepare(p.headDim(), p.valueDim(), p.f64());
        if (p.f64()) {
            AttentionF64.backwardQueries(p, g, scratch, batch, head, queryFrom, queryTo);
        } else {
            AttentionF32.backwardQueries(p, g, scratch, batch, head, queryFrom, queryTo);
        }
    }

    private static void checkRows(String op, int queryLen, int from, int to) {
        if (from < 0 || to > queryLen || from > to || to - from > BLOCK_QUERIES) {
            throw new IllegalArgumentException(op + ": query rows [" + from + ", " + to + ") must lie in [0, "
                    + queryLen + ") and number at most " + BLOCK_QUERIES);
        }
    }
}
