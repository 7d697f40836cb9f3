package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;

import java.util.Locale;

/**
 * One feedback objective of the reward model: a binary label per logged interaction, read from the data set's
 * signals. A binary signal is its own label; a rating becomes {@code rating >= threshold}; play time becomes
 * {@code play_time >= threshold x duration}. Negative objectives (explicit dislike) get a tower of their own but
 * are left out of the P-Score's target, which averages the positive objectives.
 *
 * @param name      the tower's name in reports
 * @param source    the signal's column name ({@code click}, {@code rating}, {@code play_time}, ...)
 * @param threshold for rating and play time: the label is 1 at or above it (binary signals: 0.5)
 * @param negative  whether a 1 is bad feedback
 */
public record Objective(String name, String source, double threshold, boolean negative) {

    public Objective {
        if (Signal.fromColumnName(source) == null) {
            throw new IllegalArgumentException("objective " + name + ": unknown signal '" + source + "'");
        }
    }

    /** The signal the label is read from. */
    public Signal signal() {
        return Signal.fromColumnName(source);
    }

    /**
     * The label of interaction {@code row}: 1 or 0, or NaN where the signal (or, for play time, the item's
     * duration) was not recorded.
     */
    public float label(Histories histories, ItemCatalog items, int row) {
        Signal s = signal();
        float v = histories.signal(s, row);
        if (Float.isNaN(v)) {
            return Float.NaN;
        }
        if (s == Signal.PLAY_TIME) {
            float duration = items.duration(histories.item(row));
            if (!(duration > 0)) {
                return Float.NaN;
            }
            return v >= threshold * duration ? 1f : 0f;
        }
        return v >= threshold ? 1f : 0f;
    }

    /** How the label is derived, e.g. {@code rating >= 4} or {@code play_time >= 0.5 x duration}. */
    public String describe() {
        Signal s = signal();
        if (s == Signal.PLAY_TIME) {
            return String.format(Locale.ROOT, "play_time >= %s x duration", trim(threshold));
        }
        if (s == Signal.RATING) {
            return String.format(Locale.ROOT, "rating >= %s", trim(threshold));
        }
        return source + " = 1" + (negative ? " (negative)" : "");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
