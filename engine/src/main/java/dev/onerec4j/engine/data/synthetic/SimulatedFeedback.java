package dev.onerec4j.engine.data.synthetic;

/**
 * One simulated reaction of a user to an item shown to them: the binary signals of the logged data, the play time
 * in seconds (at most the duration) and an explicit dislike, which the simulator draws for shown items but the
 * logged data sets do not record.
 */
public record SimulatedFeedback(boolean click, boolean like, boolean follow, boolean comment, boolean forward,
                                double playSeconds, double durationSeconds, boolean dislike) {

    /** Play time as a share of the duration. */
    public double playFraction() {
        return durationSeconds > 0 ? playSeconds / durationSeconds : 0;
    }
}
