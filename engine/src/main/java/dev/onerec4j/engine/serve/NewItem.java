package dev.onerec4j.engine.serve;

import dev.onerec4j.engine.tokenizer.ItemFeatures;

/**
 * A cold-start item to add to a served model: either its semantic ID (from an offline tokenizer run) or its
 * features (run through the frozen tokenizer attached to the recommender), plus an optional title and duration.
 *
 * @param id       the new item's external id
 * @param sid      its semantic ID, or null to derive it from {@code features}
 * @param features its content features, or null when {@code sid} is given
 * @param title    a display title (may be null)
 * @param duration its duration in seconds (NaN = unknown)
 */
public record NewItem(String id, int[] sid, ItemFeatures features, String title, float duration) {

    public NewItem {
        sid = sid == null ? null : sid.clone();
    }

    public static NewItem withSid(String id, int... sid) {
        return new NewItem(id, sid, null, null, Float.NaN);
    }

    public static NewItem withFeatures(ItemFeatures features) {
        return new NewItem(features.id(), null, features, null, Float.NaN);
    }
}
