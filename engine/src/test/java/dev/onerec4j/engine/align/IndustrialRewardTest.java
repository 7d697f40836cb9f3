package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IndustrialRewardTest {

    private static final SyntheticWorld WORLD = SyntheticWorld.create(SyntheticSettings.defaults()
            .withSize(50, 120, 6, 5, 8).withSeed(5));

    @Test
    void suppressedItemsAreDownWeightedOnlyWhenTheirShareExceedsTheTarget() {
        ItemCatalog items = WORLD.dataset().items();
        int cls = WORLD.overExposedClass();
        int[] inClass = IntStream.range(0, items.size()).filter(i -> items.classLabel(i) == cls).limit(3).toArray();
        int[] other = IntStream.range(0, items.size()).filter(i -> items.classLabel(i) != cls).limit(7).toArray();
        RewardSource ones = new RewardSource() {
            @Override
            public double[] rewards(int user, int position, int[] group, SplittableRandom rng) {
                double[] r = new double[group.length];
                java.util.Arrays.fill(r, 1.0);
                return r;
            }

            @Override
            public String describe() {
                return "ones";
            }
        };
        // 3 of 10 in the class: above a target of 0.2, their reward is halved.
        int[] group = IntStream.concat(IntStream.of(inClass), IntStream.of(other)).toArray();
        double[] r = new IndustrialReward(ones, items, cls, 0.2, 0.5).rewards(0, 0, group, new SplittableRandom(1));
        for (int i = 0; i < group.length; i++) {
            assertEquals(i < 3 ? 0.5 : 1.0, r[i], 0, "item " + i);
        }
        // At or below the target nothing changes.
        double[] kept = new IndustrialReward(ones, items, cls, 0.3, 0.5).rewards(0, 0, group, new SplittableRandom(1));
        for (double v : kept) {
            assertEquals(1.0, v, 0);
        }
    }

    @Test
    void anUnknownClassIsRejected() {
        ItemCatalog items = WORLD.dataset().items();
        assertThrows(IllegalArgumentException.class, () -> new IndustrialReward(new SimulatorValueReward(WORLD), items,
                items.numClasses(), 0.1, 0.5));
    }
}
