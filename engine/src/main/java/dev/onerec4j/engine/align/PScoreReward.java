package dev.onerec4j.engine.align;

import dev.onerec4j.engine.reward.PScorer;

import java.util.SplittableRandom;

/** The reward model's P-Score of each item for the user (report section 2.4.1). */
public final class PScoreReward implements RewardSource {

    private final PScorer scorer;

    public PScoreReward(PScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    public double[] rewards(int user, int position, int[] items, SplittableRandom rng) {
        return scorer.score(user, position, items);
    }

    @Override
    public String describe() {
        return "P-Score";
    }
}
