package dev.onerec4j.engine.data;

import java.util.Locale;

/**
 * A feedback signal recorded with an interaction. Every signal is stored as a {@code float} per interaction;
 * binary signals are 0 or 1, {@link #RATING} is the explicit rating (e.g. 1..5), {@link #PLAY_TIME} is in
 * seconds. A value that was not recorded is {@code NaN}.
 */
public enum Signal {
    /** Explicit rating (MovieLens 1..5). */
    RATING(false),
    /** An explicit positive label given by the data (the {@code label} column of the csv format): 1 or 0. */
    LABEL(true),
    /** Click, or KuaiRand's valid play. */
    CLICK(true),
    LIKE(true),
    /** The user followed the item's author. */
    FOLLOW(true),
    COMMENT(true),
    /** Forward / share. */
    FORWARD(true),
    /** Explicit negative feedback (dislike / hate). */
    HATE(true),
    /** KuaiRand's long view: the video was played for at least min(duration, 18 s). */
    LONG_VIEW(true),
    /** How long the item was played, in seconds. */
    PLAY_TIME(false);

    private final boolean binary;

    Signal(boolean binary) {
        this.binary = binary;
    }

    /** Whether the signal only takes the values 0 and 1. */
    public boolean isBinary() {
        return binary;
    }

    /** The column name used in the csv format: the lower-case enum name ({@code play_time}, {@code long_view}). */
    public String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The signal whose {@link #columnName()} is {@code column}, or {@code null}. */
    public static Signal fromColumnName(String column) {
        for (Signal s : values()) {
            if (s.columnName().equals(column)) {
                return s;
            }
        }
        return null;
    }
}
