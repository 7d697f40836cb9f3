package dev.onerec4j.engine.serve.beam;

import java.util.Arrays;

/**
 * The finished beams of every request of a search, best first: each a real item (a complete ID of the trie), its
 * log-probability (the sum of its tokens' log-probabilities) and its semantic ID.
 */
public final class BeamResults {

    private final int levels;
    private final int[][] items;
    private final double[][] scores;
    private final int[][] sids;

    BeamResults(int levels, int[][] items, double[][] scores, int[][] sids) {
        this.levels = levels;
        this.items = items;
        this.scores = scores;
        this.sids = sids;
    }

    public int requests() {
        return items.length;
    }

    /** Number of items found for request {@code r} (fewer than the beam width when the trie allows fewer). */
    public int count(int r) {
        return items[r].length;
    }

    public int item(int r, int rank) {
        return items[r][rank];
    }

    public double score(int r, int rank) {
        return scores[r][rank];
    }

    /** The semantic ID of request {@code r}'s item at {@code rank} (a copy). */
    public int[] sid(int r, int rank) {
        return Arrays.copyOfRange(sids[r], rank * levels, rank * levels + levels);
    }

    /** All items of request {@code r}, best first (a copy). */
    public int[] items(int r) {
        return items[r].clone();
    }

    /** All scores of request {@code r}, best first (a copy). */
    public double[] scores(int r) {
        return scores[r].clone();
    }
}
