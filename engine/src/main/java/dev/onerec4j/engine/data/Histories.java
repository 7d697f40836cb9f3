package dev.onerec4j.engine.data;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * Per-user chronological interaction histories, stored column-wise: all interactions of all users in one set
 * of primitive arrays, user {@code u}'s rows being {@code start(u) .. end(u)-1} in time order (ties keep the
 * order of the source file). Each row has an item index, a timestamp (unix seconds where the source has
 * times, otherwise the position in the sequence), a value per recorded {@link Signal} (NaN = absent) and a
 * positive-feedback flag computed by the data set's {@link PositiveRule}. Immutable.
 */
public final class Histories {

    private final int[] offsets;
    private final int[] items;
    private final long[] timestamps;
    private final EnumMap<Signal, float[]> signals;
    private final boolean[] positive;

    Histories(int[] offsets, int[] items, long[] timestamps, EnumMap<Signal, float[]> signals, boolean[] positive) {
        int rows = items.length;
        if (offsets[offsets.length - 1] != rows || timestamps.length != rows || positive.length != rows) {
            throw new IllegalArgumentException("Histories: column lengths do not match " + rows + " rows");
        }
        for (Map.Entry<Signal, float[]> e : signals.entrySet()) {
            if (e.getValue().length != rows) {
                throw new IllegalArgumentException("Histories: signal " + e.getKey() + " has the wrong length");
            }
        }
        this.offsets = offsets;
        this.items = items;
        this.timestamps = timestamps;
        this.signals = signals;
        this.positive = positive;
    }

    /** Number of users (including users with an empty history). */
    public int numUsers() {
        return offsets.length - 1;
    }

    /** Total number of interactions. */
    public int numInteractions() {
        return items.length;
    }

    /** First row of user {@code user}. */
    public int start(int user) {
        return offsets[user];
    }

    /** One past the last row of user {@code user}. */
    public int end(int user) {
        return offsets[user + 1];
    }

    /** Number of interactions of user {@code user}. */
    public int length(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** The row of {@code user}'s interaction at chronological position {@code position}. */
    public int row(int user, int position) {
        return offsets[user] + position;
    }

    /** Item index of row {@code row}. */
    public int item(int row) {
        return items[row];
    }

    /** Timestamp of row {@code row}. */
    public long timestamp(int row) {
        return timestamps[row];
    }

    /** The signals recorded in this data set. */
    public EnumSet<Signal> signals() {
        return signals.isEmpty() ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(signals.keySet());
    }

    /** Whether signal {@code s} is recorded. */
    public boolean has(Signal s) {
        return signals.containsKey(s);
    }

    /** Value of signal {@code s} at row {@code row}; NaN if absent. */
    public float signal(Signal s, int row) {
        float[] column = signals.get(s);
        return column == null ? Float.NaN : column[row];
    }

    /** Whether row {@code row} is positive feedback under the data set's rule. */
    public boolean isPositive(int row) {
        return positive[row];
    }

    /** A copy of {@code user}'s item sequence. */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    /** Number of interactions per item over all rows; {@code numItems} sizes the result. */
    public int[] itemCounts(int numItems) {
        int[] counts = new int[numItems];
        for (int item : items) {
            counts[item]++;
        }
        return counts;
    }

    /** The same histories with positive flags recomputed by {@code rule}. */
    Histories withPositive(PositiveRule rule, ItemCatalog catalog) {
        return new Histories(offsets, items, timestamps, signals, positiveFlags(rule, catalog));
    }

    boolean[] positiveFlags(PositiveRule rule, ItemCatalog catalog) {
        boolean[] flags = new boolean[items.length];
        Signal[] all = Signal.values();
        float[][] columns = new float[all.length][];
        for (Map.Entry<Signal, float[]> e : signals.entrySet()) {
            columns[e.getKey().ordinal()] = e.getValue();
        }
        float[] vector = new float[all.length];
        for (int r = 0; r < items.length; r++) {
            for (int s = 0; s < all.length; s++) {
                vector[s] = columns[s] == null ? Float.NaN : columns[s][r];
            }
            flags[r] = rule.test(vector, catalog.duration(items[r]));
        }
        return flags;
    }

    /**
     * Keeps the users {@code keepUsers} (old indices, in that order) and maps items through {@code itemRemap}
     * (old index -> new index, -1 = drop the rows with that item).
     */
    Histories select(int[] keepUsers, int[] itemRemap) {
        int[] newOffsets = new int[keepUsers.length + 1];
        for (int j = 0; j < keepUsers.length; j++) {
            int kept = 0;
            for (int r = start(keepUsers[j]); r < end(keepUsers[j]); r++) {
                if (itemRemap[items[r]] >= 0) {
                    kept++;
                }
            }
            newOffsets[j + 1] = newOffsets[j] + kept;
        }
        int rows = newOffsets[keepUsers.length];
        int[] oldRow = new int[rows];
        int w = 0;
        for (int u : keepUsers) {
            for (int r = start(u); r < end(u); r++) {
                if (itemRemap[items[r]] >= 0) {
                    oldRow[w++] = r;
                }
            }
        }
        int[] newItems = new int[rows];
        long[] newTimes = new long[rows];
        boolean[] newPositive = new boolean[rows];
        for (int k = 0; k < rows; k++) {
            newItems[k] = itemRemap[items[oldRow[k]]];
            newTimes[k] = timestamps[oldRow[k]];
            newPositive[k] = positive[oldRow[k]];
        }
        EnumMap<Signal, float[]> newSignals = new EnumMap<>(Signal.class);
        for (Map.Entry<Signal, float[]> e : signals.entrySet()) {
            float[] col = new float[rows];
            for (int k = 0; k < rows; k++) {
                col[k] = e.getValue()[oldRow[k]];
            }
            newSignals.put(e.getKey(), col);
        }
        return new Histories(newOffsets, newItems, newTimes, newSignals, newPositive);
    }
}
