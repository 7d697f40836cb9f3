package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.ItemCatalog;

import java.util.SplittableRandom;

/**
 * Specific Industrial Reward (report section 4.3.3, eq. 33): when the share of items of a suppressed class (e.g.
 * over-exposed viral content) among a user's generated group exceeds the target share, their reward is
 * multiplied by the suppression factor, so the policy learns to show fewer of them while still seeing their
 * quality in the unscaled reward of the other groups. Wraps a non-negative reward such as the P-Score.
 */
public final class IndustrialReward implements RewardSource {

    private final RewardSource inner;
    private final ItemCatalog items;
    private final int suppressedClass;
    private final double targetShare;
    private final double factor;

    public IndustrialReward(RewardSource inner, ItemCatalog items, int suppressedClass, double targetShare,
                            double factor) {
        if (suppressedClass < 0 || suppressedClass >= items.numClasses()) {
            throw new IllegalArgumentException("SIR: class " + suppressedClass + " is not one of the "
                    + items.numClasses() + " item classes");
        }
        if (!(targetShare >= 0 && targetShare <= 1) || !(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("SIR: target share and factor must be in [0, 1], got " + targetShare
                    + ", " + factor);
        }
        this.inner = inner;
        this.items = items;
        this.suppressedClass = suppressedClass;
        this.targetShare = targetShare;
        this.factor = factor;
    }

    @Override
    public double[] rewards(int user, int position, int[] group, SplittableRandom rng) {
        double[] r = inner.rewards(user, position, group, rng);
        if (share(group) > targetShare) {
            for (int i = 0; i < group.length; i++) {
                if (items.classLabel(group[i]) == suppressedClass) {
                    r[i] *= factor;
                }
            }
        }
        return r;
    }

    /** Share of {@code group} in the suppressed class. */
    double share(int[] group) {
        int n = 0;
        for (int item : group) {
            n += items.classLabel(item) == suppressedClass ? 1 : 0;
        }
        return group.length == 0 ? 0 : (double) n / group.length;
    }

    @Override
    public boolean givesAdvantages() {
        return inner.givesAdvantages();
    }

    @Override
    public String describe() {
        return inner.describe() + ", SIR on class " + items.className(suppressedClass) + " above "
                + targetShare + " x " + factor;
    }
}
