package dev.onerec4j.engine.data.split;

import dev.onerec4j.engine.data.Histories;

/**
 * A list of prediction examples, each a (user, target position) pair: the target is the user's interaction at
 * that chronological position and the history is every earlier position ({@code 0 .. position-1}), with its
 * signals, read from the same {@link Histories}. Stored as two primitive arrays.
 */
public final class Examples {

    private final Histories histories;
    private final int[] users;
    private final int[] positions;

    Examples(Histories histories, int[] users, int[] positions) {
        this.histories = histories;
        this.users = users;
        this.positions = positions;
    }

    /** Number of examples. */
    public int size() {
        return users.length;
    }

    /** The user of example {@code i}. */
    public int user(int i) {
        return users[i];
    }

    /** The target's chronological position in the user's history (= the length of the history prefix). */
    public int position(int i) {
        return positions[i];
    }

    /** The row of the target interaction in {@link #histories()}. */
    public int targetRow(int i) {
        return histories.row(users[i], positions[i]);
    }

    /** The target item of example {@code i}. */
    public int targetItem(int i) {
        return histories.item(targetRow(i));
    }

    /** The first row of the history prefix; the prefix is rows {@code historyStart(i) .. targetRow(i)-1}. */
    public int historyStart(int i) {
        return histories.start(users[i]);
    }

    /** The histories the examples index into. */
    public Histories histories() {
        return histories;
    }
}
