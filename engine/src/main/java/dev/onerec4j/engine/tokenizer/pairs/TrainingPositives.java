package dev.onerec4j.engine.tokenizer.pairs;

import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.split.LeaveOneOutSplit;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.util.Arrays;

/**
 * Each user's positive interactions from the training part of a leave-one-out split only (positions before
 * {@link LeaveOneOutSplit#trainEnd}), in time order: the collaborative signal the tokenizer may learn from.
 * Validation and test targets never appear here. Stored as one CSR pair of arrays.
 */
public final class TrainingPositives {

    private final int[] offsets;
    private final int[] items;
    private final int numItems;

    private TrainingPositives(int[] offsets, int[] items, int numItems) {
        this.offsets = offsets;
        this.items = items;
        this.numItems = numItems;
    }

    public static TrainingPositives of(LeaveOneOutSplit split, int numItems) {
        Histories h = split.histories();
        int users = h.numUsers();
        int[] offsets = new int[users + 1];
        IntArrayList all = new IntArrayList();
        for (int u = 0; u < users; u++) {
            int start = h.start(u);
            for (int p = 0; p < split.trainEnd(u); p++) {
                if (h.isPositive(start + p)) {
                    all.add(h.item(start + p));
                }
            }
            offsets[u + 1] = all.size();
        }
        return new TrainingPositives(offsets, all.toArray(), numItems);
    }

    /** From explicit per-user sequences (tests, synthetic data). */
    public static TrainingPositives of(int[][] sequences, int numItems) {
        int[] offsets = new int[sequences.length + 1];
        IntArrayList all = new IntArrayList();
        for (int u = 0; u < sequences.length; u++) {
            all.addAll(sequences[u]);
            offsets[u + 1] = all.size();
        }
        return new TrainingPositives(offsets, all.toArray(), numItems);
    }

    public int numUsers() {
        return offsets.length - 1;
    }

    public int numItems() {
        return numItems;
    }

    public int length(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** The {@code k}-th positive of {@code user} in time order. */
    public int item(int user, int k) {
        return items[offsets[user] + k];
    }

    public int total() {
        return items.length;
    }

    /** The distinct items of {@code user}'s last {@code limit} positives, sorted by item index. */
    public int[] recentItemSet(int user, int limit) {
        int from = Math.max(offsets[user], offsets[user + 1] - limit);
        int[] set = Arrays.copyOfRange(items, from, offsets[user + 1]);
        Arrays.sort(set);
        int w = 0;
        for (int i = 0; i < set.length; i++) {
            if (i == 0 || set[i] != set[i - 1]) {
                set[w++] = set[i];
            }
        }
        return Arrays.copyOf(set, w);
    }
}
