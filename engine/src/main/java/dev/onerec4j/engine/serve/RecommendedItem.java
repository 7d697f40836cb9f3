package dev.onerec4j.engine.serve;

import java.util.Arrays;

/**
 * One recommended item: its external id, its score (the log-probability the model gives its semantic ID, or the
 * final-list selector's score), its semantic ID and its title (empty when the data has none).
 */
public record RecommendedItem(String id, double score, int[] sid, String title) {

    public RecommendedItem {
        sid = sid.clone();
    }

    @Override
    public int[] sid() {
        return sid.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecommendedItem r && r.id.equals(id) && Double.compare(r.score, score) == 0
                && Arrays.equals(r.sid, sid) && r.title.equals(title);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(sid);
    }

    @Override
    public String toString() {
        return id + " " + score + " " + Arrays.toString(sid);
    }
}
