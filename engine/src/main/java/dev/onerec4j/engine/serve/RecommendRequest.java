package dev.onerec4j.engine.serve;

import java.util.List;
import java.util.Map;

/**
 * A request for recommendations.
 *
 * @param user         the user's external id (needed only by models that embed user ids; otherwise echoed)
 * @param userFeatures categorical user features by name (values as in the training data; unknown values count as
 *                     missing)
 * @param history      the user's past interactions, oldest first (sorted by time when timestamps are given)
 * @param k            how many items to return
 * @param beamWidth    beams per request ({@code >= k}); 0 = the model's default
 * @param exclude      external ids of items not to return
 * @param keepHistory  whether items of the history may be returned (by default they are not)
 */
public record RecommendRequest(String user, Map<String, String> userFeatures, List<HistoryEntry> history, int k,
                               int beamWidth, List<String> exclude, boolean keepHistory) {

    public RecommendRequest {
        userFeatures = userFeatures == null ? Map.of() : userFeatures;
        history = history == null ? List.of() : history;
        exclude = exclude == null ? List.of() : exclude;
    }

    /** The top {@code k} for a history of item ids, default beam width, history items excluded. */
    public static RecommendRequest of(List<String> historyItems, int k) {
        return new RecommendRequest(null, Map.of(), historyItems.stream().map(HistoryEntry::of).toList(), k, 0,
                List.of(), false);
    }

    public RecommendRequest withBeamWidth(int width) {
        return new RecommendRequest(user, userFeatures, history, k, width, exclude, keepHistory);
    }

    public RecommendRequest withUserFeatures(Map<String, String> features) {
        return new RecommendRequest(user, features, history, k, beamWidth, exclude, keepHistory);
    }

    public RecommendRequest withExclude(List<String> items) {
        return new RecommendRequest(user, userFeatures, history, k, beamWidth, items, keepHistory);
    }

    public RecommendRequest withUser(String id) {
        return new RecommendRequest(id, userFeatures, history, k, beamWidth, exclude, keepHistory);
    }

    public RecommendRequest keepingHistory(boolean keep) {
        return new RecommendRequest(user, userFeatures, history, k, beamWidth, exclude, keep);
    }
}
