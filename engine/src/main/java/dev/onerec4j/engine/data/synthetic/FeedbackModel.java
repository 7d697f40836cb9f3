package dev.onerec4j.engine.data.synthetic;

import java.util.SplittableRandom;

/**
 * How a user reacts to an item. Everything follows one affinity score
 * <pre>  s = 0.5 log(C taste_u(c_i)) + lambda z_ui + q_i  </pre>
 * (cluster taste relative to uniform, user-item latent match, item quality). Binary signals are Bernoulli
 * with p = sigmoid(bias + s); the play fraction is min(1, X) with X exponential of mean mu = 0.35 exp(0.6 s),
 * so its expectation is mu (1 - exp(-1/mu)). Signals are independent given s.
 */
final class FeedbackModel {

    static final double TASTE_SCALE = 0.5;
    static final double CLICK_BIAS = 0.5;
    static final double LIKE_BIAS = -2.5;
    static final double FOLLOW_BIAS = -4.0;
    static final double COMMENT_BIAS = -3.5;
    static final double FORWARD_BIAS = -4.0;
    /** Dislike is the one signal that falls with affinity: p = sigmoid(DISLIKE_BIAS - s). */
    static final double DISLIKE_BIAS = -3.0;
    static final double PLAY_MEAN_SCALE = 0.35;
    static final double PLAY_SLOPE = 0.6;

    private final LatentWorld w;

    FeedbackModel(LatentWorld world) {
        this.w = world;
    }

    double affinity(int user, int item) {
        return TASTE_SCALE * Math.log(w.numClusters * w.taste(user, w.itemCluster[item]))
                + w.s.itemAffinity() * w.match(user, item) + w.quality[item];
    }

    Engagement expected(int user, int item) {
        double s = affinity(user, item);
        double mu = playMean(s);
        return new Engagement(sigmoid(CLICK_BIAS + s), sigmoid(LIKE_BIAS + s), sigmoid(FOLLOW_BIAS + s),
                sigmoid(COMMENT_BIAS + s), sigmoid(FORWARD_BIAS + s), mu * (1 - Math.exp(-1 / mu)));
    }

    /**
     * Draws one interaction's signals into {@code out}: click, like, follow, comment, forward (0/1) and play
     * time in seconds.
     */
    void draw(int user, int item, SplittableRandom rng, float[] out) {
        double s = affinity(user, item);
        out[0] = bernoulli(CLICK_BIAS + s, rng);
        out[1] = bernoulli(LIKE_BIAS + s, rng);
        out[2] = bernoulli(FOLLOW_BIAS + s, rng);
        out[3] = bernoulli(COMMENT_BIAS + s, rng);
        out[4] = bernoulli(FORWARD_BIAS + s, rng);
        double fraction = Math.min(1.0, -playMean(s) * Math.log(1.0 - rng.nextDouble()));
        out[5] = (float) (fraction * w.duration[item]);
    }

    /**
     * Simulated feedback on an item the user is shown now (e.g. one a policy generated): the logged signals drawn
     * as in {@link #draw}, plus an explicit dislike (not part of the logged data sets).
     */
    SimulatedFeedback simulate(int user, int item, SplittableRandom rng) {
        float[] out = new float[HistoryGenerator.NUM_SIGNALS];
        draw(user, item, rng, out);
        boolean dislike = rng.nextDouble() < dislikeProbability(user, item);
        return new SimulatedFeedback(out[0] > 0, out[1] > 0, out[2] > 0, out[3] > 0, out[4] > 0, out[5],
                w.duration[item], dislike);
    }

    double dislikeProbability(int user, int item) {
        return sigmoid(DISLIKE_BIAS - affinity(user, item));
    }

    private static double playMean(double s) {
        return PLAY_MEAN_SCALE * Math.exp(PLAY_SLOPE * s);
    }

    private static float bernoulli(double logit, SplittableRandom rng) {
        return rng.nextDouble() < sigmoid(logit) ? 1f : 0f;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
