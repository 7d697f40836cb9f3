package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.synthetic.SyntheticWorld;

import java.util.SplittableRandom;

/**
 * The simulator's true value of each item for the user (its expected weighted engagement): an oracle reward, for
 * measuring how much of the gain a learned reward model leaves on the table. Only on simulator data.
 */
public final class SimulatorValueReward implements RewardSource {

    private final SyntheticWorld world;

    public SimulatorValueReward(SyntheticWorld world) {
        this.world = world;
    }

    @Override
    public double[] rewards(int user, int position, int[] items, SplittableRandom rng) {
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = world.trueValue(user, items[i]);
        }
        return out;
    }

    @Override
    public String describe() {
        return "simulator true value (oracle)";
    }
}
