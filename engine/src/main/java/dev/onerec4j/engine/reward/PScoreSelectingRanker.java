package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.eval.Ranker;

/**
 * A ranker that asks another for {@code candidates} items per request and returns the {@code k} with the highest
 * P-Score ({@link PScoreSelector}): how reward-model selection is evaluated offline.
 */
public final class PScoreSelectingRanker implements Ranker {

    private final Ranker generator;
    private final PScoreSelector selector;
    private final int candidates;

    public PScoreSelectingRanker(Ranker generator, PScoreSelector selector, int candidates) {
        if (candidates < 1) {
            throw new IllegalArgumentException("P-Score selection needs at least one candidate, got " + candidates);
        }
        this.generator = generator;
        this.selector = selector;
        this.candidates = candidates;
    }

    @Override
    public int[][] rank(int[] users, int[] positions, int k, boolean excludeHistory) {
        if (candidates < k) {
            throw new IllegalArgumentException("P-Score selection of " + k + " items from " + candidates
                    + " candidates: generate at least k");
        }
        int[][] generated = generator.rank(users, positions, candidates, excludeHistory);
        int[][] out = new int[users.length][];
        for (int i = 0; i < users.length; i++) {
            out[i] = selector.select(users[i], positions[i], generated[i], k);
        }
        return out;
    }

    @Override
    public String describe() {
        return generator.describe() + ", top by P-Score of " + candidates;
    }
}
