package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.synthetic.Engagement;
import dev.onerec4j.engine.data.synthetic.SimulatedFeedback;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import java.util.SplittableRandom;

/**
 * Simulated user feedback without shaping: each generated item is shown to the simulated user and rewarded with
 * the weights of the true value applied to the drawn signals (play time as its share of the duration), minus one
 * for a dislike. Its expectation follows the true value; a single draw is noisy, which is what the duration-aware
 * variant is compared against.
 */
public final class FeedbackReward implements RewardSource {

    private final SyntheticWorld world;

    public FeedbackReward(SyntheticWorld world) {
        this.world = world;
    }

    @Override
    public double[] rewards(int user, int position, int[] items, SplittableRandom rng) {
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            SimulatedFeedback f = world.feedback(user, items[i], rng);
            out[i] = new Engagement(f.click() ? 1 : 0, f.like() ? 1 : 0, f.follow() ? 1 : 0, f.comment() ? 1 : 0,
                    f.forward() ? 1 : 0, f.playFraction()).value() - (f.dislike() ? 1 : 0);
        }
        return out;
    }

    @Override
    public String describe() {
        return "simulated feedback (weighted signals, dislike = -1)";
    }
}
