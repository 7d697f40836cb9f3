package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which interactions count as positive feedback (used by the positive-feedback pathway and the
 * reward model). An interaction is positive when any enabled criterion holds:
 * <ul>
 *   <li>{@link #all()}: every interaction (implicit data such as the Amazon 5-core sets);</li>
 *   <li>the rating is at least {@code minRating};</li>
 *   <li>one of the binary signals in {@code anyOf} is 1;</li>
 *   <li>play time is at least {@code minPlayFraction} x the item's duration.</li>
 * </ul>
 * A criterion whose signal (or duration) was not recorded for an interaction does not fire.
 *
 * @param everything      every interaction is positive
 * @param minRating       rating threshold, or NaN when unused
 * @param anyOf           binary signals of which any one being 1 makes the interaction positive
 * @param minPlayFraction play-time fraction threshold, or NaN when unused
 */
public record PositiveRule(boolean everything, float minRating, Set<Signal> anyOf, double minPlayFraction) {

    /** Play-time fraction of the default rule. */
    public static final double DEFAULT_PLAY_FRACTION = 0.5;

    public PositiveRule {
        anyOf = anyOf.isEmpty() ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(anyOf);
        for (Signal s : anyOf) {
            if (!s.isBinary()) {
                throw new IllegalArgumentException("PositiveRule: " + s + " is not a binary signal");
            }
        }
    }

    /** Every interaction is positive. */
    public static PositiveRule all() {
        return new PositiveRule(true, Float.NaN, EnumSet.noneOf(Signal.class), Double.NaN);
    }

    /** Positive when the rating is at least {@code min}. */
    public static PositiveRule ratingAtLeast(float min) {
        return new PositiveRule(false, min, EnumSet.noneOf(Signal.class), Double.NaN);
    }

    /** Positive when any of the binary {@code signals} is 1. */
    public static PositiveRule anyOf(Set<Signal> signals) {
        return new PositiveRule(false, Float.NaN, signals, Double.NaN);
    }

    /**
     * The rule used when a data set does not say: an explicit {@code label} if recorded; else rating &gt;= 4 if
     * ratings are recorded; else any of like, follow, comment, forward, long_view that is recorded, or (when
     * play time and durations are known) play time &gt;= 0.5 x duration; with none of these, every interaction.
     */
    public static PositiveRule defaultFor(Set<Signal> signals, boolean hasDurations) {
        if (signals.contains(Signal.LABEL)) {
            return anyOf(EnumSet.of(Signal.LABEL));
        }
        if (signals.contains(Signal.RATING)) {
            return ratingAtLeast(4);
        }
        EnumSet<Signal> engagement = EnumSet.noneOf(Signal.class);
        for (Signal s : EnumSet.of(Signal.LIKE, Signal.FOLLOW, Signal.COMMENT, Signal.FORWARD, Signal.LONG_VIEW)) {
            if (signals.contains(s)) {
                engagement.add(s);
            }
        }
        boolean play = signals.contains(Signal.PLAY_TIME) && hasDurations;
        if (engagement.isEmpty() && !play) {
            return all();
        }
        PositiveRule rule = anyOf(engagement);
        return play ? rule.orPlayFractionAtLeast(DEFAULT_PLAY_FRACTION) : rule;
    }

    /** This rule, also firing when play time is at least {@code fraction} x duration. */
    public PositiveRule orPlayFractionAtLeast(double fraction) {
        return new PositiveRule(everything, minRating, anyOf, fraction);
    }

    /** The signals this rule reads. */
    public Set<Signal> signalsUsed() {
        EnumSet<Signal> used = EnumSet.copyOf(anyOf.isEmpty() ? EnumSet.noneOf(Signal.class) : anyOf);
        if (!Float.isNaN(minRating)) {
            used.add(Signal.RATING);
        }
        if (!Double.isNaN(minPlayFraction)) {
            used.add(Signal.PLAY_TIME);
        }
        return used;
    }

    /**
     * Applies the rule to one interaction.
     *
     * @param signal   value of each signal for the interaction, indexed by {@link Signal#ordinal()} (NaN = absent)
     * @param duration the item's duration in seconds (NaN = unknown)
     */
    public boolean test(float[] signal, float duration) {
        if (everything) {
            return true;
        }
        if (!Float.isNaN(minRating) && signal[Signal.RATING.ordinal()] >= minRating) {
            return true;
        }
        for (Signal s : anyOf) {
            if (signal[s.ordinal()] >= 0.5f) {
                return true;
            }
        }
        if (!Double.isNaN(minPlayFraction) && duration > 0) {
            float play = signal[Signal.PLAY_TIME.ordinal()];
            return play >= minPlayFraction * duration;
        }
        return false;
    }

    /** The rule in words, e.g. {@code rating >= 4} or {@code like = 1 or play_time >= 0.5 x duration}. */
    public String describe() {
        if (everything) {
            return "every interaction is positive";
        }
        List<String> parts = new ArrayList<>();
        if (!Float.isNaN(minRating)) {
            parts.add("rating >= " + trim(minRating));
        }
        for (Signal s : anyOf) {
            parts.add(s.columnName() + " = 1");
        }
        if (!Double.isNaN(minPlayFraction)) {
            parts.add("play_time >= " + trim(minPlayFraction) + " x duration");
        }
        return parts.isEmpty() ? "no interaction is positive" : "positive if " + String.join(" or ", parts);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
