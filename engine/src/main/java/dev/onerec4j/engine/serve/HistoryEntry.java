package dev.onerec4j.engine.serve;

import java.util.Map;

/**
 * One past interaction of the user: the item's external id, optionally when it happened (unix seconds) and the
 * feedback recorded with it, by signal name as the training data names them ({@code rating}, {@code like},
 * {@code play_time}, …; see {@link dev.onerec4j.engine.data.Signal}).
 *
 * @param item      external item id
 * @param timestamp unix seconds, or null (then every entry of the history must omit it)
 * @param feedback  signal values by name (may be empty)
 */
public record HistoryEntry(String item, Long timestamp, Map<String, Double> feedback) {

    public HistoryEntry {
        feedback = feedback == null ? Map.of() : Map.copyOf(feedback);
    }

    /** An interaction with no time and no feedback. */
    public static HistoryEntry of(String item) {
        return new HistoryEntry(item, null, Map.of());
    }
}
