package dev.onerec4j.engine.reward;

import java.util.Arrays;

/**
 * Reward-model selection of the final list (report section 4.5, "OneRec with RM selection"): the policy generates
 * N candidate items, the P-Score ranks them, and the best {@code k} are returned. Ties keep the candidates' given
 * order (most probable first). The signature is plain (user, history position, candidate item indices) so the
 * selector plugs into any serving hook that offers the generated candidates of one request; thread-safe.
 */
public final class PScoreSelector {

    private final PScorer scorer;

    public PScoreSelector(PScorer scorer) {
        this.scorer = scorer;
    }

    /**
     * The P-Scores of {@code candidates} for {@code user} with the history before {@code position} (the user's
     * whole logged history when {@code position} is its length).
     */
    public double[] scores(int user, int position, int[] candidates) {
        return candidates.length == 0 ? new double[0] : scorer.score(user, position, candidates);
    }

    /** The {@code k} candidates with the highest P-Score, best first (fewer when there are fewer candidates). */
    public int[] select(int user, int position, int[] candidates, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("P-Score selection: k must be >= 0, got " + k);
        }
        return topByScore(candidates, scores(user, position, candidates), k);
    }

    /** The {@code k} of {@code candidates} with the highest {@code scores}, best first; ties keep the given order. */
    static int[] topByScore(int[] candidates, double[] scores, int k) {
        if (scores.length != candidates.length) {
            throw new IllegalArgumentException("P-Score selection: " + scores.length + " scores for "
                    + candidates.length + " candidates");
        }
        Integer[] order = new Integer[candidates.length];
        Arrays.setAll(order, i -> i);
        // Arrays.sort on objects is stable: equal scores keep the more probable candidate first.
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int n = Math.min(k, candidates.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = candidates[order[i]];
        }
        return out;
    }
}
