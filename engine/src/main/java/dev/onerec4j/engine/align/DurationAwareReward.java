package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.synthetic.SimulatedFeedback;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import java.util.SplittableRandom;

/**
 * OneRec-V2's preference alignment with real user feedback, on the simulator: every generated item is shown to
 * the simulated user, whose play time is judged against logged play times of items of similar duration
 * ({@link DurationBuckets}); the advantage is +1 when that quantile is in the top share (default the top 25%) and
 * the user did not dislike the item, -1 when they disliked it, 0 otherwise. These are used as the advantages
 * directly.
 */
public final class DurationAwareReward implements RewardSource {

    private final SyntheticWorld world;
    private final DurationBuckets buckets;
    private final double quantile;

    /** @param quantile the play-time quantile at or above which a play counts as positive (0.75 = top 25%) */
    public DurationAwareReward(SyntheticWorld world, DurationBuckets buckets, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("duration-aware shaping: quantile must be in (0, 1), got " + quantile);
        }
        this.world = world;
        this.buckets = buckets;
        this.quantile = quantile;
    }

    @Override
    public double[] rewards(int user, int position, int[] items, SplittableRandom rng) {
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = shape(world.feedback(user, items[i], rng));
        }
        return out;
    }

    /** +1, 0 or -1 for one simulated reaction. */
    double shape(SimulatedFeedback f) {
        if (f.dislike()) {
            return -1;
        }
        return buckets.quantile(f.durationSeconds(), f.playSeconds()) >= quantile ? 1 : 0;
    }

    @Override
    public boolean givesAdvantages() {
        return true;
    }

    @Override
    public String describe() {
        return "simulated feedback, duration-aware shaping (top " + Math.round(100 * (1 - quantile)) + "% play time "
                + "within duration bucket = +1, dislike = -1)";
    }
}
