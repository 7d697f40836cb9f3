package dev.onerec4j.engine.tokenizer;

import java.util.Arrays;

/**
 * Semantic IDs and their prefixes as single {@code long} keys, for hash maps and the persisted maps of a
 * tokenizer folder. A full ID packs its tokens in mixed radix (token 0 most significant, radix = the codebook
 * sizes), the same key {@link SemanticIds} uses. A prefix of {@code depth} tokens packs as
 * {@code depth << 56 | mixed-radix value of its tokens}, so prefixes of different depths never share a key; the
 * empty prefix (the trie's root) is key 0.
 */
public final class SidPacking {

    private static final int DEPTH_SHIFT = 56;

    private final int[] sizes;

    public SidPacking(int[] codebookSizes) {
        long space = 1;
        for (int k : codebookSizes) {
            if (k <= 0) {
                throw new IllegalArgumentException("codebook sizes must be positive: " + Arrays.toString(codebookSizes));
            }
            space = Math.multiplyExact(space, k);
            if (space >= 1L << DEPTH_SHIFT) {
                throw new IllegalArgumentException("semantic IDs of " + Arrays.toString(codebookSizes)
                        + " do not fit a 56-bit key (product of the codebook sizes >= 2^56)");
            }
        }
        if (codebookSizes.length > 127) {
            throw new IllegalArgumentException("at most 127 levels, got " + codebookSizes.length);
        }
        this.sizes = codebookSizes.clone();
    }

    public int levels() {
        return sizes.length;
    }

    /** The key of the full ID at {@code sid[off, off + levels)}. */
    public long key(int[] sid, int off) {
        long k = 0;
        for (int l = 0; l < sizes.length; l++) {
            k = k * sizes[l] + sid[off + l];
        }
        return k;
    }

    /** The ID of a full key. */
    public int[] sid(long key) {
        int[] sid = new int[sizes.length];
        for (int l = sizes.length - 1; l >= 0; l--) {
            sid[l] = (int) (key % sizes[l]);
            key /= sizes[l];
        }
        return sid;
    }

    /** The key of the prefix of {@code depth} tokens at {@code sid[off, off + depth)}. */
    public long prefixKey(int[] sid, int off, int depth) {
        long k = 0;
        for (int l = 0; l < depth; l++) {
            k = k * sizes[l] + sid[off + l];
        }
        return ((long) depth << DEPTH_SHIFT) | k;
    }

    /** The depth of a prefix key. */
    public static int depthOf(long prefixKey) {
        return (int) (prefixKey >>> DEPTH_SHIFT);
    }

    /** The tokens of a prefix key. */
    public int[] prefix(long prefixKey) {
        int depth = depthOf(prefixKey);
        long k = prefixKey & ((1L << DEPTH_SHIFT) - 1);
        int[] p = new int[depth];
        for (int l = depth - 1; l >= 0; l--) {
            p[l] = (int) (k % sizes[l]);
            k /= sizes[l];
        }
        return p;
    }

    /** Number of full IDs below a prefix of {@code depth} tokens. */
    public long leavesBelow(int depth) {
        long n = 1;
        for (int l = depth; l < sizes.length; l++) {
            n *= sizes[l];
        }
        return n;
    }
}
