package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.synthetic.SimulatedFeedback;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationShapingTest {

    private static final SyntheticWorld WORLD = SyntheticWorld.create(SyntheticSettings.defaults()
            .withSize(300, 150, 6, 8, 14).withSeed(9));

    @Test
    void bucketsHoldEqualSharesOfTheLoggedPlaysAndQuantilesAreMonotone() {
        Dataset d = WORLD.dataset();
        DurationBuckets b = DurationBuckets.fit(d, 5, null);
        assertEquals(5, b.buckets());
        int[] counts = new int[5];
        Histories h = d.histories();
        for (int r = 0; r < h.numInteractions(); r++) {
            counts[b.bucket(d.items().duration(h.item(r)))]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - h.numInteractions() / 5.0) < 0.1 * h.numInteractions(),
                    "equal-count buckets, got " + java.util.Arrays.toString(counts));
        }
        double duration = d.items().duration(0);
        double previous = -1;
        for (double play = 0; play <= duration; play += duration / 20) {
            double q = b.quantile(duration, play);
            assertTrue(q >= previous && q >= 0 && q <= 1, "quantile " + q + " after " + previous);
            previous = q;
        }
        assertEquals(0.0, b.quantile(duration, -1), 0);
    }

    @Test
    void aFullViewOfAShortItemCanOutrankAPartialViewOfALongOne() {
        Dataset d = WORLD.dataset();
        DurationBuckets b = DurationBuckets.fit(d, 10, null);
        double shortest = Double.MAX_VALUE;
        double longest = 0;
        for (int i = 0; i < d.numItems(); i++) {
            shortest = Math.min(shortest, d.items().duration(i));
            longest = Math.max(longest, d.items().duration(i));
        }
        // Raw play time would rank 30% of the long item above the whole short item; the bucketed quantile does not.
        assertTrue(0.3 * longest > shortest);
        assertTrue(b.quantile(shortest, shortest) > b.quantile(longest, 0.3 * longest));
    }

    @Test
    void shapedRewardsAreDislikeMinusOneTopPlayPlusOneElseZero() {
        DurationBuckets b = DurationBuckets.fit(WORLD.dataset(), 10, null);
        DurationAwareReward shaping = new DurationAwareReward(WORLD, b, 0.75);
        double d = WORLD.duration(3);
        assertEquals(-1, shaping.shape(new SimulatedFeedback(true, true, false, false, false, d, d, true)));
        assertEquals(1, shaping.shape(new SimulatedFeedback(true, false, false, false, false, d, d, false)));
        assertEquals(0, shaping.shape(new SimulatedFeedback(false, false, false, false, false, 0, d, false)));
        // The expected shaped reward rises with the true value: compare a user's best and worst items.
        int user = 7;
        int best = 0;
        int worst = 0;
        for (int i = 1; i < WORLD.dataset().numItems(); i++) {
            best = WORLD.trueValue(user, i) > WORLD.trueValue(user, best) ? i : best;
            worst = WORLD.trueValue(user, i) < WORLD.trueValue(user, worst) ? i : worst;
        }
        SplittableRandom rng = new SplittableRandom(2);
        double sumBest = 0;
        double sumWorst = 0;
        for (int t = 0; t < 2000; t++) {
            sumBest += shaping.rewards(user, 0, new int[] {best}, rng)[0];
            sumWorst += shaping.rewards(user, 0, new int[] {worst}, rng)[0];
        }
        assertTrue(sumBest > sumWorst + 200, "mean shaped reward best " + sumBest / 2000 + " vs worst " + sumWorst / 2000);
        assertTrue(WORLD.dataset().histories().has(Signal.PLAY_TIME));
    }
}
