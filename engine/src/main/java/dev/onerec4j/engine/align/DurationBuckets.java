package dev.onerec4j.engine.align;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;

import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;

import java.util.Arrays;

/**
 * Play-time reference distributions for OneRec-V2's duration-aware reward shaping: logged interactions are
 * grouped into buckets of similar item duration (equal-count buckets of the durations), and a play time is judged
 * by its quantile among the logged play times of its duration's bucket. A long play of a long item is then not
 * automatically worth more than a full view of a short one: the duration bias of raw play time is removed.
 */
public final class DurationBuckets {

    private final float[] upperBounds;
    private final float[][] sortedPlay;

    private DurationBuckets(float[] upperBounds, float[][] sortedPlay) {
        this.upperBounds = upperBounds;
        this.sortedPlay = sortedPlay;
    }

    /**
     * Buckets from the logged interactions of {@code dataset} that have a play time and a known duration, reading
     * only rows before each user's {@code trainEnd} (the leave-one-out training part) when {@code trainEnd} is not
     * null.
     */
    public static DurationBuckets fit(Dataset dataset, int buckets, java.util.function.IntUnaryOperator trainEnd) {
        Histories h = dataset.histories();
        ItemCatalog items = dataset.items();
        if (!h.has(Signal.PLAY_TIME) || !items.hasNumeric(ItemCatalog.DURATION)) {
            throw new IllegalArgumentException("duration-aware shaping needs play times and item durations; data set "
                    + dataset.name() + " records " + h.signals());
        }
        FloatArrayList durations = new FloatArrayList();
        FloatArrayList plays = new FloatArrayList();
        for (int u = 0; u < h.numUsers(); u++) {
            int end = trainEnd == null ? h.length(u) : trainEnd.applyAsInt(u);
            for (int p = 0; p < end; p++) {
                int row = h.row(u, p);
                float d = items.duration(h.item(row));
                float play = h.signal(Signal.PLAY_TIME, row);
                if (d > 0 && !Float.isNaN(play)) {
                    durations.add(d);
                    plays.add(play);
                }
            }
        }
        if (durations.isEmpty()) {
            throw new IllegalArgumentException("duration-aware shaping: no logged interaction has both a play time "
                    + "and a duration");
        }
        float[] sorted = durations.toSortedArray();
        int b = Math.max(1, Math.min(buckets, sorted.length));
        float[] bounds = new float[b];
        for (int k = 0; k < b; k++) {
            bounds[k] = k == b - 1 ? Float.POSITIVE_INFINITY : sorted[(int) ((long) (k + 1) * sorted.length / b) - 1];
        }
        FloatArrayList[] perBucket = new FloatArrayList[b];
        for (int k = 0; k < b; k++) {
            perBucket[k] = new FloatArrayList();
        }
        for (int i = 0; i < durations.size(); i++) {
            perBucket[bucketOf(bounds, durations.get(i))].add(plays.get(i));
        }
        float[][] play = new float[b][];
        for (int k = 0; k < b; k++) {
            play[k] = perBucket[k].toSortedArray();
        }
        return new DurationBuckets(bounds, play);
    }

    public int buckets() {
        return upperBounds.length;
    }

    /** The bucket of a duration: the first whose upper bound is at least it. */
    public int bucket(double duration) {
        return bucketOf(upperBounds, (float) duration);
    }

    private static int bucketOf(float[] bounds, float d) {
        for (int k = 0; k < bounds.length; k++) {
            if (d <= bounds[k]) {
                return k;
            }
        }
        return bounds.length - 1;
    }

    /**
     * The mid-rank quantile of {@code playSeconds} among the logged play times of {@code duration}'s bucket, in
     * [0, 1]: the share below it plus half the share equal to it (0.5 in an empty bucket).
     */
    public double quantile(double duration, double playSeconds) {
        float[] ref = sortedPlay[bucket(duration)];
        if (ref.length == 0) {
            return 0.5;
        }
        float v = (float) playSeconds;
        int below = lowerBound(ref, v);
        int upTo = upperBound(ref, v);
        return (below + 0.5 * (upTo - below)) / ref.length;
    }

    private static int lowerBound(float[] a, float v) {
        int i = Arrays.binarySearch(a, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] == v) {
            i--;
        }
        return i;
    }

    private static int upperBound(float[] a, float v) {
        int i = Arrays.binarySearch(a, v);
        if (i < 0) {
            return -i - 1;
        }
        while (i < a.length && a[i] == v) {
            i++;
        }
        return i;
    }
}
