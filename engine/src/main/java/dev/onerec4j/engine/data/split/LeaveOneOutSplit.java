package dev.onerec4j.engine.data.split;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import dev.onerec4j.engine.data.Histories;

/**
 * The leave-one-out split used by the published sequential-recommendation tables: for a user with n &gt;= 3
 * interactions the last one (position n-1) is the test target, the second last (n-2) the validation target,
 * and positions {@code minHistory .. n-3} are training targets, each with its prefix as history. Users with
 * fewer than 3 interactions contribute training targets only ({@code minHistory .. n-1}). Training never sees
 * a user's validation or test interaction: {@link #trainEnd(int)} bounds what training may read.
 */
public final class LeaveOneOutSplit {

    /** Users with fewer interactions than this have no validation or test target. */
    public static final int MIN_EVALUATED_LENGTH = 3;

    private final Histories histories;
    private final int minHistory;
    private final Examples train;
    private final Examples validation;
    private final Examples test;

    private LeaveOneOutSplit(Histories histories, int minHistory) {
        this.histories = histories;
        this.minHistory = minHistory;
        IntArrayList trainUsers = new IntArrayList();
        IntArrayList trainPositions = new IntArrayList();
        IntArrayList validUsers = new IntArrayList();
        IntArrayList testUsers = new IntArrayList();
        for (int u = 0; u < histories.numUsers(); u++) {
            int end = trainEnd(u);
            for (int p = minHistory; p < end; p++) {
                trainUsers.add(u);
                trainPositions.add(p);
            }
            if (histories.length(u) >= MIN_EVALUATED_LENGTH) {
                validUsers.add(u);
                testUsers.add(u);
            }
        }
        int[] validPositions = new int[validUsers.size()];
        int[] testPositions = new int[testUsers.size()];
        for (int i = 0; i < validPositions.length; i++) {
            int n = histories.length(validUsers.get(i));
            validPositions[i] = n - 2;
            testPositions[i] = n - 1;
        }
        this.train = new Examples(histories, trainUsers.toArray(), trainPositions.toArray());
        this.validation = new Examples(histories, validUsers.toArray(), validPositions);
        this.test = new Examples(histories, testUsers.toArray(), testPositions);
    }

    /** The split with training targets that have at least one history item (positions 1..). */
    public static LeaveOneOutSplit of(Histories histories) {
        return of(histories, 1);
    }

    /**
     * The split with training targets at positions {@code >= minHistory} (0 also trains on first interactions,
     * predicted from the user's static features only).
     */
    public static LeaveOneOutSplit of(Histories histories, int minHistory) {
        if (minHistory < 0) {
            throw new IllegalArgumentException("minHistory must be >= 0, got " + minHistory);
        }
        return new LeaveOneOutSplit(histories, minHistory);
    }

    public Histories histories() {
        return histories;
    }

    public int minHistory() {
        return minHistory;
    }

    /** Training examples (every training target of every user, in user then position order). */
    public Examples train() {
        return train;
    }

    /** One validation example per user with at least 3 interactions: target position n-2. */
    public Examples validation() {
        return validation;
    }

    /** One test example per user with at least 3 interactions: target position n-1. */
    public Examples test() {
        return test;
    }

    /**
     * One past the last position of {@code user} that training may read (as target or history): n-2 for users
     * with at least 3 interactions, n otherwise. Use it for anything fitted on training data (item co-occurrence,
     * popularity, tokenizer) so validation and test targets do not leak.
     */
    public int trainEnd(int user) {
        int n = histories.length(user);
        return n >= MIN_EVALUATED_LENGTH ? n - 2 : n;
    }

    /** Per-item interaction counts over the training part ({@link #trainEnd} positions) of every user. */
    public int[] trainItemCounts(int numItems) {
        int[] counts = new int[numItems];
        for (int u = 0; u < histories.numUsers(); u++) {
            int start = histories.start(u);
            for (int p = 0; p < trainEnd(u); p++) {
                counts[histories.item(start + p)]++;
            }
        }
        return counts;
    }
}
