package dev.onerec4j.tensors.nn;

import dev.onerec4j.tensors.Shapes;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.ops.Attention;
import dev.onerec4j.tensors.ops.Indexing;

/**
 * Multi-head attention with grouped key/value heads ({@code kvHeads} divides {@code heads}). Three forms:
 * <ul>
 *   <li>self-attention: one fused q/k/v projection of the input;</li>
 *   <li>cross-attention: queries from the input, keys and values projected from a context;</li>
 *   <li>query-only (lazy cross-attention): keys and values are supplied precomputed and shared, e.g. by a
 *       context processor feeding a group of decoder layers; the layer owns only the query and output
 *       projections.</li>
 * </ul>
 * Precomputed {@link KeyValues} also serve inference: a request's context keys/values are computed once and
 * reused by every beam and every decoding step.
 */
public final class MultiHeadAttention extends Module {

    /** Keys and values laid out {@code [batch, kvHeads, time, headDim]} (views are fine). */
    public record KeyValues(Tensor keys, Tensor values) {
    }

    public enum Kind {SELF, CROSS, QUERY_ONLY}

    private final Kind kind;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final Linear qkv;
    private final Linear q;
    private final Linear kv;
    private final Linear out;

    /**
     * @param contextDim features of the key/value source (cross-attention); ignored otherwise
     */
    public MultiHeadAttention(Init init, Kind kind, int dim, int contextDim, int heads, int kvHeads) {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || dim % heads != 0) {
            throw new IllegalArgumentException("attention: need heads divisible by kvHeads and dim divisible by heads, got dim="
                    + dim + ", heads=" + heads + ", kvHeads=" + kvHeads);
        }
        this.kind = kind;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = dim / heads;
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        if (kind == Kind.SELF) {
            this.qkv = child("qkv", new Linear(init, dim, qWidth + 2 * kvWidth, false));
            this.q = null;
            this.kv = null;
        } else {
            this.qkv = null;
            this.q = child("q", new Linear(init, dim, qWidth, false));
            this.kv = kind == Kind.CROSS ? child("kv", new Linear(init, contextDim, 2 * kvWidth, false)) : null;
        }
        this.out = child("out", new Linear(init, qWidth, dim, false));
    }

    /** Self-attention over {@code x [b, t, dim]}; {@code keyMask [b, t]} I32 or null. */
    public Tensor forward(Tensor x, Tensor keyMask, boolean causal) {
        requireKind(Kind.SELF, "forward(x, mask, causal)");
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        Tensor p = qkv.forward(x);
        Tensor qh = heads(p.slice(-1, 0, qWidth), heads);
        Tensor kh = heads(p.slice(-1, qWidth, qWidth + kvWidth), kvHeads);
        Tensor vh = heads(p.slice(-1, qWidth + kvWidth, qWidth + 2 * kvWidth), kvHeads);
        return merge(Attention.scaledDotProduct(qh, kh, vh, keyMask, causal));
    }

    /** The new tokens' keys and values of a self-attention layer (for a KV cache): {@code x [b, t, dim]}. */
    public KeyValues selfKeyValues(Tensor x) {
        requireKind(Kind.SELF, "selfKeyValues");
        int qWidth = heads * headDim;
        int kvWidth = kvHeads * headDim;
        Tensor p = qkv.forward(x);
        return new KeyValues(heads(p.slice(-1, qWidth, qWidth + kvWidth), kvHeads),
                heads(p.slice(-1, qWidth + kvWidth, qWidth + 2 * kvWidth), kvHeads));
    }

    /** Queries of a self-attention layer for {@code x [b, t, dim]}, as {@code [b, heads, t, headDim]}. */
    public Tensor selfQueries(Tensor x) {
        requireKind(Kind.SELF, "selfQueries");
        return heads(qkv.forward(x).slice(-1, 0, heads * headDim), heads);
    }

    /** Projects a cross-attention context {@code [b, s, contextDim]} to keys and values, once per request. */
    public KeyValues contextKeyValues(Tensor context) {
        requireKind(Kind.CROSS, "contextKeyValues");
        int kvWidth = kvHeads * headDim;
        Tensor p = kv.forward(context);
        return new KeyValues(heads(p.slice(-1, 0, kvWidth), kvHeads), heads(p.slice(-1, kvWidth, 2 * kvWidth), kvHeads));
    }

    /** Cross- or lazy attention of {@code x [b, t, dim]} to precomputed keys/values. */
    public Tensor attend(Tensor x, KeyValues kvs, Tensor keyMask, boolean causal) {
        Tensor qh = kind == Kind.SELF ? selfQueries(x) : heads(q.forward(x), heads);
        return attendQueries(qh, kvs, keyMask, causal);
    }

    /** Attention of already projected queries {@code [b, heads, t, headDim]}, then the output projection. */
    public Tensor attendQueries(Tensor queries, KeyValues kvs, Tensor keyMask, boolean causal) {
        if (kvs.keys().dim(1) != kvHeads || kvs.keys().dim(3) != headDim) {
            throw new IllegalArgumentException("attention: keys " + Shapes.str(kvs.keys().shape()) + " do not match "
                    + kvHeads + " kv heads of dimension " + headDim);
        }
        return merge(Attention.scaledDotProduct(queries, kvs.keys(), kvs.values(), keyMask, causal));
    }

    /** Cross-attention of {@code x} to a context (projecting the context's keys/values now). */
    public Tensor forward(Tensor x, Tensor context, Tensor keyMask) {
        requireKind(Kind.CROSS, "forward(x, context, mask)");
        return attend(x, contextKeyValues(context), keyMask, false);
    }

    /** {@code [b, t, h * d] -> [b, h, t, d]} as a view. */
    private Tensor heads(Tensor x, int h) {
        int b = x.dim(0);
        int t = x.dim(1);
        return x.reshape(b, t, h, headDim).transpose(1, 2);
    }

    /** {@code [b, h, t, d] -> [b, t, h * d]}, then the output projection. */
    private Tensor merge(Tensor attended) {
        int b = attended.dim(0);
        int t = attended.dim(2);
        return out.forward(attended.transpose(1, 2).reshape(b, t, heads * headDim));
    }

    private void requireKind(Kind expected, String method) {
        if (kind != expected) {
            throw new IllegalStateException("attention: " + method + " is for " + expected + " attention, this layer is " + kind);
        }
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int headDim() {
        return headDim;
    }

    public Kind kind() {
        return kind;
    }

    /** Concatenates cached keys/values with new ones along time (used by incremental decoding). */
    public static KeyValues append(KeyValues cache, KeyValues fresh) {
        if (cache == null) {
            return fresh;
        }
        return new KeyValues(Indexing.concat(2, cache.keys(), fresh.keys()), Indexing.concat(2, cache.values(), fresh.values()));
    }
}
