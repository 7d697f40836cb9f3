package dev.onerec4j.engine.serve;

import java.util.List;

/**
 * The answer to a {@link RecommendRequest}.
 *
 * @param items                  at most {@code k} items, best first
 * @param unknownHistoryItems    history item ids the model does not know (they were ignored)
 * @param unknownFeatureValues   user feature values never seen in training, as {@code name=value} (treated as
 *                               missing)
 * @param beamWidth              the beam width used
 * @param modelVersion           which loaded model answered (changes on every reload)
 */
public record Recommendation(List<RecommendedItem> items, List<String> unknownHistoryItems,
                             List<String> unknownFeatureValues, int beamWidth, String modelVersion) {

    public Recommendation {
        items = List.copyOf(items);
        unknownHistoryItems = List.copyOf(unknownHistoryItems);
        unknownFeatureValues = List.copyOf(unknownFeatureValues);
    }
}
