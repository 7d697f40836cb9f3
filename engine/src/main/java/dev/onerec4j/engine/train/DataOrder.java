package dev.onerec4j.engine.train;

import java.util.SplittableRandom;

/**
 * The order in which training examples are visited: each epoch is a fresh permutation that depends only on the
 * run seed and the epoch number, so the position (epoch, cursor) is the whole state of the data-order random
 * stream; a resumed run restores it from the checkpoint and visits exactly the examples the uninterrupted run
 * would have.
 */
public final class DataOrder {

    private final long seed;
    private final int size;
    private int epoch;
    private int cursor;
    private int[] permutation;

    public DataOrder(long seed, int size, int epoch, int cursor) {
        if (size <= 0) {
            throw new IllegalArgumentException("no training examples");
        }
        this.seed = seed;
        this.size = size;
        this.epoch = epoch;
        this.cursor = cursor;
        this.permutation = permutation(epoch);
    }

    /** The next {@code count} example indices (continuing into the next epoch when this one runs out). */
    public int[] next(int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            if (cursor == size) {
                epoch++;
                cursor = 0;
                permutation = permutation(epoch);
            }
            out[i] = permutation[cursor++];
        }
        return out;
    }

    public int epoch() {
        return epoch;
    }

    public int cursor() {
        return cursor;
    }

    /** Fractional epochs completed. */
    public double progress() {
        return epoch + (double) cursor / size;
    }

    private int[] permutation(int e) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
