package dev.onerec4j.engine.serve;

import java.util.Arrays;

/**
 * A generated item offered to a {@link ListSelector}: the model's item index, the log-probability of its semantic
 * ID, the ID itself and the score it will be reported with (the log-probability unless a selector rescored it).
 */
public record Candidate(int item, double logProb, int[] sid, double score) {

    public Candidate {
        sid = sid.clone();
    }

    @Override
    public int[] sid() {
        return sid.clone();
    }

    /** The same candidate reported with {@code newScore}. */
    public Candidate withScore(double newScore) {
        return new Candidate(item, logProb, sid, newScore);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Candidate c && c.item == item && Double.compare(c.logProb, logProb) == 0
                && Arrays.equals(c.sid, sid) && Double.compare(c.score, score) == 0;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(item) * 31 + Double.hashCode(score);
    }
}
