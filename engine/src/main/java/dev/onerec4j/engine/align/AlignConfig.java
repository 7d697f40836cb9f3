package dev.onerec4j.engine.align;

import dev.onerec4j.engine.UserException;

/**
 * Preference alignment settings (saved in {@code align.json}). The defaults follow the report where it says: ECPO
 * with {@code delta = 0.1}, beam-search generation from a policy snapshot refreshed every {@code refreshEvery}
 * steps, no KL term, the RL loss trained jointly with the supervised next-token loss.
 */
public final class AlignConfig {

    /** Optimizer steps. */
    public int steps = 200;
    public double lr = 1e-3;
    public int warmupSteps = 10;
    public double minLrRatio = 0.1;
    public double weightDecay = 0.0;
    public double clipNorm = 1.0;
    /** Supervised examples per step (0 = RL only). */
    public int sftBatch = 64;
    public double sftWeight = 1.0;
    /** Users (history contexts) per step that get a generated group. */
    public int rlUsers = 8;
    /** Items generated per user (G). */
    public int group = 32;
    public Sampling sampling = Sampling.BEAM;
    /** Top-k of top-k sampling. */
    public int topK = 16;
    public double rlWeight = 1.0;
    public ClipVariant clip = ClipVariant.ECPO;
    public double epsilon = 0.2;
    /** ECPO's early-clipping margin. */
    public double delta = 0.1;
    /** Steps between policy snapshots for the generator thread; 0 = generate on-policy in the training thread. */
    public int refreshEvery = 10;
    /** Format reward: unconstrained samples per user, of which {@code formatSamples} random ones are used. */
    public boolean formatReward = false;
    public int formatSamples = 5;
    public double formatWeight = 1.0;
    /** Specific industrial reward: the class to suppress (null = off), its target share and the factor. */
    public String sirClass = null;
    public double sirTarget = 0.1;
    public double sirFactor = 0.5;
    /** OneRec-V2: rewards from simulated feedback, play time judged within duration buckets. */
    public boolean durationShaping = false;
    public int durationBuckets = 10;
    public double durationQuantile = 0.75;
    /** Reject-sampling fine-tuning: the supervised examples skip the bottom share of sessions by play time. */
    public boolean rsft = false;
    public long rsftSessionGapSeconds = 1800;
    public double rsftDrop = 0.5;
    public long seed = 1;
    public int logEvery = 10;

    public AlignConfig validate() {
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(lr > 0, "--lr must be > 0, got " + lr);
        require(warmupSteps >= 0, "warm-up steps must be >= 0, got " + warmupSteps);
        require(minLrRatio >= 0 && minLrRatio <= 1, "min lr ratio must be in [0, 1], got " + minLrRatio);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(clipNorm > 0, "clip norm must be > 0, got " + clipNorm);
        require(sftBatch >= 0, "--sft-batch must be >= 0, got " + sftBatch);
        require(sftWeight >= 0 && rlWeight >= 0 && formatWeight >= 0, "loss weights must be >= 0");
        require(rlUsers >= 1, "--rl-users must be >= 1, got " + rlUsers);
        require(group >= 2, "--group must be >= 2 (advantages compare items within a group), got " + group);
        require(topK >= 1, "--top-k must be >= 1, got " + topK);
        require(epsilon > 0 && epsilon < 1, "--epsilon must be in (0, 1), got " + epsilon);
        require(delta > 0, "--delta must be > 0, got " + delta);
        require(refreshEvery >= 0, "--refresh-every must be >= 0, got " + refreshEvery);
        require(!formatReward || formatSamples >= 1 && formatSamples <= group, "--format-samples must be in 1.."
                + group + " (the group size), got " + formatSamples);
        require(sirTarget >= 0 && sirTarget <= 1, "--sir-target must be in [0, 1], got " + sirTarget);
        require(sirFactor >= 0 && sirFactor <= 1, "--sir-factor must be in [0, 1], got " + sirFactor);
        require(durationBuckets >= 1, "--duration-buckets must be >= 1, got " + durationBuckets);
        require(durationQuantile > 0 && durationQuantile < 1, "duration quantile must be in (0, 1), got "
                + durationQuantile);
        require(rsftSessionGapSeconds >= 0, "RSFT session gap must be >= 0, got " + rsftSessionGapSeconds);
        require(rsftDrop >= 0 && rsftDrop < 1, "RSFT dropped share must be in [0, 1), got " + rsftDrop);
        require(sftBatch > 0 || !rsft, "--rsft needs supervised examples (--sft-batch > 0)");
        require(logEvery >= 1, "log interval must be >= 1, got " + logEvery);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserException("align: " + message);
        }
    }
}
