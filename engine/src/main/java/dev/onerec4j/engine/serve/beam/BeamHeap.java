package dev.onerec4j.engine.serve.beam;

/**
 * The {@code capacity} best candidates offered to it (score, parent beam, child position), kept in a binary
 * min-heap so an offer costs {@code O(log capacity)} and an offer below the current worst one comparison. Equal
 * scores rank the earlier offer first, so the result does not depend on heap order. Reused across steps.
 */
final class BeamHeap {

    private final double[] scores;
    private final int[] parents;
    private final int[] positions;
    private final long[] order;
    private int size;
    private int capacity;
    private long offers;

    BeamHeap(int maxCapacity) {
        scores = new double[maxCapacity];
        parents = new int[maxCapacity];
        positions = new int[maxCapacity];
        order = new long[maxCapacity];
    }

    void reset(int capacity) {
        if (capacity > scores.length) {
            throw new IllegalArgumentException("beam heap: capacity " + capacity + " above " + scores.length);
        }
        this.capacity = capacity;
        size = 0;
        offers = 0;
    }

    int size() {
        return size;
    }

    int capacityLimit() {
        return scores.length;
    }

    void offer(double score, int parent, int position) {
        long seq = offers++;
        if (size < capacity) {
            int i = size++;
            scores[i] = score;
            parents[i] = parent;
            positions[i] = position;
            order[i] = seq;
            siftUp(i);
        } else if (score > scores[0]) {
            scores[0] = score;
            parents[0] = parent;
            positions[0] = position;
            order[0] = seq;
            siftDown(0, size);
        }
    }

    /** Sorts the kept candidates best first (the heap is consumed); read them with the accessors. */
    void sortBestFirst() {
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
    }

    double score(int i) {
        return scores[i];
    }

    int parent(int i) {
        return parents[i];
    }

    int position(int i) {
        return positions[i];
    }

    /** Whether candidate {@code a} ranks below candidate {@code b} (lower score, or equal and offered later). */
    private boolean worse(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && order[a] > order[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!worse(i, p)) {
                return;
            }
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i, int end) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= end) {
                return;
            }
            int m = l + 1 < end && worse(l + 1, l) ? l + 1 : l;
            if (!worse(m, i)) {
                return;
            }
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        double s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int p = parents[a];
        parents[a] = parents[b];
        parents[b] = p;
        int q = positions[a];
        positions[a] = positions[b];
        positions[b] = q;
        long o = order[a];
        order[a] = order[b];
        order[b] = o;
    }
}
