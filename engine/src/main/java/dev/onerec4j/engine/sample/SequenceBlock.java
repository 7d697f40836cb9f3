package dev.onerec4j.engine.sample;

import java.util.Arrays;

/**
 * One sequence pathway of a batch, as host arrays of {@code [batch, length]} positions, right-aligned (the most
 * recent interaction last; padding on the left): the item ({@code -1} = padding), its interaction feature vector,
 * the time-gap bucket and a 0/1 key mask.
 */
public final class SequenceBlock {

    public final int batch;
    public final int length;
    public final int featureCount;
    public final int[] items;
    public final float[] features;
    public final int[] timeBuckets;
    public final int[] mask;

    public SequenceBlock(int batch, int length, int featureCount) {
        this.batch = batch;
        this.length = length;
        this.featureCount = featureCount;
        this.items = new int[batch * length];
        Arrays.fill(items, -1);
        this.features = new float[batch * length * featureCount];
        this.timeBuckets = new int[batch * length];
        this.mask = new int[batch * length];
    }

    /** Index of position {@code t} of example {@code b}. */
    public int at(int b, int t) {
        return b * length + t;
    }

    /** Number of filled (unmasked) positions of example {@code b}. */
    public int filled(int b) {
        int n = 0;
        for (int t = 0; t < length; t++) {
            n += mask[b * length + t];
        }
        return n;
    }
}
