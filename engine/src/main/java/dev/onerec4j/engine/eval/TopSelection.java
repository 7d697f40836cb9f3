package dev.onerec4j.engine.eval;

import java.util.Arrays;

/**
 * Keeps the {@code capacity} best (score, a, b) candidates offered, best first; ties keep the earlier offer. An
 * offer below the current worst is rejected with one comparison, which is the common case in beam search.
 */
final class TopSelection {

    private final double[] scores;
    private final int[] first;
    private final int[] second;
    private int size;

    TopSelection(int capacity) {
        this.scores = new double[capacity];
        this.first = new int[capacity];
        this.second = new int[capacity];
    }

    void clear() {
        size = 0;
    }

    void offer(double score, int a, int b) {
        int cap = scores.length;
        if (size == cap && !(score > scores[cap - 1])) {
            return;
        }
        int pos = size < cap ? size++ : cap - 1;
        while (pos > 0 && scores[pos - 1] < score) {
            scores[pos] = scores[pos - 1];
            first[pos] = first[pos - 1];
            second[pos] = second[pos - 1];
            pos--;
        }
        scores[pos] = score;
        first[pos] = a;
        second[pos] = b;
    }

    int size() {
        return size;
    }

    double score(int i) {
        return scores[i];
    }

    int first(int i) {
        return first[i];
    }

    int second(int i) {
        return second[i];
    }

    @Override
    public String toString() {
        return "TopSelection" + Arrays.toString(Arrays.copyOf(scores, size));
    }
}
