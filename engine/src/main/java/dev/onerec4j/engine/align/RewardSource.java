package dev.onerec4j.engine.align;

import java.util.SplittableRandom;

/**
 * Where the RL rewards of generated items come from: a reward model's P-Score, the simulator's ground truth, or
 * simulated user feedback shaped into advantages. Implementations are called from the generation thread.
 */
public interface RewardSource {

    /**
     * Rewards of {@code items} (real items) recommended to {@code user} with the history before {@code position};
     * {@code rng} drives any simulated feedback, so a seeded stream gives repeatable rewards.
     */
    double[] rewards(int user, int position, int[] items, SplittableRandom rng);

    /**
     * Whether the rewards are already advantages (OneRec-V2's shaped feedback: +1, 0, -1), used as they are
     * rather than normalised within the group.
     */
    default boolean givesAdvantages() {
        return false;
    }

    /** A short description for logs and reports. */
    String describe();
}
