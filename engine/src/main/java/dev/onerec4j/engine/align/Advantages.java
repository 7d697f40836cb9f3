package dev.onerec4j.engine.align;

/** Group-relative advantages (GRPO): each reward minus its group's mean, divided by the group's standard deviation. */
public final class Advantages {

    /** Below this standard deviation a group carries no preference: all its advantages are 0. */
    static final double MIN_STD = 1e-8;

    private Advantages() {
    }

    /**
     * Normalises {@code rewards} within groups: {@code groupStart[g] .. groupStart[g + 1] - 1} is group {@code g}
     * ({@code groupStart} has one more entry than there are groups). Uses the population standard deviation.
     */
    public static double[] groupNormalized(double[] rewards, int[] groupStart) {
        double[] out = new double[rewards.length];
        for (int g = 0; g + 1 < groupStart.length; g++) {
            int from = groupStart[g];
            int to = groupStart[g + 1];
            int n = to - from;
            if (n <= 0) {
                continue;
            }
            double mean = 0;
            for (int i = from; i < to; i++) {
                mean += rewards[i];
            }
            mean /= n;
            double var = 0;
            for (int i = from; i < to; i++) {
                var += (rewards[i] - mean) * (rewards[i] - mean);
            }
            double std = Math.sqrt(var / n);
            for (int i = from; i < to; i++) {
                out[i] = std < MIN_STD ? 0 : (rewards[i] - mean) / std;
            }
        }
        return out;
    }
}
