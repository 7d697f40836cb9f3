package dev.onerec4j.engine.data.synthetic;

/**
 * The expected engagement of a user with an item under the simulator: the probability of each binary signal
 * and the expected play fraction (play time / duration, capped at 1).
 */
public record Engagement(double click, double like, double follow, double comment, double forward,
                         double playFraction) {

    /** Weights of the true value: engagement depth counts more than a click. */
    public static final double CLICK_WEIGHT = 1;
    public static final double LIKE_WEIGHT = 2;
    public static final double FOLLOW_WEIGHT = 3;
    public static final double COMMENT_WEIGHT = 2;
    public static final double FORWARD_WEIGHT = 2;
    public static final double PLAY_WEIGHT = 3;

    /**
     * The true value: {@code 1 click + 2 like + 3 follow + 2 comment + 2 forward + 3 playFraction}, i.e. the
     * expected weighted engagement (between 0 and 13).
     */
    public double value() {
        return CLICK_WEIGHT * click + LIKE_WEIGHT * like + FOLLOW_WEIGHT * follow + COMMENT_WEIGHT * comment
                + FORWARD_WEIGHT * forward + PLAY_WEIGHT * playFraction;
    }
}
