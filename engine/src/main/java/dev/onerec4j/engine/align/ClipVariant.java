package dev.onerec4j.engine.align;

import dev.onerec4j.engine.UserException;

import java.util.Locale;

/** The policy-ratio treatment of the RL objective. */
public enum ClipVariant {
    /**
     * OneRec's Early Clipped GRPO: PPO clipping, and for negative advantages the old policy's probability is raised
     * to at least {@code sg(pi) / (1 + epsilon + delta)}, so the ratio (and the gradient) of a negative sample is
     * bounded by {@code 1 + epsilon + delta} while it still takes effect.
     */
    ECPO,
    /**
     * OneRec-V2's gradient-bounded policy optimisation: no clipping, every sample contributes; the denominator is
     * {@code max(pi_old, sg(pi))} for non-negative advantages and {@code max(pi_old, 1 - sg(pi))} for negative ones,
     * so a sample's gradient never exceeds that of the log-likelihood (positives) or of a binary cross-entropy
     * pushing its probability down (negatives).
     */
    GBPO,
    /** Plain GRPO/PPO clipping of the ratio to {@code [1 - epsilon, 1 + epsilon]}, without early clipping. */
    PPO;

    public static ClipVariant parse(String s) {
        for (ClipVariant v : values()) {
            if (v.name().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return v;
            }
        }
        throw new UserException("unknown clipping variant '" + s + "'; expected ecpo, gbpo or ppo");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
