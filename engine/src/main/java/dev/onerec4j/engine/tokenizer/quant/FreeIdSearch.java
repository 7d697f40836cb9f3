package dev.onerec4j.engine.tokenizer.quant;

import java.util.Arrays;

/**
 * Finds a free semantic ID for a vector whose own ID is taken: the collision rule of the tokenizer.
 *
 * <p>The vector keeps the longest prefix of its ID that still has a free ID below it. Below that prefix it
 * takes, level by level, the nearest codeword (to its residual at that level) that leads to a free ID — a
 * depth-first search that visits codewords nearest first and skips full subtrees. So a collision first moves
 * the item to the nearest free code at the last level; only when all of those are taken does it change the
 * level before, and so on. The number of levels never changes (the model's output heads depend on it).
 */
final class FreeIdSearch {

    private final ResidualCodebooks codebooks;
    private final SidOccupancy occupancy;
    private final int levels;
    private final int dim;
    private final float[][] distances;
    private final long[][] order;
    private final float[][] residuals;

    FreeIdSearch(ResidualCodebooks codebooks, SidOccupancy occupancy) {
        this.codebooks = codebooks;
        this.occupancy = occupancy;
        this.levels = codebooks.levels();
        this.dim = codebooks.dim();
        this.distances = new float[levels][];
        this.order = new long[levels][];
        this.residuals = new float[levels + 1][dim];
        for (int l = 0; l < levels; l++) {
            distances[l] = new float[codebooks.panel(l).rowLength()];
            order[l] = new long[codebooks.size(l)];
        }
    }

    /**
     * Rewrites {@code sid} (the vector's greedy ID, taken) into the nearest free ID by the rule above and returns
     * the depth of the prefix it kept; the caller marks the new ID taken.
     *
     * @param latent the vector, in the codebooks' space, at {@code latent[off, off + dim)}
     * @throws IllegalStateException when every ID is taken
     */
    int relocate(float[] latent, int off, int[] sid) {
        int[] original = sid.clone();
        // residuals[l] = latent minus the codewords of the first l tokens of the original ID.
        System.arraycopy(latent, off, residuals[0], 0, dim);
        for (int l = 0; l < levels; l++) {
            System.arraycopy(residuals[l], 0, residuals[l + 1], 0, dim);
            codebooks.addCodeword(l, original[l], -1f, residuals[l + 1], 0);
        }
        for (int keep = levels - 1; keep >= 0; keep--) {
            System.arraycopy(original, 0, sid, 0, levels);
            if (occupancy.isFull(sid, 0, keep)) {
                continue;
            }
            // The subtree of the original token at this level was searched at the longer prefix already.
            if (search(sid, keep, original[keep])) {
                return keep;
            }
        }
        throw new IllegalStateException("no free semantic ID is left: all " + occupancy.size() + " IDs of "
                + Arrays.toString(codebooks.sizes()) + " are taken");
    }

    /**
     * Depth-first, nearest first: completes {@code sid[0, level)} (whose residual is {@code residuals[level]})
     * with a free ID; {@code skip} is a token not to try at this level (-1 for none).
     */
    private boolean search(int[] sid, int level, int skip) {
        int k = codebooks.size(level);
        float[] dist = distances[level];
        codebooks.distances(level, residuals[level], 0, dist);
        long[] ord = order[level];
        for (int c = 0; c < k; c++) {
            ord[c] = ((long) Float.floatToIntBits(dist[c]) << 32) | c;
        }
        Arrays.sort(ord, 0, k);
        for (int t = 0; t < k; t++) {
            int c = (int) ord[t];
            if (c == skip) {
                continue;
            }
            sid[level] = c;
            if (occupancy.isFull(sid, 0, level + 1)) {
                continue;
            }
            if (level + 1 == levels) {
                return true;
            }
            System.arraycopy(residuals[level], 0, residuals[level + 1], 0, dim);
            codebooks.addCodeword(level, c, -1f, residuals[level + 1], 0);
            if (search(sid, level + 1, -1)) {
                return true;
            }
        }
        return false;
    }
}
